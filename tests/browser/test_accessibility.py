"""Issue #14, item 16: axe-core on the pages people use, in each role, at 1280 px and
390 px: no violation of any impact (axe-playwright-python, pinned; Debian's Chromium)."""

import pytest

from tests.events.conftest import make_event

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-42"


def _violations(page, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(page.base + path)
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    found = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
             for v in results.response["violations"]]
    # Nothing wider than the window (a page that scrolls sideways hides its buttons).
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > page.viewport_size["width"] and not path.startswith("/api/"):
        found.append(("page-wider-than-window", width, []))
    return found


def _login(page, email):
    page.goto(page.base + "/compte/connexion/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(page.base + "/")


@pytest.fixture
def world(cast):
    from alliage.billing import services as billing
    from alliage.events import guest, services

    public = make_event(slug="tournoi-de-golf", kind="golf", title_fr="Tournoi de golf")
    order = services.order_create(event=public, ticket_type=public.ticket_types.get(),
                                  buyer=cast.bob.contact, attendees=[cast.bob.contact],
                                  organisation=cast.acme)
    billing.invoice_create(organisation=cast.acme, lines=[billing.Line("Cotisation", 45000)])
    visitor = guest.guest_order_create(
        event=public, ticket_type=public.ticket_types.get(),
        person={"first_name": "Nadia", "last_name": "Fortin", "email": "n@soudure.example"},
        company={"name": "Soudure Nadia inc.", "address": "12, rue des Pionniers\nAlma",
                 "email": ""})
    return {"acme": cast.acme.pk, "order": order, "guest": guest.order_url(visitor)}


PUBLIC = ["/", "/repertoire/", "/activites/", "/activites/tournoi-de-golf/",
          "/activites/tournoi-de-golf/inscription/", "/devenir-membre/", "/infolettre/",
          "/symbiose/", "/compte/connexion/", "/compte/mot-de-passe/", "/api/v1/docs",
          "/confidentialite/", "/nouvelles/", "/page-qui-n-existe-pas/", "/avantages/",
          "/vie-associative/", "/sondages/"]
MEMBER = ["/compte/profil/", "/mon-entreprise/{acme}/", "/mon-entreprise/{acme}/facturation/",
          "/mon-entreprise/{acme}/equipe/", "/activites/tournoi-de-golf/",
          "/symbiose/mes-flux/", "/symbiose/flux/nouveau/", "/mon-entreprise/{acme}/avantages/",
          "/avantages/collecte/"]
STAFF = ["/gestion/", "/gestion/entreprises/", "/gestion/entreprises/{acme}/",
         "/gestion/personnes/",
         "/gestion/activites/", "/gestion/activites/tournoi-de-golf/inscriptions/",
         "/gestion/infolettres/", "/gestion/infolettres/nouvelle/", "/gestion/factures/",
         "/gestion/comptabilite/",
         "/gestion/courriels/", "/gestion/a-risque/", "/gestion/confidentialite/",
         "/gestion/journal/", "/gestion/avantages/programmes/",
         "/gestion/avantages/achats/nouveau/", "/gestion/avantages/ressources/",
         "/gestion/avantages/collecte/",
         "/gestion/sondages/", "/gestion/sondages/nouveau/", "/gestion/assemblees/",
         "/gestion/reglements/", "/gestion/elections/nouvelle/"]


@pytest.mark.parametrize("width", [1280, 390])
def test_no_axe_violation_anywhere(page, cast, world, width):
    page.set_viewport_size({"width": width, "height": 900})
    found = {}
    for path in [*PUBLIC, world["guest"]]:
        if v := _violations(page, path.format(**world)):
            found[path] = v
    _login(page, "alice@acme.example")
    for path in MEMBER:
        if v := _violations(page, path.format(**world)):
            found[path] = v
    page.context.clear_cookies()
    _login(page, "sam@alliage.example")
    for path in STAFF:
        if v := _violations(page, path.format(**world)):
            found[path] = v
    assert found == {}, "\n".join(f"{p}: {v}" for p, v in found.items())
