"""Convocation documents: staff attach them (PDF/Word/Excel, 10 MB, cleaned of their
properties), members read them through a checked view, the convocation lists them."""

from django.core.files.uploadedfile import SimpleUploadedFile

from alliage.core.models import Email
from alliage.governance.models import AssemblyDocument
from tests.conftest import login, text
from tests.governance.conftest import PDF, make_assembly, make_document


def _post(client, assembly, name, data, **fields):
    return client.post(f"/gestion/assemblees/{assembly.pk}/documents/", {
        "document-kind": "financial", "document-title": "États financiers",
        "document-file": SimpleUploadedFile(name, data), **fields})


def test_staff_attach_a_pdf_whose_properties_are_removed(client, cast):
    assembly = make_assembly(status="draft")
    login(client, cast.sam)
    pdf = (b"%PDF-1.4\n1 0 obj << /Author (Jeanne Comptable) /Producer (X) >> endobj\n"
           b"trailer << /Info 1 0 R >>\n%%EOF\n")
    assert _post(client, assembly, "etats.pdf", pdf).status_code == 302
    document = AssemblyDocument.objects.get()
    assert document.assembly == assembly and document.kind == "financial"
    stored = document.file.read()
    assert stored.startswith(b"%PDF-") and b"Jeanne Comptable" not in stored
    page = text(client.get(f"/gestion/assemblees/{assembly.pk}/"))
    assert "États financiers" in page


def test_wrong_type_lying_name_or_huge_file_is_refused_and_nothing_is_stored(client, cast,
                                                                             settings):
    assembly = make_assembly(status="draft")
    login(client, cast.sam)
    for name, data in [("page.html", b"<script>alert(1)</script>"),
                       ("faux.pdf", b"<html><script>alert(1)</script></html>"),
                       ("faux.docx", b"%PDF-1.4 not a zip"),
                       ("sans-extension", PDF)]:
        response = _post(client, assembly, name, data)
        assert response.status_code == 302, name
    from alliage.core import uploads  # the size rule lives there (clean_document)

    old = uploads.DOCUMENT_MAX_BYTES
    uploads.DOCUMENT_MAX_BYTES = 10
    try:
        _post(client, assembly, "gros.pdf", PDF)
    finally:
        uploads.DOCUMENT_MAX_BYTES = old
    assert AssemblyDocument.objects.count() == 0
    # Missing fields: a message, no 500, nothing stored.
    response = client.post(f"/gestion/assemblees/{assembly.pk}/documents/", {})
    assert response.status_code == 302
    assert AssemblyDocument.objects.count() == 0


def test_members_download_as_attachment_and_a_closed_assembly_keeps_its_documents(client,
                                                                                   cast):
    assembly = make_assembly()
    document = make_document(assembly)
    login(client, cast.bob)
    response = client.get(f"/vie-associative/assemblees/{assembly.pk}/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    assert "États financiers 2025" in text(client.get(f"/vie-associative/assemblees/"
                                                      f"{assembly.pk}/"))
    assembly.status = "closed"
    assembly.save()
    login(client, cast.sam)
    client.post(f"/gestion/assemblees/{assembly.pk}/documents/{document.pk}/supprimer/",
                {"confirmed": "1"})
    _post(client, assembly, "autre.pdf", PDF)
    assert list(AssemblyDocument.objects.all()) == [document]


def test_staff_delete_a_document_after_confirming(client, cast):
    assembly = make_assembly()
    document = make_document(assembly)
    login(client, cast.sam)
    url = f"/gestion/assemblees/{assembly.pk}/documents/{document.pk}/supprimer/"
    assert client.post(url).status_code == 200          # the confirmation page
    assert AssemblyDocument.objects.count() == 1
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert AssemblyDocument.objects.count() == 0


def test_the_convocation_lists_the_documents_with_their_links(cast):
    from datetime import timedelta

    from django.utils import timezone

    from alliage.governance import services

    assembly = make_assembly(status="draft", starts_at=timezone.now() + timedelta(days=30))
    document = make_document(assembly)
    services.assembly_convene(assembly=assembly, actor=cast.sam)
    mail = Email.objects.get(to=cast.alice.email)
    assert "États financiers 2025" in mail.body_text
    assert f"/vie-associative/assemblees/{assembly.pk}/documents/{document.pk}/" in \
        mail.body_text
