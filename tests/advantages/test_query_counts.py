"""Lists cost a fixed number of queries, whatever the number of rows (habit 7)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliage.advantages import purchasing, services
from alliage.members.models import Organisation
from tests.advantages.conftest import make_pae, make_purchase
from tests.conftest import login

PAGES = ["/avantages/", "/gestion/avantages/programmes/", "/gestion/avantages/achats/",
         "/gestion/avantages/achats/epi-2026/", "/gestion/avantages/achats/epi-2026/commande.csv",
         "/mon-entreprise/{acme}/avantages/", "/avantages/achats/epi-2026/"]


def _counts(client, cast):
    out = {}
    for path in PAGES:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path.format(acme=cast.acme.pk))
        assert response.status_code == 200, path
        out[path] = len(captured)
    return out


def _grow(cast, n, start):
    pae = make_pae(slug=f"pae-{start}") if start else make_pae()
    purchase = make_purchase(slug=f"achat-{start}") if start else make_purchase()
    for i in range(start, start + n):
        org = Organisation.objects.create(legal_name=f"Membre {i}", slug=f"m-{i}",
                                          member_status="active", employees=10)
        services.enrolment_create(advantage=pae, organisation=org, employees=10, actor=None)
        purchasing.pledge_set(purchase=purchase, organisation=org, quantity=10, actor=None)
        if start:
            epi = purchase.__class__.objects.get(slug="epi-2026")
            purchasing.pledge_set(purchase=epi, organisation=org, quantity=5, actor=None)


def test_list_pages_cost_the_same_queries_with_more_rows(client, cast):
    _grow(cast, 2, 0)
    login(client, cast.sam)
    _counts(client, cast)  # warm the caches the site keeps (the association, menus)
    few = _counts(client, cast)
    _grow(cast, 8, 100)
    many = _counts(client, cast)
    assert many == few
    assert max(few.values()) <= 30, few
