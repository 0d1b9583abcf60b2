"""The activity report (issue #20): sections registered by the apps, the period rules, the
draft/publish cycle (published figures frozen), the command's contract, the PDF's text."""

import io
import subprocess
import sys
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from alliage.core import reporting
from alliage.reports import services
from alliage.reports.models import ActivityReport, ReportFile
from alliage.reports.rendering import pdf_bytes
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

START, END = date(2019, 12, 1), date(2020, 6, 30)


def _aware(day):
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time(17)))


def EventFactory(*, starts_at, kind, title_fr="Activité"):     # noqa: N802
    from alliage.events.models import Event, TicketType

    event = Event.objects.create(kind=kind, title_fr=title_fr, status="published",
                                 slug=f"e-{Event.objects.count()}-{kind}", starts_at=starts_at,
                                 ends_at=starts_at + timedelta(hours=2))
    TicketType.objects.create(event=event, name_fr="Entrée", member_price_cents=0,
                              public_price_cents=0)
    return event


def RegistrationFactory(*, event):     # noqa: N802
    from alliage.events.models import Order, Registration

    contact = ContactFactory()
    order = Order.objects.create(event=event, buyer=contact)
    return Registration.objects.create(order=order, event=event, contact=contact,
                                       ticket_type=event.ticket_types.first(), price_cents=0,
                                       status=Registration.Status.CONFIRMED)


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_every_app_with_figures_registers_its_section():
    keys = {s.key for s in reporting.sections()}
    assert {"governance", "activities", "training", "symbiosis", "plan", "support", "surveys",
            "communications", "advantages", "fair", "showcase", "members"} <= keys
    # Each section lives in its app's report.py (a new app adds one without touching others).
    for section in reporting.sections():
        assert section.collect.__module__.endswith(".report"), section.key


def test_collect_on_an_empty_database_gives_plain_figures_for_every_section():
    figures = services.collect(START, END)
    assert set(figures) == {s.key for s in reporting.sections()}
    assert figures["members"]["members"] == 0
    assert figures["activities"]["event_list"] == []
    import json

    assert json.loads(json.dumps(figures)) == figures        # frozen as JSON unchanged


@pytest.mark.parametrize("start,end,message", [
    (date(2020, 6, 30), date(2019, 12, 1), "précède son début"),
    (date(1980, 1, 1), date(1980, 6, 1), "trop loin"),
    (date(2018, 1, 1), date(2020, 6, 30), "au plus"),
])
def test_bad_periods_are_refused_with_a_sentence(start, end, message):
    with pytest.raises(ValidationError, match=message):
        services.check_period(start, end)


def test_query_count_per_section_does_not_grow_with_the_data(cast):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            services.collect(START, END)
        return len(ctx.captured_queries)

    EventFactory(starts_at=_aware(date(2020, 2, 6)), kind="networking")
    small = count()
    for i in range(6):
        event = EventFactory(starts_at=_aware(date(2020, 3, 1) + timedelta(days=i)),
                             kind="golf")
        for _n in range(3):
            RegistrationFactory(event=event)
    assert count() == small




def test_publishing_freezes_figures_and_later_data_changes_nothing(
        cast, django_capture_on_commit_callbacks):
    report = services.report_create(actor=cast.sam, title_fr="Rapport 2019-2020",
                                    start=START, end=END, mission_fr="Notre mission.")
    event = EventFactory(starts_at=_aware(date(2020, 2, 6)), kind="networking",
                         title_fr="Cinq à sept")
    RegistrationFactory(event=event)
    with django_capture_on_commit_callbacks(execute=False):
        services.report_publish(report=report, actor=cast.sam)
    report.refresh_from_db()
    assert report.is_published and report.published_by == cast.sam
    frozen = report.figures["activities"]["participants"]
    assert frozen == 1
    before = pdf_text(pdf_bytes(report, "fr"))
    for _n in range(4):
        RegistrationFactory(event=event)                  # data changes after publication
    EventFactory(starts_at=_aware(date(2020, 3, 3)), kind="golf", title_fr="Golf")
    report.refresh_from_db()
    assert services.figures_of(report)["activities"]["participants"] == frozen
    assert services.collect(START, END)["activities"]["participants"] == 5
    assert pdf_text(pdf_bytes(report, "fr")) == before
    # Frozen for good: no edit, no delete, a second publication changes nothing.
    with pytest.raises(ValidationError):
        services.report_update(report=report, actor=cast.sam, mission_fr="Autre")
    with pytest.raises(ValidationError):
        services.report_delete(report=report, actor=cast.sam)
    services.report_publish(report=report, actor=cast.sam)
    assert ReportFile.objects.filter(report=report, frozen=True).count() == 2


def test_the_pdf_has_a_cover_a_table_of_contents_with_page_numbers_and_the_texts(cast):
    report = ActivityReport.objects.create(title_fr="Rapport d'activités 2019-2020",
                                           title_en="Activity report 2019-2020",
                                           start=START, end=END,
                                           president_word_fr="Merci aux membres.",
                                           values_fr="Collaboration · Fierté",
                                           notes={"members": {"fr": "Note du personnel."}})
    text = pdf_text(pdf_bytes(report, "fr"))
    assert "Rapport d'activités 2019-2020" in text
    assert "Table des matières" in text
    assert "Mot de la présidence" in text and "Merci aux membres." in text
    assert "Collaboration · Fierté" in text and "Note du personnel." in text
    # The contents list each part with the page it starts on (WeasyPrint's target-counter):
    # each number leads to the page that holds the part's title.
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes(report, "fr"))).pages]
    contents = next(text for text in pages if "Table des matières" in text).splitlines()
    numbers = [int(line) for line in contents[:contents.index("Table des matières")]]
    titles = contents[contents.index("Table des matières") + 1:-1]
    assert len(numbers) == len(titles) >= 14
    for title, number in zip(titles, numbers, strict=True):
        assert title in pages[number - 1], (title, number)
    english = pdf_text(pdf_bytes(report, "en"))
    assert "Activity report 2019-2020" in english and "Contents" in english
    assert "Members" in english


def test_the_command_writes_the_pdf(tmp_path, cast):
    out = tmp_path / "report.pdf"
    call_command("activity_report", "--start", "2019-12-01", "--end", "2020-06-30",
                 "--output", str(out), stdout=io.StringIO())
    text = pdf_text(out.read_bytes())
    assert "1 décembre 2019" in text and "30 juin 2020" in text
    call_command("activity_report", "--start", "2019-12-01", "--end", "2020-06-30",
                 "--output", str(out), "--language", "en", stdout=io.StringIO())
    assert "December 1, 2019" in pdf_text(out.read_bytes()) or \
        "1 December 2019" in pdf_text(out.read_bytes())


@pytest.mark.parametrize("args", [
    ["--start", "2019-13-01", "--end", "2020-06-30"],
    ["--start", "2020-06-30", "--end", "2019-12-01"],
    ["--start", "hier", "--end", "2020-06-30"],
    ["--start", "2019-12-01"],
    ["--start", "20191201", "--end", "20200630"],       # only YYYY-MM-DD, as documented
    ["--start", "2019-12-1", "--end", "2020-06-30"],
])
def test_bad_dates_give_one_line_and_exit_code_2(args, tmp_path, transactional_db):
    """Keep this contract (issue #20): one line on standard error, exit code 2, no file."""
    import os

    out = tmp_path / "r.pdf"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    run = subprocess.run([sys.executable, "manage.py", "activity_report", *args,
                          "--output", str(out)], capture_output=True, text=True, env=env,
                         timeout=120)
    assert run.returncode == 2, run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert not out.exists()


def test_the_pdf_fetches_nothing_but_its_charts_and_local_files(settings, tmp_path):
    """Texts are escaped, and even so WeasyPrint may fetch only data: URIs and files of the
    project or the media folder: no network address, no other local file."""
    from alliage.reports.rendering import _local_only

    _local_only("data:text/plain;base64,SGk=")
    _local_only(f"file://{settings.BASE_DIR}/static/css/alliage.css")
    for path in [f"{settings.BASE_DIR}/config/settings.py", f"{settings.BASE_DIR}/.env",
                 f"{settings.BASE_DIR}/static/../config/settings.py"]:
        with pytest.raises(ValueError):
            _local_only(f"file://{path}")
    for url in ["http://127.0.0.1:9/x.png", "https://example.org/a.css", "file:///etc/passwd",
                "ftp://example.org/x"]:
        with pytest.raises(ValueError):
            _local_only(url)
    report = ActivityReport.objects.create(
        title_fr="R", start=START, end=END,
        context_fr='<img src="file:///etc/passwd"> <style>@import "http://127.0.0.1:9/";</style>')
    text = pdf_text(pdf_bytes(report, "fr"))
    assert '<img src="file:///etc/passwd">' in text          # printed as text, not fetched


def test_a_dollar_pair_in_a_title_neither_breaks_the_charts_nor_the_report(cast):
    """Chart labels are data: "$...$" is not a formula (matplotlib would raise on it)."""
    event = EventFactory(starts_at=_aware(date(2020, 2, 6)), kind="networking",
                         title_fr="Gala 5@7 $$ 50 $ et 62,50 $")
    RegistrationFactory(event=event)
    report = ActivityReport.objects.create(title_fr="R", start=START, end=END)
    text = pdf_text(pdf_bytes(report, "fr"))
    assert "Gala 5@7 $$ 50 $ et 62,50 $" in text
    from alliage.reports.rendering import parts

    activities = next(p for p in parts(report, "fr") if p.anchor == "s-activities")
    assert [c.title for c in activities.charts] == ["Participants par activité",
                                                    "Participants par type d'activité"]
