"""CSV/XLSX import of organisations and contacts: preview every row, write all or nothing.

Built on django-import-export resources. ``preview`` runs a dry run and lists each bad row
with its reason; ``apply`` imports only a file whose preview is clean, inside one
transaction, so a file is never half-imported.
"""

import contextlib
import re
import unicodedata
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from alliage.core.models import Municipality, Park
from alliage.members.models import Affiliation, Contact, Organisation, Sector
from alliage.members.validators import format_postal_code, normalise_phone

MAX_ROWS = 5000


class _LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key given by slug or name (municipality, park) or code (SCIAN)."""

    def __init__(self, model, fields_, label):
        super().__init__(model)
        self.fields_, self.label = fields_, label

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip() if isinstance(value, str) else value
        if value in (None, ""):
            return None
        for name in self.fields_:
            match = self.model.objects.filter(**{f"{name}__iexact": str(value)}).first()
            if match:
                return match
        raise ValueError(_("Unknown %(what)s: “%(value)s”.") % {"what": self.label,
                                                                "value": value})


class OrganisationImport(resources.ModelResource):
    legal_name = fields.Field(attribute="legal_name", column_name="legal_name")
    scian = fields.Field(attribute="primary_sector", column_name="scian",
                         widget=_LookupWidget(Sector, ["code"], _("SCIAN code")))
    municipality = fields.Field(attribute="municipality", column_name="municipality",
                                widget=_LookupWidget(Municipality, ["slug", "name"],
                                                     _("municipality")))
    park = fields.Field(attribute="park", column_name="park",
                        widget=_LookupWidget(Park, ["slug", "name"], _("industrial park")))

    class Meta:
        model = Organisation
        fields = ("legal_name", "trade_name", "neq", "scian", "employees", "street",
                  "municipality", "postal_code", "park", "phone", "email", "website")
        import_id_fields = ()
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True

    def get_instance(self, instance_loader, row):
        neq = str(row.get("neq") or "").strip()
        if neq:
            return Organisation.objects.filter(neq=neq).first()
        name = str(row.get("legal_name") or "").strip()
        return Organisation.objects.filter(legal_name__iexact=name).first() if name else None

    def before_import_row(self, row, **kwargs):
        # Normalise what can be; what cannot stays as given and full_clean reports it.
        if row.get("phone"):
            with contextlib.suppress(ValidationError):
                row["phone"] = normalise_phone(str(row["phone"]))
        if row.get("postal_code"):
            with contextlib.suppress(ValidationError):
                row["postal_code"] = format_postal_code(str(row["postal_code"]))
        if row.get("neq") is not None:
            row["neq"] = str(row["neq"]).replace(" ", "").split(".")[0]

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if not instance.slug and instance.legal_name:
            from alliage.members.services import unique_slug

            instance.slug = unique_slug(instance.display_name)
        super().validate_instance(instance, import_validation_errors, validate_unique)

    def before_save_instance(self, instance, row, **kwargs):
        if not instance.slug:
            from alliage.members.services import unique_slug

            instance.slug = unique_slug(instance.display_name)


class ContactImport(resources.ModelResource):
    organisation = fields.Field(column_name="organisation")
    title = fields.Field(column_name="title")
    is_admin = fields.Field(column_name="is_admin")

    class Meta:
        model = Contact
        fields = ("first_name", "last_name", "email", "phone", "language", "organisation",
                  "title", "is_admin")
        import_id_fields = ()
        clean_model_instances = True
        use_transactions = True

    def get_instance(self, instance_loader, row):
        email = str(row.get("email") or "").strip().lower()
        return Contact.objects.with_email(email).first()

    def before_import_row(self, row, **kwargs):
        row["email"] = str(row.get("email") or "").strip().lower()
        if not row["email"]:
            raise ValueError(_("The email is required."))
        if row.get("phone"):
            with contextlib.suppress(ValidationError):
                row["phone"] = normalise_phone(str(row["phone"]))
        language = str(row.get("language") or "fr").lower()
        row["language"] = "en" if language.startswith("en") else "fr-ca"
        org = str(row.get("organisation") or "").strip()
        if org and not self._organisation(org):
            raise ValueError(_("Unknown organisation: “%(value)s”.") % {"value": org})

    @staticmethod
    def _organisation(value):
        return (Organisation.objects.filter(neq=value).first()
                or Organisation.objects.filter(legal_name__iexact=value).first()
                or Organisation.objects.filter(slug=slugify(value)).first())

    def after_save_instance(self, instance, row, **kwargs):
        org_ref = str(row.get("organisation") or "").strip()
        if not org_ref or kwargs.get("dry_run"):
            return
        org = self._organisation(org_ref)
        is_admin = str(row.get("is_admin") or "").strip().lower() in {"1", "oui", "yes",
                                                                     "true", "x"}
        Affiliation.objects.update_or_create(
            contact=instance, organisation=org, ended_on=None,
            defaults={"title": str(row.get("title") or "")[:120], "is_admin": is_admin})


RESOURCES = {"organisations": OrganisationImport, "contacts": ContactImport}

# Each file column: its name in the code and its label, the one the CSV/XLSX exports write
# (French in French, English in English). A header may be the label in either language, the
# code name, or one of the extra French names; case, accents and spacing do not matter.
COLUMNS = {
    "organisations": [
        ("legal_name", gettext_lazy("Legal name"), ["raison sociale"]),
        ("trade_name", gettext_lazy("Trade name"), []),
        ("neq", gettext_lazy("NEQ"), []),
        ("scian", gettext_lazy("SCIAN code"), ["scian"]),
        ("employees", gettext_lazy("Employees"), ["employes", "nombre d'employes"]),
        ("street", gettext_lazy("Street address"), ["rue"]),
        ("municipality", gettext_lazy("Municipality"), ["ville"]),
        ("postal_code", gettext_lazy("Postal code"), []),
        ("park", gettext_lazy("Industrial park"), ["parc"]),
        ("phone", gettext_lazy("Phone"), []),
        ("email", gettext_lazy("Email"), ["courriel"]),
        ("website", gettext_lazy("Website"), ["site internet"]),
    ],
    "contacts": [
        ("first_name", gettext_lazy("First name"), []),
        ("last_name", gettext_lazy("Last name"), ["nom de famille"]),
        ("email", gettext_lazy("Email"), ["courriel"]),
        ("phone", gettext_lazy("Phone"), []),
        ("language", gettext_lazy("Language"), []),
        ("organisation", gettext_lazy("Company"), ["organisation", "entreprise"]),
        ("title", gettext_lazy("Job title"), ["titre", "fonction"]),
        ("is_admin", gettext_lazy("Administrator"), ["admin"]),
    ],
}
# Model fields whose column has another name.
_FIELD_COLUMN = {"primary_sector": "scian"}
REQUIRED = {"organisations": ["legal_name"], "contacts": ["first_name", "last_name", "email"]}


def _folded(header):
    """A header compared loosely: “Nom légal ” and “nom_legal” are the same column."""
    text = unicodedata.normalize("NFKD", str(header or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.casefold().replace("’", "'")).strip("_")


def _aliases(kind):
    """Every accepted header, folded, to the code name."""
    aliases = {}
    for name, label, extra in COLUMNS[kind]:
        names = [name, *extra]
        for language in ("fr-ca", "en"):
            with translation.override(language):
                names.append(str(label))
        aliases.update({_folded(n): name for n in names})
    return aliases


def column_label(kind, name):
    """The column's name as the page and the exports show it (current language)."""
    return next((str(label) for code, label, _extra in COLUMNS.get(kind, []) if code == name),
                name)


def column_labels(kind):
    """The file's columns, in order, as shown to staff (required ones marked by the page)."""
    return [(str(label), name in REQUIRED[kind]) for name, label, _extra in COLUMNS[kind]]


def _canonical_headers(kind, dataset):
    """Rename the file's headers to the code names (unknown columns are kept, ignored)."""
    aliases = _aliases(kind)
    if dataset.headers:
        dataset.headers = [aliases.get(_folded(h), str(h or "").strip())
                           for h in dataset.headers]
    return dataset


@dataclass
class Preview:
    kind: str
    total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)  # (row number, message)

    @property
    def error_rows(self):
        return len({number for number, _message in self.errors})

    @property
    def is_clean(self):
        return self.total > 0 and not self.errors


def load(content: bytes, filename: str):
    """Read an uploaded CSV (UTF-8, comma or semicolon) or XLSX into a Dataset."""
    name = filename.lower()
    try:
        if name.endswith(".xlsx"):
            return tablib.Dataset().load(content, format="xlsx")
        if name.endswith(".csv"):
            text = content.decode("utf-8-sig")
            header = text.split("\n", 1)[0]
            delimiter = ";" if header.count(";") > header.count(",") else ","
            return tablib.Dataset().load(text, format="csv", delimiter=delimiter)
    except UnicodeDecodeError:
        raise ValidationError(_("The CSV file must be encoded in UTF-8.")) from None
    except Exception as exc:  # noqa: BLE001 - tablib raises many kinds for broken files
        raise ValidationError(_("The file could not be read: %(error)s") % {"error": exc}) \
            from None
    raise ValidationError(_("Send a .csv or .xlsx file."))


def _run(kind, dataset, dry_run):
    if kind not in RESOURCES:
        raise ValidationError(_("Unknown import kind."))
    if len(dataset) > MAX_ROWS:
        raise ValidationError(_("At most %(n)s rows per file.") % {"n": MAX_ROWS})
    dataset = _canonical_headers(kind, dataset)
    headers = set(dataset.headers or [])
    missing = [name for name in REQUIRED[kind] if name not in headers]
    if missing:
        raise ValidationError(_("Missing columns: %(cols)s") % {"cols": ", ".join(
            column_label(kind, name) for name in missing)})
    return RESOURCES[kind]().import_data(dataset, dry_run=dry_run, raise_errors=False,
                                         use_transactions=True)


def preview(kind, dataset):
    """Dry-run the file and report what would happen, row by row (numbers as in a sheet)."""
    result = _run(kind, dataset, dry_run=True)
    report = Preview(kind=kind, total=len(dataset))
    for number, errors in result.row_errors():
        for error in errors:
            report.errors.append((number + 1, str(error.error)))
    for invalid in result.invalid_rows:
        for fieldname, messages in invalid.error_dict.items():
            if fieldname == "slug":  # derived from the name, which is reported itself
                continue
            label = "" if fieldname == "__all__" else \
                f"{column_label(kind, _FIELD_COLUMN.get(fieldname, fieldname))} : "
            report.errors.append((invalid.number + 1, label + " ".join(messages)))
    report.errors.sort()
    for row in result.rows:
        report.new += row.import_type == "new"
        report.updated += row.import_type == "update"
        report.unchanged += row.import_type == "skip"
    return report


@transaction.atomic
def apply(kind, dataset, *, actor):
    """Import a file whose preview is clean; any error undoes the whole file."""
    from alliage.core import audit
    from alliage.core.models import Association

    report = preview(kind, dataset)
    if not report.is_clean:
        raise ValidationError(_("The file has errors: correct them and send it again."))
    result = _run(kind, dataset, dry_run=False)
    if result.has_errors() or result.has_validation_errors():
        raise ValidationError(_("The import failed; nothing was written."))
    audit.record(actor=actor, action=f"import.{kind}", obj=Association.current(),
                 changes={"rows": report.total, "new": report.new,
                          "updated": report.updated})
    return report
