"""Role × URL for the events app."""

import pytest

from alliage.events import services
from tests.conftest import MATRIX_ROLES as ROLES
from tests.conftest import statuses
from tests.events.conftest import make_event

MATRIX = {
    "/activites/":                            (200, 200, 200, 200, 200, 200, 200),
    "/activites/calendrier.ics":              (200, 200, 200, 200, 200, 200, 200),
    "/activites/{public}/":                   (200, 200, 200, 200, 200, 200, 200),
    "/activites/{members}/":                  (404, 200, 200, 200, 404, 404, 200),
    "/activites/{members}.ics":               (404, 200, 200, 200, 404, 404, 200),
    "/gestion/activites/{public}/inscriptions/": (302, 403, 403, 403, 403, 403, 200),
    "/gestion/activites/":                    (302, 403, 403, 403, 403, 403, 200),
    "/gestion/activites/nouvelle/":           (302, 403, 403, 403, 403, 403, 200),
    "/gestion/activites/{public}/modifier/":  (302, 403, 403, 403, 403, 403, 200),
    "/activites/liste-attente/{token}/":      (302, 404, 404, 200, 404, 404, 404),
    "/activites/{public}/mon-billet/":        (302, 404, 200, 404, 404, 404, 404),
    # Visitors register without an account; people with one register on the event page
    # (bea and sam, accounts without a person, may register as visitors).
    "/activites/{public}/inscription/":       (200, 302, 302, 302, 302, 200, 200),
    "/activites/{members}/inscription/":      (404, 404, 404, 404, 404, 404, 404),
    # The signed link of a guest order: whoever holds it (it is the proof).
    "/activites/commande/{guest}/":           (200, 200, 200, 200, 200, 200, 200),
    "/activites/commande/{forged}/":          (404, 404, 404, 404, 404, 404, 404),
    "/gestion/activites/accueil/{code}/":     (302, 403, 403, 403, 403, 403, 200),
    "/gestion/activites/{public}/accueil/":   (302, 403, 403, 403, 403, 403, 200),
    "/gestion/activites/{public}/porte-noms.pdf": (302, 403, 403, 403, 403, 403, 202),
    "/gestion/activites/{public}/seances/{session}/presences/": (302, 403, 403, 403, 403, 403,
                                                                 200),
}

POSTS = {
    # A company admin cancels a colleague's seat: only Acme's admin (alice) may.
    "/activites/{public}/inscriptions/{registration}/annuler/": (302, 404, 302, 404, 404, 404,
                                                                 404),
    "/gestion/activites/{public}/annuler/": (302, 403, 403, 403, 403, 403, 302),
    "/gestion/activites/{public}/accueil/": (302, 403, 403, 403, 403, 403, 302),
    "/gestion/activites/{public}/attestations/": (302, 403, 403, 403, 403, 403, 302),
    "/gestion/activites/{public}/inscriptions/{registration}/decision/": (302, 403, 403, 403,
                                                                          403, 403, 302),
    "/gestion/activites/{public}/inscriptions/{registration}/presence/": (302, 403, 403, 403,
                                                                          403, 403, 302),
}


@pytest.fixture
def urls(cast):
    public = make_event(slug="public-event")
    members = make_event(slug="members-event", members_only=True)
    order = services.order_create(event=public, ticket_type=public.ticket_types.get(),
                                  buyer=cast.alice.contact, attendees=[cast.alice.contact],
                                  organisation=cast.acme)
    entry = services.waitlist_join(event=public, ticket_type=public.ticket_types.get(),
                                   contact=cast.carol.contact)
    from datetime import timedelta

    from alliage.events.models import Session

    session = Session.objects.create(event=public, title="Module 1", starts_at=public.starts_at,
                                     ends_at=public.starts_at + timedelta(hours=2))
    from alliage.events import guest

    visitor = guest.guest_order_create(
        event=public, ticket_type=public.ticket_types.get(),
        person={"first_name": "Vi", "last_name": "Siteur", "email": "vi@ailleurs.example"},
        company={"name": "Ailleurs inc.", "address": "1, rue Une", "email": ""})
    return {"public": public.slug, "members": members.slug, "token": entry.token,
            "guest": guest.order_token(visitor), "forged": "MQ:forged",
            "code": order.registrations.get().code, "session": session.pk,
            "registration": order.registrations.get().pk}


@pytest.mark.parametrize("path", MATRIX)
def test_events_matrix(client, cast, urls, path):
    got = statuses(client, cast, path.format(**urls))
    assert got == MATRIX[path], dict(zip(ROLES, got, strict=True))


@pytest.mark.parametrize("path", POSTS)
def test_events_post_matrix(client, cast, urls, path):
    # confirmed: the answer to "are you sure?" (core.confirm); without it, a question page.
    got = statuses(client, cast, path.format(**urls), "post", {"decision": "approve",
                                                               "confirmed": "1"})
    assert got == POSTS[path], dict(zip(ROLES, got, strict=True))
