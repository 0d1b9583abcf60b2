"""Names the first stripper missed (issue #11, finding M3): Office comment and revision
authors, the workbook's folder path and sharing user, persons parts; PDFs with a direct
/Info dictionary in the trailer, a compressed XMP stream without /Type /Metadata (the
catalog in an object stream), annotation authors (/T)."""

import io
import re
import zipfile
import zlib

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl.comments import Comment

from alliage.core.uploads import clean_office, clean_pdf
from alliage.symbiosis.models import Stream, StreamFile
from tests.conftest import login, text
from tests.symbiosis.test_upload_metadata import (
    XMP,
    _assert_no_author,
    _objects_where_the_xref_says,
    _readable,
    _utf16_hex,
)

NAMES = (b"Tremblay", b"jtremblay", b"JT\"", b"Precision Acme")


def _parts(package):
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        return {name: z.read(name) for name in z.namelist()}


def _assert_no_name(package):
    for name, body in _parts(package).items():
        for words in NAMES:
            assert words not in body, (name, words)


# --- Excel ---------------------------------------------------------------------------------

def _workbook():
    """A workbook as Excel saves it: a comment with its author (and "Author:" atop its
    text), the folder it was saved in, the sharing user, the persons of threaded comments."""
    book = openpyxl.Workbook()
    book.active["A1"] = "Bran de scie"
    book.active["A1"].comment = Comment("Jean Tremblay:\nHumidité 12 %", "Jean Tremblay")
    out = io.BytesIO()
    book.save(out)
    parts = _parts(out.getvalue())
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"<workbookPr",
        b'<fileSharing readOnlyRecommended="1" userName="Jean Tremblay"/>'
        b'<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility'
        b'/2006"><mc:Choice Requires="x15"><x15ac:absPath url="C:\\Users\\jtremblay\\Precision'
        b' Acme\\Analyses\\" xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/'
        b'2010/11/ac"/></mc:Choice></mc:AlternateContent><workbookPr', 1)
    comments = next(n for n in parts if re.match(r"xl/comments/?\w*\.xml", n))
    parts[comments] = parts[comments].replace(
        b"<text><t>Jean Tremblay:\nHumidit\xc3\xa9 12 %</t></text>",
        b"<text><r><rPr><b/></rPr><t>Jean Tremblay:</t></r><r><t xml:space=\"preserve\">"
        b"\nHumidit\xc3\xa9 12 %</t></r></text>")
    assert b"<r><rPr><b/></rPr><t>Jean Tremblay:</t>" in parts[comments]
    parts["xl/persons/person.xml"] = (
        b'<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/'
        b'threadedcomments"><person displayName="Jean Tremblay" id="{6D1E8C4B}" '
        b'userId="jtremblay@acme.example" providerId="AD"/></personList>')
    parts["xl/revisions/userNames.xml"] = (
        b'<users xmlns="x" count="1"><userInfo guid="{1}" name="Jean Tremblay" id="1" '
        b'dateTime="2026-01-01T00:00:00"/></users>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, body in parts.items():
            package.writestr(name, body)
    data = out.getvalue()
    assert b"jtremblay" in _parts(data)["xl/workbook.xml"]
    return data


def test_a_workbook_loses_comment_authors_folder_sharing_user_and_persons():
    original = _workbook()
    got = clean_office(original)
    _assert_no_name(got)
    parts = _parts(got)
    assert b"absPath" not in parts["xl/workbook.xml"]
    assert b'<fileSharing readOnlyRecommended="1"/>' in parts["xl/workbook.xml"]
    assert b'displayName="Auteur"' in parts["xl/persons/person.xml"]
    assert b'providerId="None"' in parts["xl/persons/person.xml"]
    book = openpyxl.load_workbook(io.BytesIO(got))            # still opens, comment kept
    comment = book.active["A1"].comment
    assert comment.author == "Auteur" and "Humidité 12 %" in comment.text
    assert book.active["A1"].value == "Bran de scie"


# --- Word ----------------------------------------------------------------------------------

W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b"<w:document " + W + b"><w:body><w:p>"
                         b'<w:ins w:id="1" w:author="Jean Tremblay" w:date="2026-01-01T00:00:00Z">'
                         b"<w:r><w:t>Bran de scie</w:t></w:r></w:ins>"
                         b'<w:del w:id="2" w:author="jtremblay@acme.example"><w:r><w:delText>'
                         b"copeaux</w:delText></w:r></w:del></w:p></w:body></w:document>")
        package.writestr("word/comments.xml", b"<w:comments " + W + b'><w:comment w:id="0" '
                         b'w:author="Jean Tremblay" w:initials="JT"><w:p><w:r><w:t>'
                         b"Humidite 12 %</w:t></w:r></w:p></w:comment></w:comments>")
        package.writestr("word/people.xml", b'<w15:people xmlns:w15="x"><w15:person '
                         b'w15:author="Jean Tremblay"><w15:presenceInfo w15:providerId="AD" '
                         b'w15:userId="S::jtremblay@acme.example::1"/></w15:person>'
                         b"</w15:people>")
        package.writestr("word/_rels/settings.xml.rels", b'<Relationships><Relationship '
                         b'Id="rId1" Type="attachedTemplate" Target="file:///C:\\Users\\'
                         b'jtremblay\\Modeles\\Acme.dotx" TargetMode="External"/>'
                         b'<Relationship Id="rId2" Type="hyperlink" '
                         b'Target="https://example.org/" TargetMode="External"/>'
                         b"</Relationships>")
    return out.getvalue()


def test_a_document_loses_comment_and_tracked_change_authors():
    got = clean_office(_document())
    _assert_no_name(got)
    parts = _parts(got)
    assert parts["word/document.xml"].count(b'w:author="Auteur"') == 2
    assert b"<w:t>Bran de scie</w:t>" in parts["word/document.xml"]
    assert b'w:author="Auteur" w:initials="A"' in parts["word/comments.xml"]
    assert b"Humidite 12 %" in parts["word/comments.xml"]
    assert b'Target="about:blank"' in parts["word/_rels/settings.xml.rels"]
    assert b'Target="https://example.org/"' in parts["word/_rels/settings.xml.rels"]


# --- PDF -----------------------------------------------------------------------------------

def _classic(objects, trailer):
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R%s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer, start)
    return bytes(out)


PAGE = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Annots[4 0 R 5 0 R]>>"
NOTE = (b"<</Type/Annot/Subtype/Text/Rect[10 10 30 30]/Contents(Humidit\\351 12 %)"
        b"/T(Jean Tremblay \\(Pr\\351cision Acme\\))/Popup 6 0 R>>")
FIELD = b"<</Type/Annot/Subtype/Widget/FT/Tx/Rect[40 40 90 60]/T(quantite)/V(100)>>"


def test_a_word_export_loses_its_direct_information_dictionary():
    """Word writes the properties inside the trailer itself, not as an object."""
    original = _classic([b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]"
                         b"/Count 1>>", b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>"],
                        b"/Info <</Author(Jean Tremblay)/Creator(Microsoft\\256 Word)"
                        b"/Title<FEFF0041006300650020> /Company (Precision \\(Acme\\)) >>")
    got = clean_pdf(original)
    _assert_no_author(got)
    assert b"Microsoft" not in got and b"<FEFF0041" not in got
    assert len(got) == len(original) and _objects_where_the_xref_says(got) == 3
    assert re.search(rb"/Info <<>> +>>\nstartxref", got)


def test_annotation_authors_are_blanked_and_form_fields_keep_their_names():
    original = _classic([b"<</Type/Catalog/Pages 2 0 R>>",
                         b"<</Type/Pages/Kids[3 0 R]/Count 1>>", PAGE, NOTE, FIELD,
                         b"<</Type/Annot/Subtype/Popup/Parent 4 0 R/T <" +
                         _utf16_hex("Jean Tremblay") + b">>>"], b"")
    got = clean_pdf(original)
    _assert_no_author(got)
    assert len(got) == len(original) and _objects_where_the_xref_says(got) == 6
    assert b"/Contents(Humidit\\351 12 %)/T()" in got       # the words stay
    assert b"/T(quantite)/V(100)" in got                    # a field's name is no author


def _compressed(packed, streams, root=2):
    """A PDF 1.5 file: objects 2.. in an object stream (object 1), then ``streams`` as
    objects, then the cross-reference stream (rows: type, offset or stream, index)."""
    header = b" ".join(b"%d %d" % (2 + i, sum(len(p) + 1 for p in packed[:i]))
                       for i in range(len(packed))) + b"\n"
    content = header + b"\n".join(packed) + b"\n"
    body = zlib.compress(content)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    rows = [(0, 0, 65535)]
    rows.append((1, len(out), 0))
    out += (b"1 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>stream\n"
            % (len(packed), len(header), len(body)) + body + b"\nendstream\nendobj\n")
    rows += [(2, 1, i) for i in range(len(packed))]
    for number, stream in enumerate(streams, 2 + len(packed)):
        rows.append((1, len(out), 0))
        out += b"%d 0 obj\n" % number + stream + b"\nendobj\n"
    xref_number = 2 + len(packed) + len(streams)
    rows.append((1, len(out), 0))
    table = zlib.compress(b"".join(bytes([t]) + a.to_bytes(4, "big") + b.to_bytes(2, "big")
                                   for t, a, b in rows))
    start = len(out)
    out += (b"%d 0 obj\n<</Type/XRef/Size %d/W[1 4 2]/Root %d 0 R/Filter/FlateDecode"
            b"/Length %d>>stream\n" % (xref_number, len(rows), root, len(table)) + table
            + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start)
    return bytes(out)


def test_a_compressed_xmp_without_its_type_is_emptied():
    """The catalog (with /Metadata) sits in an object stream; the XMP stream is Flate
    compressed and says only /Subtype /XML, or nothing at all."""
    xmp = zlib.compress(XMP)
    for head in (b"<</Subtype/XML/Filter/FlateDecode/Length %d>>",
                 b"<</Filter/FlateDecode/Length %d>>"):
        original = _compressed(
            [b"<</Type/Catalog/Pages 3 0 R/Metadata 5 0 R>>",
             b"<</Type/Pages/Kids[4 0 R]/Count 1>>",
             b"<</Type/Page/Parent 3 0 R/MediaBox[0 0 612 792]/Annots[6 0 R]>>"],
            [head % len(xmp) + b"stream\n" + xmp + b"\nendstream",
             NOTE.replace(b"/Popup 6 0 R", b"")])
        assert b"Tremblay" in _readable(original)
        got = clean_pdf(original)
        _assert_no_author(got)
        assert len(got) == len(original)
        assert _objects_where_the_xref_says(got) == _objects_where_the_xref_says(original)
        assert b"/Type/Catalog/Pages 3 0 R/Metadata 5 0 R" in _readable(got)


def test_an_annotation_author_inside_an_object_stream_is_blanked():
    original = _compressed([b"<</Type/Catalog/Pages 3 0 R>>",
                            b"<</Type/Pages/Kids[4 0 R]/Count 1>>", PAGE.replace(
                                b"Parent 2", b"Parent 3").replace(b"[4 0 R 5 0 R]",
                                                                  b"[5 0 R]"),
                            NOTE.replace(b"/Popup 6 0 R", b"")], [])
    got = clean_pdf(original)
    _assert_no_author(got)
    assert b"Humidit\\351 12 %" in _readable(got)


def test_a_pdf_that_cannot_be_cleaned_is_refused_in_french(client, cast):
    """An annotation in an object stream whose filter the stripper does not read."""
    original = _compressed([b"<</Type/Catalog/Pages 3 0 R>>", NOTE], []).replace(
        b"/Filter/FlateDecode/Length", b"/Filter/LZWDecode/Length", 1)
    with pytest.raises(ValidationError):
        clean_pdf(original)
    stream = Stream.objects.create(organisation=cast.acme, kind="offer", title="Bran",
                                   description="Bran de scie", confidentiality="anonymous")
    login(client, cast.alice)
    page = client.post(f"/symbiose/flux/{stream.pk}/fichiers/",
                       {"file": SimpleUploadedFile("a.pdf", original)}, follow=True)
    assert "ne peuvent pas être retirées" in text(page) and not StreamFile.objects.exists()
