"""What an uploaded file really is, from its first bytes: uploads are checked by content, never
by their name."""

from __future__ import annotations

import io
import re
import zipfile

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _

SIGNATURES = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"\xd0\xcf\x11\xe0", "ole"),
    (b"{\\rtf", "rtf"),
    (b"PK\x03\x04", "zip"),
]
IMAGE_KINDS = frozenset({"png", "jpeg", "gif", "webp", "tiff"})
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "tiff": "image/tiff",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniff(data: bytes) -> str:
    """pdf, png, jpeg, gif, webp, tiff, ole (old Office), rtf, docx, xlsx, zip, or text."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            if kind == "zip":
                return _office_kind(data)
            return kind
    return "text"


def _office_kind(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


# --- size checks before reading, and Office packages (.docx, .xlsx) opened safely -------------


class UploadRefused(Exception):
    """An upload Lantoa will not read, with the reason in words for the user."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def megabytes(size: int) -> str:
    """``size`` in MB for a message: "20", or "0,5" below one."""
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value >= 1 else f"{value:.1f}".replace(".", ",")


def too_large(name: str, limit: int) -> UploadRefused:
    """The refusal of a file over ``limit`` bytes, naming the limit: every size check's words."""
    return UploadRefused(
        _("%(name)s is larger than %(limit)s MB, the largest accepted here.")
        % {"name": name or _("The file"), "limit": megabytes(limit)},
        "too_large",
    )


def check_size(upload, limit: int) -> None:
    """Refuse ``upload`` (a Django ``UploadedFile``) larger than ``limit`` bytes from its
    recorded size, before a byte of it is read into memory."""
    size = getattr(upload, "size", None)
    if size is None or size > limit:
        raise too_large(getattr(upload, "name", ""), limit)


def read_upload(upload, limit: int) -> bytes:
    """The bytes of ``upload`` once its size is known to be within ``limit``: read in chunks
    and stopped at the limit, should the recorded size be wrong."""
    check_size(upload, limit)
    chunks, total = [], 0
    for chunk in upload.chunks():
        total += len(chunk)
        if total > limit:
            raise too_large(getattr(upload, "name", ""), limit)
        chunks.append(chunk)
    return b"".join(chunks)


class LimitedFileField(forms.FileField):
    """A file field refusing a file over ``settings.<setting>`` bytes from its recorded size,
    before it is read (the limit is read at each check, so it follows the settings)."""

    def __init__(self, *args, setting: str, **kwargs):
        self.setting = setting
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            try:
                check_size(upload, getattr(settings, self.setting))
            except UploadRefused as refused:
                raise forms.ValidationError(refused.message, code=refused.code) from refused
        return upload


# What an Office package may hold once unpacked: a 300-page plan's XML is a few MB; a zip bomb
# (a 50 KB .docx unpacking to gigabytes) is refused from the sizes its directory declares, which
# Python's zipfile enforces while reading (a member longer than declared is a CRC error).
OFFICE_MAX_XML_BYTES = 25 * 1024 * 1024
OFFICE_MAX_UNPACKED_BYTES = 150 * 1024 * 1024
OFFICE_MAX_MEMBERS = 5000
# The main part a package's _rels/.rels may name: Lantoa reads Word documents and Excel
# workbooks only, from where Word and Excel write them.
OFFICE_MAIN_PARTS = ("word/document.xml", "xl/workbook.xml")
_OFFICE_DOCUMENT_RELATION = "/officeDocument"
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _is_media(name: str) -> bool:
    """Pictures and other binary media (word/media/…, xl/media/…): the only parts not scanned
    as XML, whatever their extension."""
    return "/media/" in f"/{name}"


_DTD_MARKS = tuple(
    mark.encode(encoding)
    for mark in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)


def check_office_package(
    data: bytes,
    *,
    max_xml_bytes: int = OFFICE_MAX_XML_BYTES,
    max_unpacked_bytes: int = OFFICE_MAX_UNPACKED_BYTES,
) -> zipfile.ZipFile:
    """The opened package of a .docx or .xlsx, once it is known to be a zip of bounded
    unpacked size whose XML declares no DOCTYPE (no entity expansion, no external entities).
    Raises ``UploadRefused`` with codes damaged, too_large_unpacked, doctype."""
    damaged = UploadRefused(
        _("The file is damaged or is not an Office (.docx, .xlsx) document."), "damaged"
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise damaged from exc
    # Every part but media, whatever its name: a main part renamed word/document.bin is XML too.
    xml = [m for m in members if not _is_media(m.filename)]
    if (
        len(members) > OFFICE_MAX_MEMBERS
        or sum(m.file_size for m in members) > max_unpacked_bytes
        or sum(m.file_size for m in xml) > max_xml_bytes
    ):
        raise UploadRefused(
            _(
                "Unpacked, this file would take more than %(limit)s MB: it is not an ordinary "
                "document. Save it again from Word or Excel, or split it."
            )
            % {"limit": megabytes(max_xml_bytes)},
            "too_large_unpacked",
        )
    try:
        for member in xml:
            with archive.open(member) as stream:
                tail = b""
                while chunk := stream.read(1024 * 1024):
                    window = tail + chunk
                    if any(mark in window for mark in _DTD_MARKS):
                        raise UploadRefused(
                            _(
                                "This file declares a DOCTYPE or XML entities, which Office never "
                                "writes; it is refused for safety. Save it again from Word or Excel."
                            ),
                            "doctype",
                        )
                    tail = window[-24:]
    except UploadRefused:
        raise
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError) as exc:
        raise damaged from exc
    _check_main_part(archive, damaged)
    return archive


def _check_main_part(archive: zipfile.ZipFile, damaged: UploadRefused) -> None:
    """Refuse a package whose _rels/.rels names a main part other than Word's or Excel's."""
    from xml.etree.ElementTree import ParseError, fromstring

    try:
        relations = archive.read("_rels/.rels")
    except KeyError:
        return  # no package relations: the reader finds no document and says so
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError) as exc:
        raise damaged from exc
    try:
        root = fromstring(relations)  # noqa: S314 - scanned above: no DOCTYPE, no entities
    except ParseError as exc:
        raise damaged from exc
    for relation in root.iter(_RELATIONSHIPS):
        if not relation.get("Type", "").endswith(_OFFICE_DOCUMENT_RELATION):
            continue
        if relation.get("Target", "").lstrip("/") not in OFFICE_MAIN_PARTS:
            raise UploadRefused(
                _(
                    "This file's main part is stored under an unusual name, which Word and "
                    "Excel never write; it is refused for safety. Save it again from Word or Excel."
                ),
                "main_part",
            )


EXTENSIONS = {
    "pdf": ".pdf",
    "png": ".png",
    "jpeg": ".jpg",
    "gif": ".gif",
    "webp": ".webp",
    "tiff": ".tif",
    "docx": ".docx",
    "xlsx": ".xlsx",
    "text": ".txt",
}
STORED_STEM_MAX = 40


def storage_name(name: str, kind: str) -> str:
    """The name an upload is stored under: the original name folded to ASCII, without any
    directory, cut to ``STORED_STEM_MAX`` characters, with the extension of what the file
    really is (its original one when the content kind has none). Fits a 100-character
    FileField with its ``upload_to`` folders and the storage's de-duplicating suffix; the
    original name is kept apart, for display."""
    from .text import fold

    base = re.split(r"[\\/]", name or "")[-1]
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    suffix = EXTENSIONS.get(kind)
    if suffix is None:
        extension = re.sub(r"[^0-9a-z]", "", fold(extension))[:8]
        suffix = f".{extension}" if extension else ""
    slug = re.sub(r"[^0-9a-z]+", "-", fold(stem)).strip("-")[:STORED_STEM_MAX].strip("-")
    return f"{slug or 'tep'}{suffix}"
