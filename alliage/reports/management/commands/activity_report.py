"""python manage.py activity_report --start 2019-12-01 --end 2020-06-30 --output report.pdf
[--language fr|en]  (issue #20: keep this contract)

Writes the activity report of the period as PDF from the live figures. Bad dates or period:
one line on standard error and exit code 2.
"""

import sys
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Write the activity report of a period as PDF."

    def add_arguments(self, parser):
        parser.add_argument("--start", help="First day, YYYY-MM-DD (default: the last fiscal "
                                            "year)")
        parser.add_argument("--end", help="Last day, YYYY-MM-DD")
        parser.add_argument("--output", required=True, help="Where to write the PDF")
        parser.add_argument("--language", choices=["fr", "en"], default="fr")

    def _fail(self, message):
        sys.stderr.write(f"activity_report: {message}\n")
        sys.exit(2)

    def handle(self, *args, start=None, end=None, output=None, language="fr", **options):
        from alliage.core.models import Association
        from alliage.reports import services
        from alliage.reports.models import ActivityReport
        from alliage.reports.rendering import pdf_bytes

        with translation.override(language):
            if (start is None) != (end is None):
                self._fail(_("Give both --start and --end, or neither."))
            if start is None:
                first, last = services.default_period()
            else:
                try:
                    # Exactly YYYY-MM-DD (fromisoformat would also take 20191201 or 2019-W48).
                    first = datetime.strptime(start, "%Y-%m-%d").date()
                    last = datetime.strptime(end, "%Y-%m-%d").date()
                    if len(start) != 10 or len(end) != 10:
                        raise ValueError
                except ValueError:
                    self._fail(_("Dates are written YYYY-MM-DD, e.g. 2019-12-01."))
            try:
                services.check_period(first, last)
            except ValidationError as error:
                self._fail(" ".join(error.messages))
            name = Association.current().short_name
            # An unsaved report: the command reads today's figures and stores nothing.
            report = ActivityReport(
                start=first, end=last,
                title_fr=f"Rapport d'activités {name} {first:%Y}-{last:%Y}"
                if first.year != last.year else f"Rapport d'activités {name} {first:%Y}",
                title_en=f"{name} activity report {first:%Y}-{last:%Y}"
                if first.year != last.year else f"{name} activity report {first:%Y}")
            saved = ActivityReport.objects.filter(start=first, end=last).order_by(
                "-status", "-pk").first()
            if saved is not None:
                report = saved      # the staff's texts (and frozen figures once published)
            try:
                # Opened before the rendering: a bad path fails at once, not after it.
                with open(output, "wb") as fh:
                    content = pdf_bytes(report, language)
                    fh.write(content)
            except OSError as error:
                self._fail(_("Cannot write %(path)s: %(error)s") % {
                    "path": output, "error": error.strerror})
        self.stdout.write(f"{output}: {len(content)} octets, {first} → {last}")
