"""Staff import of organisations and contacts: upload, preview, confirm."""

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliage.core.http import posted, uploaded
from alliage.core.roles import staff_required
from alliage.members import imports

SESSION_KEY = "alliage_import"


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), choices=[
        ("organisations", gettext_lazy("Organisations")),
        ("contacts", gettext_lazy("People"))])
    file = forms.FileField(label=gettext_lazy("CSV or XLSX file"))


def _folder():
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@staff_required
def import_upload(request):
    form = ImportForm(posted(request), uploaded(request))
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            dataset = imports.load(content, upload.name)
            report = imports.preview(form.cleaned_data["kind"], dataset)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
            stored = _folder() / f"{uuid.uuid4().hex}{suffix}"
            stored.write_bytes(content)
            request.session[SESSION_KEY] = {"path": stored.name, "kind": report.kind,
                                            "name": upload.name}
    columns = {kind: imports.column_labels(kind) for kind in imports.COLUMNS}
    return render(request, "members/import.html", {"form": form, "report": report,
                                                   "columns": columns})


@staff_required
@require_POST
def import_confirm(request):
    pending = request.session.pop(SESSION_KEY, None)
    if not pending:
        messages.error(request, _("Send the file again."))
        return redirect("members:import_upload")
    path = _folder() / Path(pending["path"]).name
    try:
        dataset = imports.load(path.read_bytes(), pending["name"])
        report = imports.apply(pending["kind"], dataset, actor=request.user)
    except (ValidationError, FileNotFoundError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("members:import_upload")
    finally:
        path.unlink(missing_ok=True)
    messages.success(request, _("Import done: %(new)s created, %(updated)s updated.")
                     % {"new": report.new, "updated": report.updated})
    return redirect("members:crm_list")
