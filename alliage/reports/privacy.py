"""Activity reports hold the association's own texts and aggregate figures. The only names
in them are the board's (frozen with a published report, as in the printed annual report the
association files); governance registers the board members' data."""

from django.utils.translation import gettext_lazy as _


def register():
    from alliage.core import privacy
    from alliage.reports.models import ActivityReport, ReportFile

    privacy.exempt(ActivityReport, _("the association's texts and aggregate figures; board "
                                     "members' names in a published report are an archived "
                                     "public record (governance holds their data)"))
    privacy.exempt(ReportFile, _("a rendered report and the error of its rendering"))
