"""CSV/XLSX exports of organisation lists: the CRM list, a segment, the at-risk list.

Columns only; the format rules and formula escaping live in ``alliage.core.exports``.
"""

from django.utils.translation import gettext_lazy as _

from alliage.core.exports import Column, export_response


def _name(related):
    return related.name if related is not None else None


ORGANISATION_COLUMNS = [
    Column(_("ID"), lambda o: o.pk),
    Column(_("Legal name"), lambda o: o.legal_name),
    Column(_("Trade name"), lambda o: o.trade_name),
    Column(_("NEQ"), lambda o: o.neq),
    Column(_("SCIAN code"), lambda o: o.primary_sector.code if o.primary_sector_id else None),
    Column(_("Employees"), lambda o: o.employees),
    Column(_("Street address"), lambda o: o.street),
    Column(_("Municipality"), lambda o: _name(o.municipality)),
    Column(_("Postal code"), lambda o: o.postal_code),
    Column(_("Industrial park"), lambda o: _name(o.park)),
    Column(_("Phone"), lambda o: o.phone),
    Column(_("Email"), lambda o: o.email),
    Column(_("Website"), lambda o: o.website),
    Column(_("Membership status"), lambda o: o.get_member_status_display()),
    Column(_("Member since"), lambda o: o.member_since),
]


def organisations_response(queryset, fmt, *, name, separator=";"):
    """A list of organisations (CRM filters or a segment) as CSV or XLSX."""
    queryset = queryset.select_related("municipality", "park", "primary_sector")
    return export_response(queryset, ORGANISATION_COLUMNS, fmt, name=name, separator=separator)


AT_RISK_COLUMNS = [
    Column(c.header, lambda row, c=c: c.value(row[0])) for c in ORGANISATION_COLUMNS
] + [
    Column(_("Engagement score"), lambda row: row[1]),
    Column(_("Reasons"), lambda row: "; ".join(str(r) for r in row[2])),
]


def at_risk_response(rows, fmt, *, separator=";"):
    """The at-risk list (organisation, score, reasons) as CSV or XLSX."""
    return export_response(rows, AT_RISK_COLUMNS, fmt, name=_("at-risk members"),
                           separator=separator)
