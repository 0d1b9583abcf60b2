"""Role × URL for the advantages app (anonymous, bob member contact, alice Acme admin,
carol Rival admin, dan non-member admin, bea board, sam staff); another company's objects
answer 404."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from alliage.advantages import collection, pooling, purchasing, services
from alliage.advantages.models import Advantage
from tests.advantages.conftest import make_pae, make_purchase, make_resource
from tests.conftest import MATRIX_ROLES as ROLES
from tests.conftest import statuses

ADMIN = (302, 403, 200, 200, 403, 403, 200)   # member-company admins and staff
STAFF = (302, 403, 403, 403, 403, 403, 200)

MATRIX = {
    "/avantages/":                              (200,) * 7,
    "/avantages/programmes/pae/":               (200,) * 7,
    "/avantages/programmes/rabais/":            (200,) * 7,
    "/avantages/programmes/inconnu/":           (404,) * 7,
    "/avantages/programmes/pae/document/":      (404,) * 7,  # no document (served: attacks)
    "/avantages/achats/{purchase}/":            (302, 200, 200, 200, 403, 403, 200),
    "/avantages/achats/{draft}/":               (302, 404, 404, 404, 403, 403, 404),
    "/avantages/achats/{purchase}/progression/": (302, 302, 302, 302, 403, 403, 302),
    "/avantages/ressources/{resource}/":        (302, 200, 200, 200, 403, 403, 200),
    # Bookings to decide: the owners (Rival owns the scanner) and staff.
    "/avantages/reservations/":                 (302, 404, 404, 200, 404, 404, 200),
    "/avantages/collecte/":                     (302, 403, 200, 200, 404, 403, 404),
    "/mon-entreprise/{acme}/avantages/":        (302, 403, 200, 404, 404, 403, 200),
    "/mon-entreprise/{rival}/avantages/":       (302, 403, 404, 200, 404, 403, 200),
    "/gestion/avantages/programmes/":           STAFF,
    "/gestion/avantages/programmes/nouveau/":   STAFF,
    "/gestion/avantages/programmes/pae/":       STAFF,
    "/gestion/avantages/achats/":               STAFF,
    "/gestion/avantages/achats/nouveau/":       STAFF,
    "/gestion/avantages/achats/{purchase}/":    STAFF,
    "/gestion/avantages/achats/{purchase}/commande.csv": STAFF,
    "/gestion/avantages/ressources/":           STAFF,
    "/gestion/avantages/ressources/{resource}/": STAFF,
    "/gestion/avantages/collecte/":             STAFF,
    "/gestion/avantages/collecte/tournees/{round}/": STAFF,
}

POSTS = {
    # Enrolment: only a member company's admin (dan's company is no member: 404).
    "/avantages/programmes/pae/inscription/":   (302, 403, 302, 302, 404, 403, 404),
    "/avantages/programmes/rabais/rabais/":     (302, 302, 302, 302, 403, 403, 403),
    # Acme's enrolment: its admin and staff; another company's admin gets 404.
    "/avantages/inscriptions/{enrolment}/renouveler/": (302, 403, 302, 404, 404, 403, 302),
    "/avantages/inscriptions/{enrolment}/arreter/": (302, 403, 200, 404, 404, 403, 200),
    "/avantages/achats/{purchase}/engagement/": (302, 403, 400, 400, 404, 403, 404),
    # Posted without a decision: a refusal, which asks first (the owner and staff only).
    "/avantages/reservations/{booking}/decision/": (302, 404, 404, 200, 404, 404, 200),
    "/avantages/reservations/{booking}/annuler/": (302, 403, 200, 404, 404, 403, 404),
    "/gestion/avantages/programmes/pae/utilisation/": STAFF[:6] + (302,),
    "/gestion/avantages/ressources/{resource}/facturer/": STAFF[:6] + (302,),
}


@pytest.fixture
def urls(cast):
    pae = make_pae()
    Advantage.objects.create(kind="discount", slug="rabais", name_fr="Rabais",
                             provider="Partenaire", discount_code="X")
    purchase = make_purchase()
    draft = make_purchase(slug="brouillon", status="draft")
    resource = make_resource()
    scanner = make_resource(name_fr="Numériseur", owner=cast.rival)
    start = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=4),
                                                 datetime.min.time().replace(hour=9)))
    booking = pooling.booking_request(resource=scanner, organisation=cast.acme,
                                      starts_at=start, ends_at=start + timedelta(hours=2),
                                      actor=cast.alice)
    enrolment = services.enrolment_create(advantage=pae, organisation=cast.acme, employees=45,
                                          actor=cast.alice)
    purchasing.pledge_set(purchase=purchase, organisation=cast.acme, quantity=5,
                          actor=cast.alice)
    sub = collection.subscription_set(organisation=cast.acme, material="cardboard",
                                      estimated_kg=100, actor=cast.alice)
    rnd = collection.round_plan(date=timezone.localdate(), material="cardboard",
                                subscriptions=[sub], actor=cast.sam)
    return {"purchase": purchase.slug, "draft": draft.slug, "resource": resource.pk,
            "acme": cast.acme.pk, "rival": cast.rival.pk, "round": rnd.pk,
            "booking": booking.pk, "enrolment": enrolment.pk}


@pytest.mark.parametrize("path", MATRIX)
def test_advantages_matrix(client, cast, urls, path):
    got = statuses(client, cast, path.format(**urls))
    assert got == MATRIX[path], dict(zip(ROLES, got, strict=True))


@pytest.mark.parametrize("path", POSTS)
def test_advantages_posts(client, cast, urls, path):
    got = statuses(client, cast, path.format(**urls), method="post")
    assert got == POSTS[path], dict(zip(ROLES, got, strict=True))
