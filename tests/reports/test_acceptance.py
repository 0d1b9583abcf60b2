"""The seed as the acceptance case (issue #20): with the demo data, the report for
2019-12-01 → 2020-06-30 shows the facts of the association's 2019-2020 report. The PDF is
written by the command a script would run, and read back with pypdf."""

import io
import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def _lines(pdf_path):
    text = "\n".join(page.extract_text() for page in PdfReader(str(pdf_path)).pages)
    return text, text.splitlines()


def _number_after(lines, label):
    """The figure printed under a key-figure label (the label may wrap on two lines)."""
    for i, line in enumerate(lines):
        if line.strip() == label:
            for candidate in lines[i + 1:i + 3]:
                if re.fullmatch(r"[\d\u202f\xa0 ]+", candidate.strip()):
                    return int(re.sub(r"\D", "", candidate))
    raise AssertionError(f"no figure under {label!r}")


def test_the_founding_year_report_shows_the_facts_of_2019_2020(settings, tmp_path):
    settings.DEBUG = True            # seed_demo refuses to run otherwise (make run sets it)
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=io.StringIO())
    out = tmp_path / "rapport.pdf"
    call_command("activity_report", "--start", "2019-12-01", "--end", "2020-06-30",
                 "--output", str(out), stdout=io.StringIO())
    text, lines = _lines(out)

    # Founded 2019-12-01 from a merger; the report covers the 7 months to 2020-06-30.
    assert "Du 1 décembre 2019 au 30 juin 2020" in text
    assert "fusion" in text
    # 300+ members.
    assert _number_after(lines, "Entreprises membres") >= 300
    # The AGA of constitution and the first board.
    assert "AGA de constitution d'Alliage 02" in text and "Conseil d'administration" in text
    # The 5@7 with 330 participants, the golf tournament, the suppliers' meetup.
    assert re.search(r"La société régionale en caricatures »\s*330", text)
    assert "Tournoi de golf Alliage 02 2020" in text
    assert "Rendez-vous des équipementiers 2020" in text
    # The 2020-05-26 fraud webinar.
    assert re.search(r"26 mai 2020\s+Webinaire : abus financiers et stratagèmes de fraude", text)
    # The member survey of 2020-04-04 with 30 respondents.
    assert re.search(r"4 avril 2020\s+Consultation des membres.*?\s30\b", text, re.S)
    # The June 2020 virtual industrial fair with 5 pavilions.
    assert "Salon industriel virtuel 2020 — juin 2020" in text
    assert _number_after(lines, "Pavillons") == 5
    for pavilion in ["Manufacturiers", "Associations", "Financement et soutien", "Technologies",
                     "Services"]:
        assert pavilion in text
    # Newsletters sent since the pandemic began (weekly from mid-March 2020).
    assert _number_after(lines, "Infolettres envoyées") >= 15
    # The employee-assistance plan and the industrial-symbiosis project.
    assert "Programme d'aide aux employés (PAE)" in text
    assert "Symbiose industrielle" in text
    assert _number_after(lines, "Entreprises avec des flux publiés") >= 1 or \
        "Entreprises caractérisées" in text
    # The regional products' counter, and the staff's notes on what no figure says.
    assert "Comptoir des produits régionaux" in text
    assert "ISI Alliage 02" in text and "Je crois en ma région" in text
    # Mission, vision and values close the report.
    assert "Collaboration · Respect · Dynamisme · Cohérence · Fierté" in text
