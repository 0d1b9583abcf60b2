"""Convocation documents: staff attach and remove them; members and staff read them
(through this view, never under /media/, so a draft assembly's files stay unseen)."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliage.core import confirm
from alliage.core.roles import is_staff, member_required, staff_required
from alliage.governance import services
from alliage.governance.forms import AssemblyDocumentForm
from alliage.governance.models import Assembly, AssemblyDocument


@member_required
def document(request, pk, document_pk):
    """A document of a convened or closed assembly, to members (staff: any assembly)."""
    assemblies = Assembly.objects.all() if is_staff(request.user) else \
        Assembly.objects.exclude(status=Assembly.Status.DRAFT)
    assembly = get_object_or_404(assemblies, pk=pk)
    item = get_object_or_404(AssemblyDocument, pk=document_pk, assembly=assembly)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(item.filename)[0] or "application/octet-stream"
    return FileResponse(handle, as_attachment=True, filename=item.filename,
                        content_type=content_type)


@staff_required
@require_POST
def document_add(request, pk):
    assembly = get_object_or_404(Assembly, pk=pk)
    form = AssemblyDocumentForm(request.POST, request.FILES, prefix="document")
    if form.is_valid():
        try:
            services.document_add(assembly=assembly, form=form, actor=request.user,
                                  request=request)
            messages.success(request, _("The document was added."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("governance:staff_assembly", pk=assembly.pk)


@staff_required
@require_POST
def document_delete(request, pk, document_pk):
    assembly = get_object_or_404(Assembly, pk=pk)
    item = get_object_or_404(AssemblyDocument, pk=document_pk, assembly=assembly)
    asked = confirm.ask(request, _("Delete the document “%s”?") % item.title)
    if asked:
        return asked
    try:
        services.document_delete(document=item, actor=request.user, request=request)
        messages.success(request, _("The document was deleted."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("governance:staff_assembly", pk=assembly.pk)
