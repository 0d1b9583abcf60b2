"""CSV/XLSX export of any organisation list or segment (django-import-export)."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.formats.base_formats import CSV, XLSX

from alliage.members.models import Organisation


class OrganisationResource(resources.ModelResource):
    sector = fields.Field(attribute="primary_sector__code", column_name="scian")
    municipality = fields.Field(attribute="municipality__name", column_name="municipalite")
    park = fields.Field(attribute="park__name", column_name="parc")

    class Meta:
        model = Organisation
        fields = ("id", "legal_name", "trade_name", "neq", "sector", "employees", "street",
                  "municipality", "postal_code", "park", "phone", "email", "website",
                  "member_status", "member_since")
        export_order = fields


def export_response(queryset, fmt, *, name):
    formats = {"csv": CSV(), "xlsx": XLSX()}
    if fmt not in formats:
        return HttpResponse(_("Unknown export format."), status=400)
    dataset = OrganisationResource().export(queryset)
    export_format = formats[fmt]
    content = export_format.export_data(dataset)
    response = HttpResponse(content, content_type=export_format.get_content_type())
    filename = f"{slugify(name) or 'export'}-{timezone.localdate():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
