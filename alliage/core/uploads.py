"""Uploaded documents and photos lose what they say about who made them (issue #11, N7b).

A listing can hide its company, and a photo's EXIF (GPS position, camera owner) or a PDF's
properties (Author, Creator, Company) would name it anyway. ``strip_metadata`` is applied
to every upload of a stream, whatever its confidentiality (a listing may become anonymous
later):

- images (JPEG, PNG, WebP) are decoded and saved again with the orientation applied and
  nothing but the pixels, the colour profile and the transparency: no EXIF, XMP, comment
  or text chunk; a file that does not decode is refused;
- PDFs: without a PDF library in the lock file (pypdf is not in requirements.lock), the
  file is edited in place, each object keeping its length so the cross-reference offsets
  stay right: the document information dictionaries (``/Info``, also inside compressed
  object streams) become empty, XMP metadata streams become an empty packet, and JPEG
  images lose their EXIF/XMP/IPTC segments and comments. A PDF whose information
  dictionary cannot be found or emptied is refused rather than kept with it;
- Office files (.docx, .xlsx): the document properties (docProps/core.xml, app.xml,
  custom.xml: author, last editor, company, manager) are replaced by empty ones.

Not covered (reported): annotation authors inside PDFs (``/T`` of comments), images
embedded in Office files, metadata of PDFs whose streams are encrypted.
"""

import io
import re
import zipfile
import zlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

IMAGE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
OFFICE = (".docx", ".xlsx")


def strip_metadata(name, data):
    """``data`` (the bytes of a file called ``name``) without identifying metadata."""
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext in IMAGE_FORMATS:
        return clean_image(data, IMAGE_FORMATS[ext])
    if ext == ".pdf":
        return clean_pdf(data)
    if ext in OFFICE:
        return clean_office(data)
    return data


# --- Images --------------------------------------------------------------------------------

KEPT_IMAGE_INFO = ("icc_profile", "transparency")


def clean_image(data, fmt):
    """The picture saved again in ``fmt``: upright, without EXIF, XMP, comments or text."""
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as source:
            source.load()
            upright = ImageOps.exif_transpose(source)       # the orientation, applied
            kept = {k: upright.info[k] for k in KEPT_IMAGE_INFO if k in upright.info}
            clean = upright.copy()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("This image cannot be read.")) from exc
    clean.info = {}
    options = {}
    if kept.get("icc_profile"):
        options["icc_profile"] = kept["icc_profile"]
    if fmt == "JPEG":
        if clean.mode not in ("RGB", "L", "CMYK"):
            clean = clean.convert("RGB")
            clean.info = {}
        options.update(quality=90)
    elif fmt == "WEBP":
        options.update(quality=90)
    elif "transparency" in kept:
        options["transparency"] = kept["transparency"]
    out = io.BytesIO()
    clean.save(out, fmt, **options)
    return out.getvalue()


# --- PDF -----------------------------------------------------------------------------------

HEADER = re.compile(rb"(?<![0-9])(\d+)\s+(\d+)\s+obj\b")
STREAM = re.compile(rb"(?<![a-z])stream(?:\r\n|\n|\r)")
INFO_REF = re.compile(rb"/Info\s+(\d+)\s+(\d+)\s+R")
METADATA_REF = re.compile(rb"/Metadata\s+(\d+)\s+(\d+)\s+R")
IS_METADATA = re.compile(rb"/Type\s*/Metadata\b")
IS_OBJSTM = re.compile(rb"/Type\s*/ObjStm\b")
DCT_ONLY = re.compile(rb"/Filter\s*(?:/DCTDecode|\[\s*/DCTDecode\s*\])")
EMPTY_XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"/>'
XMP_MARKS = (b"<rdf:RDF", b"<?xpacket begin")


class _Pdf:
    """The objects of a PDF file, found by a sequential scan (a stream's data is skipped,
    so its bytes are never taken for objects)."""

    def __init__(self, data):
        self.data = bytearray(data)
        self.objects = []     # (num, gen, body_start, body_end, data_start, data_end)
        pos = 0
        while found := HEADER.search(self.data, pos):
            start = found.end()
            end = self.data.find(b"endobj", start)
            if end < 0:
                break
            stream = STREAM.search(self.data, start, end)
            span = (None, None)
            if stream:
                stop = self.data.find(b"endstream", stream.end())
                if stop < 0:
                    break
                span = (stream.end(), stop)
                end = self.data.find(b"endobj", stop)
                if end < 0:
                    break
            self.objects.append((int(found[1]), int(found[2]), start, end, *span))
            pos = end + len(b"endobj")

    def rewrite(self, start, end, body):
        """Put ``body`` in place of an object's body, padded to the same length."""
        if len(body) > end - start:
            raise ValueError("the new body does not fit")
        self.data[start:end] = body + b" " * (end - start - len(body))


def clean_pdf(data):
    """The PDF with empty information dictionaries, empty XMP and bare JPEG images."""
    if b"%PDF-" not in data[:1024]:
        return data
    pdf = _Pdf(data)
    infos = {(int(n), int(g)) for n, g in INFO_REF.findall(pdf.data)}
    metadata = {(int(n), int(g)) for n, g in METADATA_REF.findall(pdf.data)}
    emptied = set()
    try:
        for num, gen, start, end, data_start, data_end in pdf.objects:
            head = bytes(pdf.data[start:data_start or end])
            if data_start is None and (num, gen) in infos:
                if head.lstrip().startswith(b"<<"):
                    pdf.rewrite(start, end, b" <<>>\n")
                    emptied.add(num)
            elif data_start is not None and (IS_METADATA.search(head)
                                             or (num, gen) in metadata):
                pdf.rewrite(start, end, b" <</Type/Metadata/Subtype/XML/Length %d>>stream\n"
                            % len(EMPTY_XMP) + EMPTY_XMP + b"\nendstream\n")
            elif data_start is not None and IS_OBJSTM.search(head):
                emptied |= _empty_in_object_stream(pdf, start, end, head, data_start,
                                                   data_end, {n for n, _g in infos})
            elif data_start is not None and DCT_ONLY.search(head):
                _bare_jpeg(pdf.data, data_start, data_end)
    except (ValueError, zlib.error) as exc:
        raise ValidationError(_cannot_clean_pdf()) from exc
    if {n for n, _g in infos} - emptied or any(m in pdf.data for m in XMP_MARKS):
        raise ValidationError(_cannot_clean_pdf())
    return bytes(pdf.data)


def _cannot_clean_pdf():
    return _("The properties of this PDF (author, software, company) cannot be removed: "
             "save or print it again as a PDF without its properties.")


def _empty_in_object_stream(pdf, start, end, head, data_start, data_end, wanted):
    """Empty the information dictionaries a compressed object stream holds; the numbers
    of those emptied. The stream is compressed again and must fit in its old place."""
    first = re.search(rb"/First\s+(\d+)", head)
    count = re.search(rb"/N\s+(\d+)", head)
    filters = re.findall(rb"/(\w+Decode)\b", head)
    if first is None or count is None:
        raise ValueError("object stream without /N or /First")
    raw = bytes(pdf.data[data_start:data_end])
    if filters == [b"FlateDecode"] and b"/DecodeParms" not in head:
        content = bytearray(zlib.decompressobj().decompress(raw))
    elif not filters:
        content = bytearray(raw.rstrip(b"\r\n"))
    else:
        raise ValueError("object stream with an unsupported filter")
    first = int(first[1])
    numbers = [int(x) for x in content[:first].split()][:2 * int(count[1])]
    pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
    emptied = set()
    for i, (num, offset) in enumerate(pairs):
        if num not in wanted:
            continue
        stop = first + pairs[i + 1][1] if i + 1 < len(pairs) else len(content)
        begin = first + offset
        if not content[begin:stop].lstrip().startswith(b"<<"):
            continue
        content[begin:stop] = b"<<>>" + b" " * (stop - begin - 4)
        emptied.add(num)
    if not emptied:
        return emptied
    packed = zlib.compress(bytes(content), 9)
    extends = re.search(rb"/Extends\s+\d+\s+\d+\s+R", head)
    pdf.rewrite(start, end, b" <</Type/ObjStm/N %d/First %d%s/Filter/FlateDecode/Length %d>>"
                b"stream\n" % (int(count[1]), first, extends[0] if extends else b"",
                               len(packed)) + packed + b"\nendstream\n")
    return emptied


JPEG_DROPPED = {0xE1, 0xED, 0xFE}      # APP1 (EXIF, XMP), APP13 (IPTC), COM


def _bare_jpeg(data, start, end):
    """Zero the EXIF, XMP, IPTC and comment segments of a JPEG held in data[start:end]
    (in place, same length: a decoder skips an application segment it does not know)."""
    pos = start
    if data[pos:pos + 2] != b"\xff\xd8":
        return
    pos += 2
    while pos + 4 <= end and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xFF:           # fill byte
            pos += 1
            continue
        if marker == 0xDA or marker == 0xD9:       # start of scan: no more metadata
            return
        length = int.from_bytes(data[pos + 2:pos + 4], "big")
        if length < 2 or pos + 2 + length > end:
            return
        if marker in JPEG_DROPPED:
            data[pos + 4:pos + 2 + length] = bytes(length - 2)
        pos += 2 + length


# --- Office files --------------------------------------------------------------------------

EMPTY_PROPERTIES = {
    "docProps/core.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        b'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        b'xmlns:dcterms="http://purl.org/dc/terms/" '
        b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'),
    "docProps/app.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'extended-properties"/>'),
    "docProps/custom.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'custom-properties"/>'),
}


def clean_office(data):
    """The .docx/.xlsx package with empty document properties (not a zip: unchanged)."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return data
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = EMPTY_PROPERTIES.get(item.filename) or source.read(item.filename)
            target.writestr(item, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
