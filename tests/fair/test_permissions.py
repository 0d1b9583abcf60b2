"""Role x URL for the fair: visitors see published fairs and booths; only the exhibitor's
administrators (and staff) edit a booth and read its leads (404 for another company);
participants act on their own requests only; the scheduling pages are staff's."""

import pytest

from alliage.fair import services
from alliage.fair.models import Booth, BoothDocument, Meeting
from tests.conftest import MATRIX_ROLES as ROLES
from tests.conftest import statuses
from tests.fair.conftest import join, make_fair

F = "/salon/salon-test"
MATRIX = {
    "/salon/":                              (200, 200, 200, 200, 200, 200, 200),
    F + "/":                                (200, 200, 200, 200, 200, 200, 200),
    F + "/?q=arbres":                       (200, 200, 200, 200, 200, 200, 200),
    "/salon/brouillon/":                    (404, 404, 404, 404, 404, 404, 200),
    F + "/pavillons/manufacturiers/":       (200, 200, 200, 200, 200, 200, 200),
    F + "/pavillons/inconnu/":              (404, 404, 404, 404, 404, 404, 404),
    F + "/kiosques/{booth}/":               (200, 200, 200, 200, 200, 200, 200),
    F + "/kiosques/{hidden}/":              (404, 404, 404, 404, 404, 404, 404),
    F + "/kiosques/{booth}/modifier/":      (302, 404, 200, 404, 404, 404, 200),
    F + "/kiosques/{booth}/pistes/":        (302, 404, 200, 404, 404, 404, 200),
    F + "/kiosques/{booth}/pistes/?export=csv": (302, 404, 200, 404, 404, 404, 200),
    F + "/kiosques/{rival}/modifier/":      (302, 404, 404, 200, 404, 404, 200),
    # People without a personal profile (bea, sam's accounts) have no meeting profile.
    F + "/maillage/":                       (302, 200, 200, 200, 200, 404, 404),
    F + "/agenda/":                         (302, 302, 200, 200, 200, 302, 302),
    F + "/agenda.ics":                      (302, 404, 200, 200, 200, 404, 404),
    "/gestion/salons/":                     (302, 403, 403, 403, 403, 403, 200),
    "/gestion/salons/salon-test/":          (302, 403, 403, 403, 403, 403, 200),
    "/gestion/salons/nouveau/":             (302, 403, 403, 403, 403, 403, 200),
    "/gestion/salons/salon-test/modifier/": (302, 403, 403, 403, 403, 403, 200),
}

POSTS = {
    # A person without a personal profile keeps no list (404); everyone else toggles theirs.
    F + "/kiosques/{booth}/favori/":                        (302, 302, 302, 302, 302, 404, 404),
    F + "/maillage/pas-interesse/{carol}/":                 (302, 404, 302, 404, 302, 404, 404),
    F + "/kiosques/{booth}/pistes/{lead}/":                 (302, 404, 302, 404, 404, 404, 302),
    # Alice deletes it; staff come after her in the row and find it gone.
    F + "/kiosques/{booth}/documents/{document}/supprimer/": (302, 404, 302, 404, 404, 404,
                                                             404),
    F + "/maillage/demander/{carol}/":                      (302, 404, 302, 302, 302, 404, 404),
    F + "/maillage/demandes/{request}/reponse/":            (302, 404, 404, 302, 404, 404, 404),
    F + "/maillage/demandes/{request}/annuler/":            (302, 404, 302, 302, 404, 404, 404),
    # Either side of an accepted request picks its slot (dan asked carol, she accepted).
    F + "/maillage/demandes/{accepted}/plage/":             (302, 404, 404, 302, 302, 404, 404),
    "/gestion/salons/salon-test/planifier/":                (302, 403, 403, 403, 403, 403, 302),
    "/gestion/salons/salon-test/kiosques/":                 (302, 403, 403, 403, 403, 403, 302),
    "/gestion/salons/salon-test/kiosques/{booth}/facturer/": (302, 403, 403, 403, 403, 403,
                                                             302),
    "/gestion/salons/salon-test/rencontres/{meeting}/absence/": (302, 403, 403, 403, 403, 403,
                                                                302),
}


@pytest.fixture
def urls(cast, fair, booth, rival_booth, pavilion):
    make_fair(slug="brouillon", status="draft")
    hidden = Booth.objects.create(fair=fair, pavilion=pavilion, organisation=cast.prospect,
                                  published=False)
    lead = services.lead_leave(booth=booth, contact=cast.carol.contact, consent=True)
    document = BoothDocument.objects.create(booth=booth, title="Catalogue", file="x.pdf")
    alice, carol = join(fair, cast.alice), join(fair, cast.carol)
    request = services.meeting_request_create(fair=fair, requester=alice, recipient=carol,
                                              reason="Acier")
    accepted = services.meeting_request_create(
        fair=fair, requester=join(fair, cast.dan), recipient=carol, reason="Transport")
    services.meeting_request_answer(request=accepted, participant=carol, accept=True)
    meeting = Meeting.objects.create(fair=fair, request=accepted, slot=0, table=1)
    return {"booth": booth.pk, "rival": rival_booth.pk, "hidden": hidden.pk, "lead": lead.pk,
            "document": document.pk, "carol": carol.pk, "request": request.pk,
            "accepted": accepted.pk,
            "meeting": meeting.pk}


@pytest.mark.parametrize("path", MATRIX)
def test_fair_matrix(client, cast, urls, path):
    got = statuses(client, cast, path.format(**urls))
    assert got == MATRIX[path], dict(zip(ROLES, got, strict=True))


@pytest.mark.parametrize("path", POSTS)
def test_fair_post_matrix(client, cast, urls, path):
    got = statuses(client, cast, path.format(**urls), "post", {
        "confirmed": "1", "decision": "accept", "reason": "Parler acier", "notes": "Rappeler",
        "organisation": cast.prospect.pk, "price": "450,00", "no_show": "1", "slot": "3",
        "pavilion": Booth.objects.get(pk=urls["booth"]).pavilion_id})
    assert got == POSTS[path], dict(zip(ROLES, got, strict=True))
