import pytest

from alliage.core.models import Association, AuditLog
from tests.conftest import login


def test_healthz_reports_database_and_queue(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok" and body["tasks"] == "ok"
    assert body["tasks_waiting"] == 0


def test_unknown_page_is_a_french_404(client, cast):
    response = client.get("/pas-ici/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_content_security_policy_forbids_inline_script(client, cast):
    header = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in header
    assert "unsafe-inline" not in header


def test_pages_carry_no_inline_script(client, cast):
    html = client.get("/").content.decode()
    for chunk in html.split("<script")[1:]:
        assert "src=" in chunk.split(">")[0], "inline <script> found"


def test_theme_css_uses_the_association_colours(client, cast):
    association = Association.current()
    association.primary_colour = "#123456"
    association.save()
    assert "--brand:#123456" in client.get("/theme.css").content.decode()


def test_identity_in_header_and_footer(client, cast):
    html = client.get("/").content.decode()
    assert "Alliage 02" in html
    assert "G7K 1A1" in html


def test_staff_edit_identity_is_audited(client, cast):
    login(client, cast.sam)
    association = Association.current()
    data = {f: getattr(association, f) for f in (
        "name", "short_name", "slogan", "street", "city", "province", "postal_code", "phone",
        "email", "website", "tps_number", "tvq_number", "neq", "privacy_officer_name",
        "privacy_officer_email", "privacy_officer_phone", "primary_colour", "accent_colour",
        "font", "heading_font")}
    data["phone"] = "418-555-9999"
    response = client.post("/gestion/association/", data)
    assert response.status_code == 302
    entry = AuditLog.objects.get(action="association.update")
    assert entry.actor == cast.sam
    assert entry.changes["phone"] == ["418-555-0102", "418-555-9999"]


def test_bad_colour_is_refused_with_a_french_error(client, cast):
    login(client, cast.sam)
    response = client.post("/gestion/association/", {"name": "X", "short_name": "X",
                                                     "primary_colour": "blue",
                                                     "accent_colour": "#000000",
                                                     "province": "QC"})
    assert response.status_code == 200
    assert "Entrez une couleur comme #1f4e79." in response.content.decode()
    assert Association.current().name != "X"


@pytest.mark.parametrize("path", ["/gestion/association/", "/gestion/journal/"])
def test_core_staff_pages_are_closed_to_members(client, cast, path):
    login(client, cast.alice)
    assert client.get(path).status_code == 403
