"""Documents attached to support cases: what may be uploaded, by whom, and how it is served.

An upload is checked by its extension, its size and its content (a PDF starts like one, an
Office file is a zip archive, a text is UTF-8, an image decodes), then loses its identifying
metadata (``core.uploads.strip_metadata``). A closed case takes no more documents. Files live
under ``support-cases/`` which ``config.urls.public_media`` never serves: only
``document_response``, called by views that resolved the case for the company or staff.
"""

import mimetypes

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from alliage.core import audit
from alliage.core.uploads import strip_metadata
from alliage.support.models import CaseDocument, CaseStatus, SupportCase

ALLOWED = (".pdf", ".jpg", ".jpeg", ".png", ".webp", ".docx", ".xlsx", ".csv", ".txt")
MAX_BYTES = 10 * 1024 * 1024
MAX_PER_CASE = 30
ACCEPT = ",".join(ALLOWED)
HELP = gettext_lazy("PDF, image, Word, Excel, CSV or text; 10 MB at most.")


def check_upload(upload):
    """The form's first check (type by name, size); raises a translated ValidationError."""
    name = (upload.name or "").lower()
    if not name.endswith(ALLOWED):
        raise ValidationError(_("Accepted files: PDF, images, Word, Excel, CSV, text."))
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))


def _content_matches(ext, data):
    if ext == ".pdf":
        return data.startswith(b"%PDF-")
    if ext in (".docx", ".xlsx"):
        return data.startswith(b"PK\x03\x04")
    if ext in (".csv", ".txt"):
        try:
            return b"\x00" not in data and bool(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            return False
    return True                       # images: strip_metadata decodes them or refuses


def _shown_name(name):
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip() or "document"
    return name[-150:]


@transaction.atomic
def case_document_add(*, case, actor, upload, from_member, shared_with_member=True,
                      request=None):
    """Attach ``upload`` to ``case`` (the caller already checked who may act on the case)."""
    case = SupportCase.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("This case is closed: it takes no more documents."))
    if case.documents.count() >= MAX_PER_CASE:
        raise ValidationError(ngettext("This case already holds %(n)s document, the most it "
                                       "takes.", "This case already holds %(n)s documents, the "
                                       "most it takes.", MAX_PER_CASE) % {"n": MAX_PER_CASE})
    check_upload(upload)
    name = _shown_name(upload.name)
    ext = "." + name.rsplit(".", 1)[-1].lower()
    data = upload.read()
    if not _content_matches(ext, data):
        raise ValidationError(_("The file's content does not match its type (%(ext)s).") % {
            "ext": ext})
    clean = strip_metadata(name, data)
    document = CaseDocument(case=case, filename=name, size=len(clean), uploaded_by=actor,
                            from_member=from_member,
                            shared_with_member=True if from_member else shared_with_member)
    document.file.save(name, ContentFile(clean), save=False)
    document.save()
    audit.record(actor=actor, action="support.case_document_added", obj=case,
                 changes={"document": [None, name]}, request=request)
    return document


@transaction.atomic
def case_document_remove(*, document, actor, request=None):
    """Staff remove a document; the file goes once the removal is committed."""
    case, name, stored = document.case, document.filename, document.file.name
    storage = document.file.storage
    document.delete()
    audit.record(actor=actor, action="support.case_document_removed", obj=case,
                 changes={"document": [name, None]}, request=request)
    transaction.on_commit(lambda: storage.delete(stored))


def document_response(document):
    """The file as a download, never shown inline nor cached."""
    kind = mimetypes.guess_type(document.filename)[0] or "application/octet-stream"
    response = FileResponse(document.file.open("rb"), as_attachment=True,
                            filename=document.filename, content_type=kind)
    add_never_cache_headers(response)
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
