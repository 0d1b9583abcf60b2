"""Documents on support cases (issue #19): a member-company admin and staff attach them;
type, size and content are checked; they are private to the company and staff (404 for
anyone else, never under /media/); staff may keep one internal; a closed case takes none."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from alliage.core.models import AuditLog
from alliage.support import documents, services
from alliage.support.models import CaseDocument
from tests.conftest import login

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def upload(name="devis.pdf", data=PDF):
    return SimpleUploadedFile(name, data)


@pytest.fixture
def case(cast):
    return services.case_request(organisation=cast.acme, actor=cast.alice, kind="financing",
                                 subject="Subvention", description="Aide")


def member_url(cast, case, tail=""):
    return f"/mon-entreprise/{cast.acme.pk}/accompagnement/dossiers/{case.pk}/documents/{tail}"


def test_a_member_admin_attaches_a_document_and_downloads_it(client, cast, case):
    login(client, cast.alice)
    response = client.post(member_url(cast, case), {"file": upload()})
    assert response.status_code == 302
    doc = CaseDocument.objects.get()
    assert (doc.filename, doc.from_member, doc.shared_with_member) == ("devis.pdf", True, True)
    assert doc.file.name.startswith(f"support-cases/{case.pk}/") and "devis" not in doc.file.name
    page = client.get(f"/mon-entreprise/{cast.acme.pk}/accompagnement/dossiers/{case.pk}/")
    assert "devis.pdf" in page.content.decode()
    got = client.get(member_url(cast, case, f"{doc.pk}/"))
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"%PDF-")
    assert got["Content-Disposition"].startswith("attachment")
    assert "no-store" in got["Cache-Control"] and got["X-Content-Type-Options"] == "nosniff"
    assert AuditLog.objects.filter(action="support.case_document_added").count() == 1


def test_documents_are_private_to_the_company_and_staff(client, cast, case):
    doc = documents.case_document_add(case=case, actor=cast.alice, upload=upload(),
                                      from_member=True)
    for person in (cast.carol, cast.bob, cast.dan, cast.bea):      # other company, contact…
        client.logout()
        login(client, person)
        assert client.get(member_url(cast, case, f"{doc.pk}/")).status_code == 404
        assert client.post(member_url(cast, case), {"file": upload()}).status_code == 404
        assert client.get(f"/gestion/accompagnement/dossiers/{case.pk}/documents/{doc.pk}/"
                          ).status_code == 403
    client.logout()
    assert client.get(member_url(cast, case, f"{doc.pk}/")).status_code == 302   # to login
    assert client.get(f"/media/{doc.file.name}").status_code == 404
    login(client, cast.sam)
    assert client.get(f"/gestion/accompagnement/dossiers/{case.pk}/documents/{doc.pk}/"
                      ).status_code == 200
    assert CaseDocument.objects.count() == 1


def test_a_document_staff_keep_internal_is_hidden_from_the_member(client, cast, case):
    login(client, cast.sam)
    client.post(f"/gestion/accompagnement/dossiers/{case.pk}/documents/",
                {"file": upload("analyse-interne.pdf")})          # box unticked: internal
    doc = CaseDocument.objects.get()
    assert not doc.shared_with_member and not doc.from_member
    client.logout()
    login(client, cast.alice)
    page = client.get(f"/mon-entreprise/{cast.acme.pk}/accompagnement/dossiers/{case.pk}/")
    assert "analyse-interne" not in page.content.decode()
    assert client.get(member_url(cast, case, f"{doc.pk}/")).status_code == 404


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("name,data", [
    ("script.exe", b"MZ"), ("page.html", b"<script>alert(1)</script>"),
    ("dessin.svg", b"<svg onload=alert(1)>"), ("faux.pdf", b"<html><script>x</script>"),
    ("faux.docx", b"not a zip"), ("photo.png", b"not an image"), ("vide.pdf", b""),
    ("notes.txt", b"\xff\xfe\x00binary"), ("gros.pdf", PDF + b"0" * documents.MAX_BYTES),
])
def test_a_wrong_or_huge_file_is_refused_and_nothing_is_kept(client, cast, case, name, data):
    login(client, cast.alice)
    response = client.post(member_url(cast, case), {"file": upload(name, data)}, follow=True)
    assert response.status_code == 200
    assert 'class="message message-error"' in response.content.decode() or \
        "message-error" in response.content.decode()
    assert not CaseDocument.objects.exists()


def test_an_image_is_accepted_without_its_metadata(cast, case):
    doc = documents.case_document_add(case=case, actor=cast.alice,
                                      upload=upload("photo.png", _png()), from_member=True)
    assert doc.file.read().startswith(b"\x89PNG")


def test_a_closed_case_takes_no_document_and_staff_remove_after_confirming(
        client, cast, case, django_capture_on_commit_callbacks):
    doc = documents.case_document_add(case=case, actor=cast.sam, upload=upload(),
                                      from_member=False)
    path = doc.file.path
    login(client, cast.sam)
    url = f"/gestion/accompagnement/dossiers/{case.pk}/documents/{doc.pk}/retirer/"
    assert client.post(url).status_code == 200                     # the confirmation page
    assert CaseDocument.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"confirmed": "1"})
    assert not CaseDocument.objects.exists()
    assert not os.path.exists(path)
    services.case_close(case=case, actor=cast.sam, outcome="advice")
    client.logout()
    login(client, cast.alice)
    client.post(member_url(cast, case), {"file": upload()})
    assert not CaseDocument.objects.exists()
