"""Photos and documents of a listing lose what says who made them (issue #11, finding N7b):
a photo's EXIF gives the GPS position of the yard, a PDF's properties the author and the
company, which would name the company of an anonymous listing."""

import contextlib
import io
import re
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from alliage.core.uploads import clean_office, clean_pdf, strip_metadata
from alliage.symbiosis.models import Stream, StreamFile
from tests.conftest import login, text

GPS_IFD, ARTIST, ORIENTATION, MAKE = 0x8825, 0x013B, 0x0112, 0x010F
XMP = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
       b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
       b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Jean Tremblay, Precision Acme'
       b'</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>')


def _photo(fmt="JPEG"):
    """A 40x20 photo taken at Acme's yard: GPS position, owner, camera, turned 90°."""
    image = Image.new("RGB", (40, 20), (200, 120, 40))
    exif = Image.Exif()
    exif[ARTIST] = "Jean Tremblay - Precision Acme"
    exif[MAKE] = "Acme Phone"
    exif[ORIENTATION] = 6
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 25.0, 12.5), 3: "W", 4: (71.0, 4.0, 3.2)})
    out = io.BytesIO()
    extra = {"comment": b"Precision Acme"} if fmt == "JPEG" else {}
    image.save(out, fmt, exif=exif, xmp=XMP, **extra)
    data = out.getvalue()
    assert b"Tremblay" in data and Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)
    return data


def _weasy_pdf(*, compressed):
    """A PDF like those office software makes, with Author, Creator, Title and Keywords."""
    import weasyprint

    html = ('<html><head><title>Analyse Precision Acme</title>'
            '<meta name="author" content="Jean Tremblay, Précision Acme">'
            '<meta name="generator" content="AcmeWriter 3"><meta name="keywords" content="acme">'
            '</head><body><p>Bran de scie</p></body></html>')
    return weasyprint.HTML(string=html).write_pdf(uncompressed_pdf=not compressed)


def _hand_pdf():
    """A classic PDF: Info dictionary, XMP metadata stream, a JPEG photo with its EXIF."""
    photo = _photo()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R/Metadata 4 0 R>>",
        b"<</Type/Pages/Kids[]/Count 0>>",
        b"<</Author(Jean Tremblay \\(Acme\\))/Creator(AcmeWriter 3)/Company(Precision Acme)>>",
        b"<</Type/Metadata/Subtype/XML/Length %d>>stream\n" % len(XMP) + XMP + b"\nendstream",
        b"<</Type/XObject/Subtype/Image/Width 20/Height 40/ColorSpace/DeviceRGB"
        b"/BitsPerComponent 8/Filter/DCTDecode/Length %d>>stream\n" % len(photo) + photo
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R/Info 3 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, start)
    return bytes(out)


def _readable(pdf):
    """Every byte a reader could get at: the file and each of its streams decompressed."""
    found = [pdf]
    for stream in re.finditer(rb"stream\r?\n", pdf):
        with contextlib.suppress(zlib.error):          # not every stream is compressed
            found.append(zlib.decompressobj().decompress(pdf[stream.end():]))
    return b"".join(found)


def _utf16_hex(words):
    return words.encode("utf-16-be").hex().encode()


def _objects_where_the_xref_says(pdf):
    """The last cross-reference section still points at each object (table or stream)."""
    start = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    if pdf[start:start + 4] == b"xref":
        offsets = [int(o) for o in re.findall(rb"(\d{10}) \d{5} n", pdf[start:])]
    else:
        head = re.match(rb"\d+ \d+ obj\s*<<(.*?)>>\s*stream\r?\n", pdf[start:], re.S)
        widths = [int(x) for x in re.search(rb"/W\s*\[([\d\s]+)\]", head[1])[1].split()]
        length = int(re.search(rb"/Length (\d+)", head[1])[1])
        rows = zlib.decompress(pdf[start + head.end():start + head.end() + length])
        step = sum(widths)
        offsets = [int.from_bytes(rows[k + widths[0]:k + widths[0] + widths[1]], "big")
                   for k in range(0, len(rows), step) if rows[k] == 1]
    for offset in offsets:
        assert re.match(rb"\d+ \d+ obj", pdf[offset:offset + 20]), offset
    return len(offsets)


def _assert_no_author(pdf):
    readable = _readable(pdf)
    for words in ("Tremblay", "AcmeWriter", "Precision Acme", "Précision Acme"):
        assert words.encode() not in readable and _utf16_hex(words) not in readable, words
    assert b"GPS" not in readable and b"<rdf:RDF" not in readable


# --- Through the pages: what the other company downloads -------------------------------


@pytest.fixture
def anonymous_offer(cast):
    return Stream.objects.create(organisation=cast.acme, kind="offer", title="Bran de scie",
                                 description="Bran de scie sec", status="published",
                                 confidentiality="anonymous")


def _upload_then_download(client, cast, stream, name, data):
    login(client, cast.alice)
    client.post(f"/symbiose/flux/{stream.pk}/fichiers/",
                {"file": SimpleUploadedFile(name, data)})
    item = StreamFile.objects.get()
    login(client, cast.carol)
    response = client.get(f"/symbiose/flux/{stream.pk}/fichiers/{item.pk}/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_photo_of_an_anonymous_listing_has_no_gps_position(client, cast, anonymous_offer):
    got = _upload_then_download(client, cast, anonymous_offer, "cour.jpg", _photo())
    image = Image.open(io.BytesIO(got))
    assert image.format == "JPEG" and image.size == (20, 40)        # turned upright
    assert not image.getexif() and "xmp" not in image.info and "comment" not in image.info
    assert b"Tremblay" not in got and b"Acme" not in got and b"GPS" not in got
    assert image.getpixel((10, 20))[0] > 150                        # still the picture


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_photos_lose_their_exif_too(fmt):
    got = strip_metadata(f"cour.{fmt.lower()}", _photo(fmt))
    image = Image.open(io.BytesIO(got))
    assert image.format == fmt and image.size == (20, 40)
    assert not image.getexif() and b"Tremblay" not in got and b"Acme" not in got


def test_a_pdf_of_an_anonymous_listing_has_no_author(client, cast, anonymous_offer):
    original = _weasy_pdf(compressed=False)
    assert b"AcmeWriter" in original and _utf16_hex("Tremblay") in original
    got = _upload_then_download(client, cast, anonymous_offer, "analyse.pdf", original)
    _assert_no_author(got)
    assert len(got) == len(original) and _objects_where_the_xref_says(got) == 13
    assert b"/Info 13 0 R" in got and b" <<>>" in got       # the dictionary is there, empty


def test_a_compressed_pdf_loses_its_author_inside_object_streams():
    original = _weasy_pdf(compressed=True)
    assert b"/ObjStm" in original and b"AcmeWriter" in _readable(original)
    got = clean_pdf(original)
    _assert_no_author(got)
    assert len(got) == len(original)
    assert _objects_where_the_xref_says(got) == _objects_where_the_xref_says(original)
    assert b"/Type /Page" in _readable(got)                 # the other objects are intact


def test_a_pdf_loses_its_xmp_and_the_exif_of_its_photos():
    original = _hand_pdf()
    got = clean_pdf(original)
    _assert_no_author(got)
    assert len(got) == len(original) and _objects_where_the_xref_says(got) == 5
    photo = got[got.index(b"\xff\xd8"):got.rindex(b"\nendstream")]
    assert Image.open(io.BytesIO(photo)).size == (40, 20)   # the image still decodes
    assert not Image.open(io.BytesIO(photo)).getexif()


def test_a_pdf_whose_properties_cannot_be_found_is_refused(client, cast, anonymous_offer):
    broken = _hand_pdf().replace(b"3 0 obj", b"3 0 ob_")         # Info nowhere to be found
    with pytest.raises(ValidationError):
        clean_pdf(broken)
    login(client, cast.alice)
    page = client.post(f"/symbiose/flux/{anonymous_offer.pk}/fichiers/",
                       {"file": SimpleUploadedFile("a.pdf", broken)}, follow=True)
    assert "ne peuvent pas être retirées" in text(page) and not StreamFile.objects.exists()


def test_an_image_that_does_not_decode_is_refused(client, cast, anonymous_offer):
    login(client, cast.alice)
    page = client.post(f"/symbiose/flux/{anonymous_offer.pk}/fichiers/",
                       {"file": SimpleUploadedFile("cour.jpg", b"\xff\xd8 not a photo")},
                       follow=True)
    assert "Cette image ne peut pas être lue." in text(page)
    assert not StreamFile.objects.exists()


def test_office_files_lose_their_author_and_company():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("docProps/core.xml", "<cp:coreProperties><dc:creator>Jean Tremblay"
                                              "</dc:creator></cp:coreProperties>")
        package.writestr("docProps/app.xml", "<Properties><Company>Precision Acme</Company>"
                                             "</Properties>")
        package.writestr("word/document.xml", "<w:document>Bran de scie</w:document>")
    got = zipfile.ZipFile(io.BytesIO(clean_office(out.getvalue())))
    assert sorted(got.namelist()) == sorted(zipfile.ZipFile(out).namelist())
    assert b"Tremblay" not in got.read("docProps/core.xml")
    assert b"Acme" not in got.read("docProps/app.xml")
    assert got.read("word/document.xml") == b"<w:document>Bran de scie</w:document>"
