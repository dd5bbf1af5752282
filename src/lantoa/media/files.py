"""What a library file is and what can be read from it, without the database: its kind from its
first bytes (never its name), the embedded EXIF/IPTC metadata and the perceptual hash of an
image, and the renditions (Pillow for images, ffprobe and ffmpeg from Debian for video and
audio). Every read is bounded: pixels, metadata sizes, tool run times and their output."""

from __future__ import annotations

import datetime
import io
import json
import re
import shutil
import subprocess
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.core.uploads import UploadRefused, megabytes, sniff

from .choices import AssetKind

HEAD_BYTES = 64 * 1024  # what is read to tell a file's kind
OFFICE_MAX_NAMES = 5000
RENDITION_BOXES = {"thumb": 320, "web": 1280}
POSTER_BOX = 1280
SPECS = ("thumb", "web", "poster")
FFPROBE_SECONDS = 30
FFMPEG_SECONDS = 60
TOOL_OUTPUT_BYTES = 256 * 1024
METADATA_VALUE_CHARS = 500
METADATA_MAX_KEYS = 60

# format: (kind, content type, extension)
FORMATS: dict[str, tuple[str, str, str]] = {
    "jpeg": (AssetKind.IMAGE, "image/jpeg", ".jpg"),
    "png": (AssetKind.IMAGE, "image/png", ".png"),
    "gif": (AssetKind.IMAGE, "image/gif", ".gif"),
    "webp": (AssetKind.IMAGE, "image/webp", ".webp"),
    "tiff": (AssetKind.IMAGE, "image/tiff", ".tif"),
    "mp4": (AssetKind.VIDEO, "video/mp4", ".mp4"),
    "mov": (AssetKind.VIDEO, "video/quicktime", ".mov"),
    "webm": (AssetKind.VIDEO, "video/webm", ".webm"),
    "mkv": (AssetKind.VIDEO, "video/x-matroska", ".mkv"),
    "avi": (AssetKind.VIDEO, "video/x-msvideo", ".avi"),
    "mp3": (AssetKind.AUDIO, "audio/mpeg", ".mp3"),
    "m4a": (AssetKind.AUDIO, "audio/mp4", ".m4a"),
    "wav": (AssetKind.AUDIO, "audio/wav", ".wav"),
    "ogg": (AssetKind.AUDIO, "audio/ogg", ".ogg"),
    "flac": (AssetKind.AUDIO, "audio/flac", ".flac"),
    "pdf": (AssetKind.DOCUMENT, "application/pdf", ".pdf"),
    "docx": (
        AssetKind.DOCUMENT,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
    "xlsx": (
        AssetKind.DOCUMENT,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
    ),
    "pptx": (
        AssetKind.DOCUMENT,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".pptx",
    ),
    "ole": (AssetKind.DOCUMENT, "application/octet-stream", ".doc"),
    "rtf": (AssetKind.DOCUMENT, "application/rtf", ".rtf"),
    "psd": (AssetKind.SOURCE, "image/vnd.adobe.photoshop", ".psd"),
    "zip": (AssetKind.SOURCE, "application/zip", ".zip"),
}
# What a name's extension claims. A design source file (.ai is a PDF, .indd or .fig a package)
# may hold any accepted content; every other claim must match what the bytes are.
EXTENSION_KINDS = {
    **dict.fromkeys(("jpg", "jpeg", "jpe", "png", "gif", "webp", "tif", "tiff"), AssetKind.IMAGE),
    **dict.fromkeys(("mp4", "m4v", "mov", "webm", "mkv", "avi"), AssetKind.VIDEO),
    **dict.fromkeys(("mp3", "m4a", "wav", "ogg", "oga", "flac", "aac"), AssetKind.AUDIO),
    **dict.fromkeys(
        ("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "rtf"), AssetKind.DOCUMENT
    ),
    **dict.fromkeys(("psd", "ai", "zip", "indd", "fig", "sketch", "eps", "xd"), AssetKind.SOURCE),
}
KIND_NAMES = {
    AssetKind.IMAGE: gettext_lazy("an image"),
    AssetKind.VIDEO: gettext_lazy("a video"),
    AssetKind.AUDIO: gettext_lazy("an audio file"),
    AssetKind.DOCUMENT: gettext_lazy("a document"),
    AssetKind.SOURCE: gettext_lazy("a design source file"),
}
FORMAT_NAMES = {
    "pdf": gettext_lazy("a PDF document"),
    "text": gettext_lazy("text or a web page (HTML)"),
    "zip": gettext_lazy("a zip archive"),
}


def limit_for(kind: str) -> int:
    return {
        AssetKind.IMAGE: settings.LIBRARY_IMAGE_MAX_BYTES,
        AssetKind.VIDEO: settings.LIBRARY_VIDEO_MAX_BYTES,
        AssetKind.AUDIO: settings.LIBRARY_AUDIO_MAX_BYTES,
        AssetKind.DOCUMENT: settings.LIBRARY_DOCUMENT_MAX_BYTES,
        AssetKind.SOURCE: settings.LIBRARY_SOURCE_MAX_BYTES,
    }[kind]


def largest_limit() -> int:
    return max(limit_for(kind) for kind in AssetKind.values)


def sniff_format(head: bytes) -> str:
    """The format of a file from its first bytes: a key of FORMATS, or "zip" for a package
    to open further, or "text" (which the library does not keep)."""
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"M4A ", b"M4B ", b"M4P ", b"F4A "):
            return "m4a"
        return "mov" if brand.startswith(b"qt") else "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm" if b"webm" in head[:64] else "mkv"
    if head[:4] == b"RIFF":
        if head[8:12] == b"AVI ":
            return "avi"
        if head[8:12] == b"WAVE":
            return "wav"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"fLaC"):
        return "flac"
    frame_sync = len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
    if head.startswith(b"ID3") or (frame_sync and not head.startswith(b"\xff\xd8")):
        return "mp3"
    if head.startswith(b"8BPS"):
        return "psd"
    return sniff(head)


def package_format(stream) -> str:
    """docx, xlsx, pptx or zip, from a zip's central directory (``stream`` seekable: only
    the directory at its end is read)."""
    import zipfile

    try:
        archive = zipfile.ZipFile(stream)
        names = set(archive.namelist()[:OFFICE_MAX_NAMES])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return "zip"
    finally:
        if hasattr(stream, "seek"):
            stream.seek(0)
    for part, fmt in (
        ("word/document.xml", "docx"),
        ("xl/workbook.xml", "xlsx"),
        ("ppt/presentation.xml", "pptx"),
    ):
        if part in names:
            return fmt
    return "zip"


def extension_of(name: str) -> str:
    base = re.split(r"[\\/]", name or "")[-1]
    return base.rpartition(".")[2].lower() if "." in base else ""


@dataclass(frozen=True)
class Detected:
    kind: str
    format: str
    content_type: str
    extension: str


def detect(name: str, fmt: str) -> Detected:
    """The kind a file of format ``fmt`` named ``name`` is kept as, or UploadRefused: text and
    web pages are never kept, and a name claiming another kind than the content is refused."""
    claimed = EXTENSION_KINDS.get(extension_of(name))
    if fmt not in FORMATS:
        found = FORMAT_NAMES.get(fmt) or FORMAT_NAMES["text"]
        raise UploadRefused(
            _(
                "“%(name)s” is %(found)s: the library keeps images, videos, audio files, "
                "documents (PDF, Word, Excel, PowerPoint) and design source files."
            )
            % {"name": name, "found": found},
            "kind",
        )
    kind, content_type, extension = FORMATS[fmt]
    if claimed == AssetKind.SOURCE:
        kind = AssetKind.SOURCE
    elif claimed is not None and claimed != kind:
        raise UploadRefused(
            _(
                "“%(name)s” is named like %(claimed)s, but its content is %(found)s. Lantoa "
                "checks files by what they contain: upload the real file, or give it its "
                "right name."
            )
            % {
                "name": name,
                "claimed": KIND_NAMES[claimed],
                "found": FORMAT_NAMES.get(fmt) or KIND_NAMES[kind],
            },
            "mislabeled",
        )
    return Detected(kind=kind, format=fmt, content_type=content_type, extension=extension)


def too_large_for_kind(name: str, kind: str, limit: int) -> UploadRefused:
    return UploadRefused(
        _("“%(name)s” is larger than %(limit)s MB, the largest %(kind)s the library accepts.")
        % {"name": name, "limit": megabytes(limit), "kind": KIND_NAMES[kind]},
        "too_large",
    )


# --- images: size, embedded metadata, perceptual hash ---------------------------------------


@dataclass
class ImageFacts:
    width: int
    height: int
    phash: str
    metadata: dict = field(default_factory=dict)
    prefill: dict = field(default_factory=dict)


def _too_many_pixels(name: str) -> UploadRefused:
    return UploadRefused(
        _(
            "“%(name)s” is a picture of more than %(limit)s million pixels: it is refused, as "
            "such a file can exhaust the server. Reduce its size and upload it again."
        )
        % {"name": name, "limit": settings.LIBRARY_MAX_PIXELS // 1_000_000},
        "pixels",
    )


def open_image(data: bytes, name: str = ""):
    """The Pillow image of ``data`` once its header says it is within the pixel limit;
    a decompression bomb is refused before a pixel is decoded."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(name) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise UploadRefused(
            _("“%(name)s” is damaged: it cannot be opened as a picture.") % {"name": name},
            "damaged",
        ) from exc
    if image.width * image.height > settings.LIBRARY_MAX_PIXELS:
        image.close()
        raise _too_many_pixels(name)
    return image


def _text(value) -> str:
    if isinstance(value, bytes):
        for encoding in ("utf-8", "cp1252"):
            try:
                value = value.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            value = value.decode("utf-8", "replace")
    if isinstance(value, (list, tuple)):
        return "; ".join(_text(v) for v in value[:20])
    return " ".join(str(value).replace("\x00", " ").split())[:METADATA_VALUE_CHARS]


def _exif_date(value: str) -> datetime.date | None:
    match = re.match(r"(\d{4})[:\-](\d{2})[:\-](\d{2})", value or "")
    if not match:
        return None
    try:
        return datetime.date(*map(int, match.groups()))
    except ValueError:
        return None


def _gps(gps: dict) -> tuple[float, float] | None:
    try:

        def degrees(values, ref):
            d, m, s = (float(v) for v in values)
            value = d + m / 60 + s / 3600
            return -value if ref in ("S", "W") else value

        return (
            round(degrees(gps[2], _text(gps.get(1))), 6),
            round(degrees(gps[4], _text(gps.get(3))), 6),
        )
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None


EXIF_NAMES = {
    0x010E: "ImageDescription",
    0x010F: "Make",
    0x0110: "Model",
    0x0131: "Software",
    0x0132: "DateTime",
    0x013B: "Artist",
    0x8298: "Copyright",
    0x9003: "DateTimeOriginal",
    0x9C9B: "XPTitle",
}
IPTC_NAMES = {
    (2, 5): "ObjectName",
    (2, 25): "Keywords",
    (2, 55): "DateCreated",
    (2, 80): "By-line",
    (2, 90): "City",
    (2, 92): "Sub-location",
    (2, 95): "Province-State",
    (2, 101): "Country",
    (2, 105): "Headline",
    (2, 110): "Credit",
    (2, 116): "CopyrightNotice",
    (2, 120): "Caption-Abstract",
}


def read_embedded(image) -> tuple[dict, dict]:
    """The EXIF and IPTC a picture carries (bounded), and what they say of the library's
    fields: ``prefill`` holds title, description, author, taken_on, place, rights, tags."""
    from PIL import ExifTags, IptcImagePlugin

    metadata: dict = {}
    prefill: dict = {}
    exif_values: dict[str, str] = {}
    try:
        exif = image.getexif()
        inner = exif.get_ifd(ExifTags.IFD.Exif)
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        for tag, key in EXIF_NAMES.items():
            value = inner.get(tag, exif.get(tag))
            if value not in (None, "", b""):
                if tag == 0x9C9B and isinstance(value, (bytes, tuple)):
                    value = bytes(value).decode("utf-16-le", "replace").rstrip("\x00")
                exif_values[key] = _text(value)
    except Exception:  # noqa: BLE001 - a damaged EXIF block leaves the fields to the user
        gps = {}
    iptc_values: dict[str, str] = {}
    try:
        iptc = IptcImagePlugin.getiptcinfo(image) or {}
    except Exception:  # noqa: BLE001 - the same for a damaged IPTC block
        iptc = {}
    for key, name in IPTC_NAMES.items():
        if key in iptc:
            iptc_values[name] = _text(iptc[key])
    if exif_values:
        metadata["exif"] = dict(list(exif_values.items())[:METADATA_MAX_KEYS])
    if iptc_values:
        metadata["iptc"] = iptc_values
    position = _gps(gps) if gps else None
    if position:
        metadata["gps"] = list(position)
    title = (
        iptc_values.get("ObjectName") or iptc_values.get("Headline") or exif_values.get("XPTitle")
    )
    description = iptc_values.get("Caption-Abstract") or exif_values.get("ImageDescription")
    author = iptc_values.get("By-line") or exif_values.get("Artist")
    rights = iptc_values.get("CopyrightNotice") or exif_values.get("Copyright")
    created = iptc_values.get("DateCreated", "")
    iptc_date = _exif_date(f"{created[:4]}:{created[4:6]}:{created[6:8]}") if created else None
    taken = (
        _exif_date(exif_values.get("DateTimeOriginal", ""))
        or iptc_date
        or _exif_date(exif_values.get("DateTime", ""))
    )
    places = [iptc_values.get(k) for k in ("Sub-location", "City", "Province-State", "Country")]
    place = ", ".join(p for p in places if p)
    if not place and position:
        place = f"{position[0]:.5f}, {position[1]:.5f}"
    keywords = [k.strip() for k in iptc_values.get("Keywords", "").split(";") if k.strip()]
    for key, value in (
        ("title", title),
        ("description", description),
        ("author", author),
        ("rights", rights),
        ("taken_on", taken),
        ("place", place),
        ("tags", keywords[:20]),
    ):
        if value:
            prefill[key] = value
    return metadata, prefill


def image_facts(data: bytes, name: str = "") -> ImageFacts:
    """Size (as shown, EXIF orientation applied), perceptual hash and embedded metadata."""
    import imagehash
    from PIL import Image, ImageOps

    image = open_image(data, name)
    try:
        metadata, prefill = read_embedded(image)
        width, height = image.size  # from the header, before draft() scales a JPEG down
        if image.getexif().get(0x0112) in (5, 6, 7, 8):  # shown turned a quarter
            width, height = height, width
        image.draft("RGB", (512, 512))  # a JPEG decodes at a reduced scale: enough for the hash
        shown = ImageOps.exif_transpose(image) or image
        phash = str(imagehash.phash(shown.convert("RGB")))
    except UploadRefused:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise UploadRefused(
            _("“%(name)s” is damaged: it cannot be opened as a picture.") % {"name": name},
            "damaged",
        ) from exc
    finally:
        image.close()
    return ImageFacts(width=width, height=height, phash=phash, metadata=metadata, prefill=prefill)


def phash_bands(phash: str) -> list[int]:
    """The four 16-bit bands of a 64-bit hash written as 16 hex digits."""
    return [int(phash[i : i + 4], 16) for i in range(0, 16, 4)]


def hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def image_rendition(data: bytes, box: int) -> tuple[bytes, int, int]:
    """A JPEG fitting ``box`` pixels, turned upright, transparency on white, with no embedded
    metadata (EXIF, GPS, ICC) carried over."""
    from PIL import Image, ImageOps

    image = open_image(data)
    with image:
        image.draft("RGB", (box, box))
        upright = ImageOps.exif_transpose(image) or image
        upright.thumbnail((box, box))
        if upright.mode not in ("RGB", "L"):
            rgba = upright.convert("RGBA")
            flat = Image.new("RGB", rgba.size, "white")
            flat.paste(rgba, mask=rgba)
            upright = flat
        out = io.BytesIO()
        upright.convert("RGB").save(out, "JPEG", quality=82, optimize=True)
        return out.getvalue(), upright.width, upright.height


# --- video and audio: ffprobe and ffmpeg under time limits -----------------------------------


class ToolFailed(Exception):
    pass


def _run(command: list[str], seconds: int) -> bytes:
    try:
        done = subprocess.run(  # noqa: S603 - fixed tools on our own temporary file
            command, capture_output=True, timeout=seconds, check=False
        )
    except (subprocess.SubprocessError, OSError) as exc:
        raise ToolFailed(str(exc)) from exc
    if done.returncode != 0:
        raise ToolFailed(done.stderr[:2000].decode("utf-8", "replace"))
    return done.stdout[:TOOL_OUTPUT_BYTES]


def probe(path: Path) -> dict:
    """Duration, picture size and the container's tags of a video or audio file."""
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        raise ToolFailed("ffprobe is missing")
    out = _run(
        [
            ffprobe, "-v", "error", "-protocol_whitelist", "file",
            "-show_entries", "format=duration:format_tags:stream=codec_type,width,height",
            "-of", "json", str(path),
        ],
        FFPROBE_SECONDS,
    )  # fmt: skip
    try:
        data = json.loads(out)
    except ValueError as exc:
        raise ToolFailed("unreadable ffprobe output") from exc
    fmt = data.get("format") or {}
    streams = data.get("streams") or []
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    try:
        duration = float(fmt.get("duration"))
    except (TypeError, ValueError):
        duration = None
    tags = {str(k)[:40]: _text(v) for k, v in list((fmt.get("tags") or {}).items())[:20]}
    return {
        "duration": duration,
        "width": (video or {}).get("width"),
        "height": (video or {}).get("height"),
        "has_video": video is not None,
        "has_audio": any(s.get("codec_type") == "audio" for s in streams),
        "tags": tags,
    }


def poster_frame(path: Path, duration: float | None) -> bytes:
    """One frame (a third of the way in, at most at 1 s) as a JPEG at most POSTER_BOX wide."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise ToolFailed("ffmpeg is missing")
    at = min(1.0, (duration or 0) / 3)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "poster.jpg"
        _run(
            [
                ffmpeg, "-nostdin", "-v", "error", "-protocol_whitelist", "file",
                "-ss", f"{at:.2f}", "-i", str(path), "-frames:v", "1", "-an",
                "-vf", f"scale='min({POSTER_BOX},iw)':-2", "-q:v", "4", "-y", str(out),
            ],
            FFMPEG_SECONDS,
        )  # fmt: skip
        if not out.exists():
            raise ToolFailed("no frame")
        return out.read_bytes()[: 20 * 1024 * 1024]


PDFTOPPM_SECONDS = 20


def pdf_first_page(path: Path, box: int) -> bytes:
    """The first page of a PDF as a JPEG fitting ``box`` pixels, by pdftoppm (Poppler)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise ToolFailed("pdftoppm is missing")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "page"
        _run(
            [
                pdftoppm, "-f", "1", "-l", "1", "-singlefile", "-scale-to", str(box),
                "-jpeg", "-jpegopt", "quality=82", str(path), str(out),
            ],
            PDFTOPPM_SECONDS,
        )  # fmt: skip
        page = out.with_suffix(".jpg")
        if not page.exists():
            raise ToolFailed("no page")
        return page.read_bytes()[: 20 * 1024 * 1024]
