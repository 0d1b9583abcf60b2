"""Support and the public site in a browser (issue #19): a member admin describes a project,
sees the two programs it may get (with the reasons) and asks the association for help with
one click; staff find the case on their list and close it with the outcome. axe-core on the
support and site pages in three roles at 1280 and 390 px (kept here: they need programs,
a plan and pages)."""

import os

import pytest

from alliage.support.models import SupportCase
from tests.browser.test_accessibility import _login, _violations

pytestmark = pytest.mark.browser


@pytest.fixture
def world(cast):
    from alliage.pages import seed as pages_seed
    from alliage.support import seed as support_seed
    from tests.support.conftest import program

    program("Virage numérique", themes=["automation"], rate_percent=50,
            max_amount_cents=5_000_000)
    program("Fonds régional", themes=["automation"], sectors=["33"],
            regions=[cast.acme.municipality.region], max_amount_cents=10_000_000)
    program("Export Québec", themes=["export"])
    support_seed.seed_plan()
    pages_seed.seed()
    return cast


def test_a_member_describes_a_project_sees_two_programs_and_asks_for_help(page, world):
    cast = world
    _login(page, "alice@acme.example")
    page.goto(page.base + f"/mon-entreprise/{cast.acme.pk}/accompagnement/")
    page.get_by_role("link", name="Décrire un projet").click()
    page.locator("#id_title").fill("Cellule robotisée de soudure")
    page.locator("#id_theme").select_option("automation")
    page.locator("#id_budget").fill("400000")
    page.locator("#id_starts_on").fill("2027-02-01")
    page.get_by_role("button", name="Voir les programmes").click()
    page.get_by_role("heading", name="2 programmes peuvent le financer").wait_for()
    first = page.locator("ol.assessments > li").first
    assert "Fonds régional" in first.inner_text()
    assert "Votre secteur est admissible" in first.inner_text()           # the reasons
    page.get_by_text("1 programme ne convient pas, et pourquoi").click()
    assert "Export Québec" in page.locator("main details").inner_text()
    first.get_by_role("button", name="Demander l'aide de l'association").click()
    page.get_by_text("Votre demande est envoyée").wait_for()
    case = SupportCase.objects.get()
    assert case.program.name_fr == "Fonds régional" and case.organisation == cast.acme

    page.context.clear_cookies()
    page.on("dialog", lambda dialog: dialog.accept())
    _login(page, "sam@alliage.example")
    page.goto(page.base + "/gestion/accompagnement/")
    page.get_by_role("link", name=case.subject).click()
    page.locator("#id_outcome").select_option("financing")
    page.locator("#id_amount").fill("75000")
    page.get_by_role("button", name="Fermer le dossier").click()
    page.get_by_text("Dossier fermé.").wait_for()
    case.refresh_from_db()
    assert case.status == "closed" and case.outcome_amount_cents == 7_500_000


def test_a_member_attaches_a_document_that_staff_download(page, world, tmp_path):
    cast = world
    case = SupportCase.objects.create(organisation=cast.acme, kind="export", subject="Exporter",
                                      description="Aide")
    pdf = tmp_path / "soumission client.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    _login(page, "alice@acme.example")
    page.goto(page.base + f"/mon-entreprise/{cast.acme.pk}/accompagnement/dossiers/{case.pk}/")
    page.get_by_label("Document").set_input_files(str(pdf))
    page.get_by_role("button", name="Ajouter le document").click()
    page.get_by_text("Document ajouté.").wait_for()
    with page.expect_download() as got:
        page.get_by_role("link", name="soumission client.pdf").click()
    assert got.value.suggested_filename == "soumission client.pdf"
    page.context.clear_cookies()
    _login(page, "sam@alliage.example")
    page.goto(page.base + f"/gestion/accompagnement/dossiers/{case.pk}/")
    assert "du membre" in page.locator("ul.document-list").inner_text()


ROLE_PAGES = {
    None: ["/financement/", "/pages/a-propos/", "/en/pages/a-propos/", "/pages/equipe/",
           "/contact/", "/"],
    "alice@acme.example": ["/mon-entreprise/{acme}/accompagnement/",
                           "/mon-entreprise/{acme}/accompagnement/projets/nouveau/",
                           "/mon-entreprise/{acme}/accompagnement/demande/",
                           "/mon-entreprise/{acme}/accompagnement/dossiers/{case}/"],
    "sam@alliage.example": ["/gestion/accompagnement/", "/gestion/financement/",
                            "/gestion/financement/nouveau/", "/gestion/plan-strategique/",
                            "/gestion/site/", "/gestion/site/nouvelle/",
                            "/gestion/site/{page}/", "/gestion/site/accueil/",
                            "/gestion/accompagnement/dossiers/{case}/"],
}


@pytest.mark.parametrize("width", [1280, 390])
def test_no_axe_violation_on_support_and_site_pages(page, world, width):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from alliage.pages.models import Page
    from alliage.support import documents, services

    about = Page.objects.get(slug="a-propos")
    case = services.case_request(organisation=world.acme, actor=world.alice, kind="export",
                                 subject="Exporter", description="Aide")
    documents.case_document_add(case=case, actor=world.alice, from_member=True,
                                upload=SimpleUploadedFile("devis.pdf", b"%PDF-1.4\n%%EOF\n"))
    page.set_viewport_size({"width": width, "height": 900})
    found = {}
    for email, paths in ROLE_PAGES.items():
        page.context.clear_cookies()
        if email:
            _login(page, email)
        for path in paths:
            path = path.format(acme=world.acme.pk, case=case.pk, page=about.pk)
            violations = _violations(page, path)
            if violations:
                found[path] = violations
            if os.environ.get("ALLIAGE_SHOTS"):
                name = path.strip("/").replace("/", "_") or "home"
                page.screenshot(path=f"{os.environ['ALLIAGE_SHOTS']}/{name}-{width}.png",
                                full_page=True)
    assert not found, found
