"""The activity report in a browser (issue #20): staff create the founding year's report,
write the president's word, read the preview in French and English, publish it (after the
browser's confirmation), and anyone finds it on the public page. axe-core on every report
page at 1280 and 390 px."""

import os
from datetime import date

import pytest

from alliage.reports import services
from alliage.reports.models import ActivityReport
from tests.browser.test_accessibility import _login, _violations
from tests.reports.test_report import EventFactory, RegistrationFactory, _aware

pytestmark = pytest.mark.browser


@pytest.fixture
def world(cast, settings):
    # The PDFs wait in the database queue as in production (a worker renders them), instead
    # of being rendered inside the publishing request by the test settings' immediate backend.
    from tests.conftest import ALL_QUEUES

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ALL_QUEUES}}
    event = EventFactory(starts_at=_aware(date(2020, 2, 6)), kind="networking",
                         title_fr="5@7 « La société régionale en caricatures »")
    for _n in range(3):
        RegistrationFactory(event=event)
    return cast


def test_staff_write_preview_and_publish_the_report(page, world):
    page.on("dialog", lambda dialog: dialog.accept())
    _login(page, "sam@alliage.example")
    page.goto(page.base + "/gestion/rapports/")
    page.get_by_role("link", name="Nouveau rapport").click()
    page.get_by_label("Titre (français)").fill("Rapport d'activités 2019-2020")
    page.get_by_label("Début de la période").fill("2020-06-30")
    page.get_by_label("Fin de la période").fill("2019-12-01")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("La fin de la période précède son début.").first.wait_for()
    assert ActivityReport.objects.count() == 0
    page.get_by_label("Début de la période").fill("2019-12-01")
    page.get_by_label("Fin de la période").fill("2020-06-30")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Rapport créé.").wait_for()
    page.get_by_role("link", name="Modifier les textes et les notes").click()
    page.get_by_label("Mot de la présidence (français)").fill("Merci aux membres fondateurs.")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Rapport enregistré.").wait_for()
    preview = page.locator(".report-preview")
    assert "Merci aux membres fondateurs." in preview.inner_text()
    assert "La société régionale en caricatures" in preview.inner_text()
    assert preview.get_by_role("img", name="Participants par activité").count() == 1
    page.get_by_role("link", name="Aperçu en anglais").click()
    assert "Word from the president" in page.locator(".report-preview").inner_text()
    page.get_by_role("button", name="Publier").click()
    page.get_by_text("Rapport publié.").wait_for()
    report = ActivityReport.objects.get()
    assert report.is_published and report.figures["activities"]["participants"] == 3
    assert page.get_by_role("button", name="Publier").count() == 0     # frozen: no more edit
    page.context.clear_cookies()
    page.goto(page.base + "/rapports-annuels/")
    assert page.get_by_role("link", name="PDF en français").count() == 1


@pytest.mark.parametrize("width", [1280, 390])
def test_no_axe_violation_on_report_pages(page, world, width):
    draft = services.report_create(actor=world.sam, title_fr="Rapport 2019-2020",
                                   start=date(2019, 12, 1), end=date(2020, 6, 30),
                                   president_word_fr="Merci.", values_fr="Fierté")
    published = services.report_create(actor=world.sam, title_fr="Rapport 2018-2019",
                                       start=date(2018, 7, 1), end=date(2019, 6, 30))
    services.report_publish(report=published, actor=world.sam)
    page.set_viewport_size({"width": width, "height": 900})
    found = {}
    for email, paths in {None: ["/rapports-annuels/"],
                         "sam@alliage.example": [
                             "/gestion/rapports/", "/gestion/rapports/nouveau/",
                             f"/gestion/rapports/{draft.pk}/",
                             f"/gestion/rapports/{draft.pk}/?langue=en",
                             f"/gestion/rapports/{draft.pk}/modifier/",
                             f"/gestion/rapports/{published.pk}/"]}.items():
        page.context.clear_cookies()
        if email:
            _login(page, email)
        for path in paths:
            if violations := _violations(page, path):
                found[path] = violations
            if os.environ.get("ALLIAGE_SHOTS"):
                name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
                page.screenshot(path=f"{os.environ['ALLIAGE_SHOTS']}/{name}-{width}.png",
                                full_page=True)
    assert not found, found
