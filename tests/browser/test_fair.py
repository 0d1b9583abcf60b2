"""The fair in a browser: a visitor walks a pavilion into a booth, leaves their card and asks
one of the booth's team for a meeting (issue #16); axe-core on the fair's pages in three
roles at 1280 and 390 px (kept here, beside the shared list in test_accessibility.py,
because they need a fair)."""

import os

import pytest

from alliage.fair import services
from tests.browser.test_accessibility import _login, _violations
from tests.fair.conftest import make_fair

pytestmark = pytest.mark.browser


@pytest.fixture
def fair_world(cast):
    from alliage.fair.models import Booth, Pavilion

    fair = make_fair(title_fr="Salon industriel virtuel", slug="salon-test")
    pavilion = Pavilion.objects.create(fair=fair, slug="manufacturiers",
                                       name_fr="Manufacturiers")
    booth = Booth.objects.create(fair=fair, pavilion=pavilion, organisation=cast.acme,
                                 description_fr="Usinage CNC de grandes pièces.",
                                 products="Arbres de transmission\nBagues d'usure",
                                 capabilities="Tour CNC 3 m", contact=cast.bob.contact,
                                 room_url="https://salle.example/acme")
    booth.team.set([cast.alice.contact, cast.bob.contact])
    bob = services.participant_save(fair=fair, contact=cast.bob.contact, organisation=cast.acme,
                                    offers="Usinage de grandes pièces")
    carol = services.participant_save(fair=fair, contact=cast.carol.contact,
                                      organisation=cast.rival, seeks="Usinage")
    alice = services.participant_save(fair=fair, contact=cast.alice.contact,
                                      organisation=cast.acme)
    services.lead_leave(booth=booth, contact=cast.dan.contact, consent=True, message="Prix ?")
    r = services.meeting_request_create(fair=fair, requester=carol, recipient=alice,
                                        reason="Sous-traitance")
    services.meeting_request_answer(request=r, participant=alice, accept=True)
    from alliage.fair.models import ScheduleRun
    from alliage.fair.scheduling import schedule_run

    schedule_run(run_id=ScheduleRun.objects.create(fair=fair).pk, time_limit=2)
    return {"fair": fair, "booth": booth.pk, "bob": bob}


def test_a_visitor_walks_a_pavilion_into_a_booth_leaves_a_card_and_asks_for_a_meeting(
        page, cast, fair_world):
    from alliage.fair.models import Lead, MeetingRequest

    _login(page, "carol@rival.example")
    page.goto(page.base + "/salon/")
    page.get_by_role("link", name="Salon industriel virtuel").click()
    page.get_by_role("link", name="Manufacturiers").click()
    page.get_by_role("link", name="Précision Acme").click()
    assert page.get_by_text("Arbres de transmission").is_visible()
    page.get_by_label("J'accepte que Précision Acme").check()
    page.get_by_role("button", name="Laisser ma carte").click()
    page.get_by_text("Votre carte a été remise à Précision Acme.").wait_for()
    assert Lead.objects.filter(contact=cast.carol.contact).exists()
    # The booth's team: both names, one link per person taking meetings.
    assert page.get_by_text("Alice Tremblay").is_visible()
    page.get_by_role("link", name="Demander une rencontre d'affaires à Bob").click()
    card = page.locator("article", has_text="Bob Gagnon")
    card.get_by_label("Raison de la rencontre").fill("Usiner nos arbres en région")
    card.get_by_role("button", name="Demander une rencontre").click()
    page.get_by_text("Votre demande a été envoyée à Bob Gagnon.").wait_for()
    assert MeetingRequest.objects.filter(recipient=fair_world["bob"],
                                         reason="Usiner nos arbres en région").exists()
    assert page.errors == []


PUBLIC = ["/salon/", "/salon/salon-test/", "/salon/salon-test/?q=arbres",
          "/salon/salon-test/pavillons/manufacturiers/", "/salon/salon-test/kiosques/{booth}/"]
MEMBER = ["/salon/salon-test/kiosques/{booth}/", "/salon/salon-test/kiosques/{booth}/modifier/",
          "/salon/salon-test/kiosques/{booth}/pistes/", "/salon/salon-test/maillage/",
          "/salon/salon-test/agenda/"]
STAFF = ["/gestion/salons/", "/gestion/salons/salon-test/"]


def _check(page, paths, world, found, width):
    shots = os.environ.get("FAIR_SHOTS")
    for path in paths:
        if v := _violations(page, path.format(**world)):
            found[path] = v
        if shots:
            name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
            page.screenshot(path=f"{shots}/{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_no_axe_violation_on_the_fair_pages(page, cast, fair_world, width, settings):
    settings.STAFF_2FA_REQUIRED = False
    page.set_viewport_size({"width": width, "height": 900})
    found = {}
    _check(page, PUBLIC, fair_world, found, width)
    _login(page, "alice@acme.example")
    _check(page, MEMBER, fair_world, found, width)
    page.context.clear_cookies()
    _login(page, "sam@alliage.example")
    _check(page, STAFF, fair_world, found, width)
    assert found == {}, "\n".join(f"{p}: {v}" for p, v in found.items())
