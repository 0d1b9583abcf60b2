"""Staff tables (issue #14, item 10): sorted by their column headers and paginated with page
numbers, through django-tables2, drawn by one template (templates/tables/table.html) that
keeps the site's table conventions: a named, focusable region that scrolls sideways, one
card per row on a phone (each cell says its header), `aria-sort` on the sorted column, and
numbered pages with the current one marked."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig

PER_PAGE = 50


class StaffTable(tables.Table):
    """Base for staff lists. ``region_label`` names the table for assistive technology."""

    region_label = ""

    class Meta:
        template_name = "tables/table.html"
        attrs = {"class": "staff-table"}
        empty_text = _("Nothing matches.")


def configure(request, table, per_page=PER_PAGE):
    """Sort and paginate ``table`` from the query string (?sort=, ?page=); a page past the
    last shows the last one, a bad number the first (django-tables2's lenient paginator)."""
    from django.core.paginator import Paginator

    class Lenient(Paginator):
        def validate_number(self, number):
            try:
                return super().validate_number(number)
            except Exception:  # noqa: BLE001 - EmptyPage, PageNotAnInteger: show a real page
                try:
                    return min(max(1, int(number)), max(1, self.num_pages))
                except (TypeError, ValueError):
                    return 1

    RequestConfig(request, paginate={"per_page": per_page, "paginator_class": Lenient}
                  ).configure(table)
    return table
