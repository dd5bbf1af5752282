"""Reading a document into text: .txt, .docx, and .pdf (OCR'd when it has no text layer).

The kind of a file is decided by its content, never by its name: an image renamed .pdf is
refused as what it is. Every refusal is an ``ImportProblem`` whose message is shown to the user
as it is (Vietnamese by default, translatable).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from lantoa.core.uploads import (
    IMAGE_KINDS,
    UploadRefused,
    check_office_package,
    sniff,
    too_large,
)

ProgressCallback = Callable[[int, int], None]


class ImportProblem(Exception):
    """A document Lantoa cannot take, with the reason in words for the user."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def unexpected_problem() -> ImportProblem:
    """The refusal shown when a reader fails in a way not foreseen (the error itself is logged
    by the caller): the user is told, and no job is left "being read"."""
    return ImportProblem(
        _(
            "The document could not be read because of an unexpected error. Upload it again, "
            "or save it as .docx or PDF and upload that."
        ),
        "unexpected",
    )


class NeedsOCR(Exception):
    """The PDF is a scan: reading it takes OCR, which callers may run in the background."""

    def __init__(self, pages: int):
        super().__init__(pages)
        self.pages = pages


@dataclass
class SourceText:
    text: str
    kind: str  # txt | docx | pdf | pdf-ocr
    pages: int = 0
    ocr_confidence: float | None = None  # mean word confidence 0..100 when OCR'd
    tables: list[list[list[str]]] = field(default_factory=list)  # docx tables: rows of cells
    warnings: list[str] = field(default_factory=list)


POOR_OCR_CONFIDENCE = 60.0

# What the reader takes, checked on the decoded text before any parsing. A long plan is about
# 30 pages, some 100,000 characters and 2,000 lines (a Word paragraph is two lines: the text and
# a blank); the caps are ten times the longest plan seen, and the reader is linear below them.
PLAN_MAX_CHARS = 1_500_000
PLAN_MAX_LINES = 30_000
# PDFs: pages and page size checked from the page boxes before anything is drawn. OCR reads at
# most OCR_MAX_PAGES scanned pages (a long plan is 30 pages), none larger than A3, each tool
# call time-boxed and the whole job too (the single background worker also indexes documents
# and answers Zalo messages).
PDF_MAX_PAGES = 300
PAGE_MAX_AREA = 842 * 1191 * 1.05  # A3 in points², with a margin for scanners' rounding
OCR_MAX_PAGES = 30
OCR_DPI = 300
OCR_PAGE_SECONDS = 120
OCR_JOB_SECONDS = 20 * 60
# Tesseract's OpenMP threads spin against each other and against the other page's process on
# two cores (bench/ocr.py: one page read with its default threads cost 7.4 CPU-s, with
# OMP_THREAD_LIMIT=1 3.4 CPU-s, same text); so one thread a page and one page per core.
OCR_PARALLEL_PAGES = max(1, min(2, os.cpu_count() or 1))
# What a user is told to expect, a page. Measured by bench/ocr.py (two speckled A4 pages of
# the Xuân Lập seed scanned at 300 dpi, read two at a time) on the project's 2-core machine under
# the usual load of its shared sessions: 7.8 s a page at load average 10, 3.1 s at 7, 2.2-2.6
# CPU-seconds a page (an idle machine: about 1.3 s). Rounded up. Before, in the same runs: 110.7
# and 20.5 s a page, 12.6-13.7 CPU-s (the page written as PNG: 5.9 CPU-s; Tesseract's own
# threads: 7.4 CPU-s instead of 3.4). Same text read: 0.993 of syllables, 0.998 of characters.
OCR_SECONDS_PER_PAGE = 10
# Text PDFs: pypdf extracts text at about 30 µs per drawing operator (4-5 s per MB of content
# stream on the test machine), so each page's decompressed content is capped, and the whole
# document's too (a dense page of a plan is 20-60 KB; 300 such pages are well under the cap).
PDF_PAGE_MAX_CONTENT_BYTES = 1024 * 1024
PDF_MAX_CONTENT_BYTES = 8 * 1024 * 1024


def ocr_minutes(pages: int) -> int:
    """Whole minutes, rounded up, that OCR of ``pages`` pages is expected to take."""
    return max(1, -(-pages * OCR_SECONDS_PER_PAGE // 60)) if pages > 0 else 0


# Table cells read from a .docx, all tables together: a plan's tables hold a few thousand.
DOCX_MAX_TABLE_CELLS = 100_000
# Widest table row read (Word itself allows 63 columns).
DOCX_MAX_GRID_SPAN = 64

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _too_long(count: int) -> ImportProblem:
    return ImportProblem(
        _(
            "The document has %(count)s characters; the longest accepted has %(limit)s. "
            "Upload the plan itself, without its appendices of data."
        )
        % {"count": _number(count), "limit": _number(PLAN_MAX_CHARS)},
        "too_long",
    )


def _bounded(source: SourceText) -> SourceText:
    """``source`` if its text is within the caps, else the refusal naming the cap."""
    if len(source.text) > PLAN_MAX_CHARS:
        raise _too_long(len(source.text))
    lines = source.text.count("\n") + 1
    if lines > PLAN_MAX_LINES:
        raise ImportProblem(
            _(
                "The document has %(count)s lines; the longest accepted has %(limit)s. "
                "Upload the plan itself, without its appendices of data."
            )
            % {"count": _number(lines), "limit": _number(PLAN_MAX_LINES)},
            "too_many_lines",
        )
    return source


def read_document(
    data: bytes,
    *,
    filename: str = "",
    progress: ProgressCallback | None = None,
    allow_ocr: bool = True,
) -> SourceText:
    """The text of a plan document. With ``allow_ocr=False`` a scanned PDF raises ``NeedsOCR``
    instead of being read, so a web request can hand it to a background task."""
    if not data or not data.strip():
        raise ImportProblem(_("The file is empty."), "empty")
    if len(data) > settings.PLAN_MAX_BYTES:
        refused = too_large(filename, settings.PLAN_MAX_BYTES)
        raise ImportProblem(refused.message, refused.code)
    kind = sniff(data)
    if kind == "pdf":
        return _bounded(_read_pdf(data, progress, allow_ocr))
    if kind in ("docx", "zip", "xlsx"):
        return _bounded(_read_docx(data))
    if kind in IMAGE_KINDS:
        raise ImportProblem(
            _(
                "This file is an image, not a document. Scan it into a PDF, or upload the Word file."
            ),
            "image",
        )
    if kind in ("ole", "rtf"):
        raise ImportProblem(
            _(
                "Old Word (.doc) and RTF files are not read. Save the document as .docx or PDF and upload it again."
            ),
            "old_format",
        )
    return _bounded(_read_text(data))


def _read_text(data: bytes) -> SourceText:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data.decode("utf-16")
    else:
        control = sum(1 for byte in data[:65536] if byte < 32 and byte not in b"\n\r\t\f")
        if control > max(10, min(len(data), 65536) // 100):
            raise ImportProblem(
                _("This file is not a text document, a Word file or a PDF."), "binary"
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1258")
            except UnicodeDecodeError as exc:
                raise ImportProblem(
                    _("The text file's encoding is not recognised. Save it as UTF-8."), "encoding"
                ) from exc
    return SourceText(text=_normalise(text), kind="txt")


def _normalise(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize(
        "NFC", text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    )
    return text.replace("\u00a0", " ").replace("\u200b", "")


def _read_docx(data: bytes) -> SourceText:
    try:
        archive = check_office_package(data)
    except UploadRefused as refused:
        if refused.code == "damaged":
            raise ImportProblem(
                _("The Word file is damaged and cannot be opened."), "damaged"
            ) from refused
        raise ImportProblem(refused.message, refused.code) from refused
    names = set(archive.namelist())
    if "word/document.xml" not in names:
        raise ImportProblem(_("This file is not a Word (.docx) document."), "not_docx")
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for broken packages
        raise ImportProblem(_("The Word file is damaged and cannot be opened."), "damaged") from exc
    lines: list[str] = []
    tables: list[list[list[str]]] = []
    cells_read = 0
    numbering = _ListNumbering(document)
    body = document.element.body
    for child in body.iterchildren():
        if not isinstance(child.tag, str):
            continue  # a comment or a processing instruction
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            # Comments and processing instructions have a function for a tag: skipped.
            text = _text_of(child)
            marker = numbering.marker(child) if text.strip() else ""
            lines.append(f"{marker} {text.lstrip()}" if marker else text)
            lines.append("")
        elif tag == "tbl":
            rows = _table_rows(child, DOCX_MAX_TABLE_CELLS - cells_read, numbering)
            cells_read += sum(len(row) for row in rows)
            tables.append(rows)
            lines.extend(_table_lines(rows))
            lines.append("")
    return SourceText(text=_normalise("\n".join(lines)), kind="docx", tables=tables)


# A Word table this narrow is a layout, not data: the letterhead (issuer | motto) and the
# signature block (recipients | signer) of nearly every plan typed in Word. Task tables have
# three columns or more (STT, nội dung, chủ trì...). tests/plans/heldout Word files.
LAYOUT_TABLE_MAX_COLUMNS = 2


def _table_lines(rows: list[list[str]]) -> list[str]:
    """A table as lines of text. A data table gives a line per row, every cell (merged ones
    repeated) so the columns stay aligned for the table parser. A layout table gives each
    cell's lines in turn, left column first, as a one-column letterhead or a plan copied as
    text reads: the levels of the letterhead, "Số: …", the motto, the place and date; then
    "Nơi nhận:" and its list, then the signer's title, "(đã ký)" and name, each a line."""
    lines = []
    for row in rows:
        distinct = list(dict.fromkeys(row))
        if len(row) <= LAYOUT_TABLE_MAX_COLUMNS:
            lines.extend(line for cell in distinct for line in cell.split("\n") if line.strip())
        else:
            lines.append(" | ".join(cell.replace("\n", " ") for cell in row))
    return lines


# Word list levels (w:ilvl 0-8).
DOCX_LIST_LEVELS = 9
_STYLE_CHAIN = 10  # basedOn links followed to find a style's list


def _roman(value: int) -> str:
    out = ""
    for number, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                            (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                            (4, "IV"), (1, "I")):  # fmt: skip
        while value >= number:
            out, value = out + letters, value - number
    return out


def _letters(value: int) -> str:
    # Word's lowerLetter: a..z, then aa, bb, ...
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1) if value > 0 else ""


class _ListNumbering:
    """The markers Word draws before list paragraphs ("1.", "a)", "-", "II."): python-docx
    gives a paragraph's text without them, and the layout reader needs them to see the plan's
    structure. Each list (w:numId) counts its levels from numbering.xml (w:start, w:numFmt,
    w:lvlText), a level restarting when a higher one moves on; bullets read as "-" (first
    level) or "+" (deeper). numbering.xml is inside the package check_office_package bounds."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.styles: dict[str, tuple[str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for node in numbering.iterchildren(f"{_W}abstractNum"):
            levels = {}
            for lvl in node.iterchildren(f"{_W}lvl"):
                ilvl = _int(lvl.get(f"{_W}ilvl"), 0)
                levels[ilvl] = (
                    _int(_val(lvl, "start"), 1),
                    _val(lvl, "numFmt") or "decimal",
                    _val(lvl, "lvlText") or "",
                )
            abstract[node.get(f"{_W}abstractNumId", "")] = levels
        for node in numbering.iterchildren(f"{_W}num"):
            levels = dict(abstract.get(_val(node, "abstractNumId") or "", {}))
            for override in node.iterchildren(f"{_W}lvlOverride"):
                ilvl = _int(override.get(f"{_W}ilvl"), 0)
                start = _val(override, "startOverride")
                if start is not None and ilvl in levels:
                    levels[ilvl] = (_int(start, 1), *levels[ilvl][1:])
            self.levels[node.get(f"{_W}numId", "")] = levels
        based: dict[str, str] = {}
        own: dict[str, tuple[str, int]] = {}
        for style in document.styles.element.iterchildren(f"{_W}style"):
            style_id = style.get(f"{_W}styleId", "")
            parent = _val(style, "basedOn")
            if parent:
                based[style_id] = parent
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                own[style_id] = (_val(num_pr, "numId") or "", _int(_val(num_pr, "ilvl"), 0))
        for style_id in set(based) | set(own):
            current = style_id
            for _step in range(_STYLE_CHAIN):
                if current in own:
                    self.styles[style_id] = own[current]
                    break
                if current not in based:
                    break
                current = based[current]

    def marker(self, paragraph) -> str:
        props = paragraph.find(f"{_W}pPr")
        if props is None or not self.levels:
            return ""
        num_pr = props.find(f"{_W}numPr")
        style = _val(props, "pStyle")
        num_id, ilvl = self.styles.get(style or "", ("", 0))
        if num_pr is not None:
            num_id = _val(num_pr, "numId") or num_id
            ilvl = _int(_val(num_pr, "ilvl"), ilvl)
        levels = self.levels.get(num_id)
        if not levels or num_id == "0":
            return ""
        ilvl = min(max(ilvl, 0), DOCX_LIST_LEVELS - 1)
        counters = self.counters.setdefault(num_id, [0] * DOCX_LIST_LEVELS)
        start = levels.get(ilvl, (1, "decimal", ""))[0]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, DOCX_LIST_LEVELS):
            counters[deeper] = 0
        _, fmt, template = levels.get(ilvl, (1, "decimal", f"%{ilvl + 1}."))
        if fmt == "bullet":
            return "-" if ilvl == 0 else "+"
        if fmt == "none":
            return ""

        def number(m: re.Match) -> str:
            level = int(m.group(1)) - 1
            if not 0 <= level < DOCX_LIST_LEVELS:
                return ""
            value = counters[level] or levels.get(level, (1,))[0]
            kind = levels.get(level, (1, "decimal"))[1]
            if kind in ("lowerLetter", "upperLetter"):
                text = _letters(value)
                return text.upper() if kind == "upperLetter" else text
            if kind in ("lowerRoman", "upperRoman"):
                text = _roman(value)
                return text.lower() if kind == "lowerRoman" else text
            return str(value)

        return re.sub(r"%(\d)", number, template).strip()


def _val(element, name: str) -> str | None:
    child = element.find(f"{_W}{name}")
    return child.get(f"{_W}val") if child is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _with_marker(numbering: _ListNumbering | None, paragraph) -> str:
    text = _text_of(paragraph)
    marker = numbering.marker(paragraph) if numbering is not None and text.strip() else ""
    return f"{marker} {text.lstrip()}" if marker else text


def _text_of(element) -> str:
    """A paragraph's text: its runs' text, a line break typed with Shift+Enter (w:br, w:cr) a
    new line (a letterhead typed in one paragraph keeps its lines), a tab a tab. Comments and
    processing instructions (a function for a tag) are skipped."""
    parts = []
    for node in element.iter(f"{_W}t", f"{_W}br", f"{_W}cr", f"{_W}tab"):
        name = node.tag.rsplit("}", 1)[-1]
        if name != "t" and node.getparent().tag != f"{_W}r":
            continue  # a tab stop of the paragraph's properties, not a tab typed in a run
        if name == "t":
            parts.append(node.text or "")
        elif name == "tab":
            parts.append("\t")
        elif node.get(f"{_W}type") in (None, "textWrapping"):
            parts.append("\n")  # a page or column break ends nothing the layout needs
    return "".join(parts)


def _table_rows(table, max_cells: int, numbering: _ListNumbering | None = None) -> list[list[str]]:
    """The rows of a Word table, one text per grid column: a cell spanning columns repeated in
    each, a vertically merged cell (vMerge "continue") given its origin cell's text. One pass,
    keeping the origin text per grid column (python-docx's ``row.cells`` walks back up the
    table for every merged cell: cubic time and a RecursionError on a long table)."""
    rows: list[list[str]] = []
    origin: dict[int, str] = {}
    cells = 0
    for tr in table.iterchildren(f"{_W}tr"):
        row: list[str] = []
        for tc in tr.iterchildren(f"{_W}tc"):
            span, merge = 1, None
            props = tc.find(f"{_W}tcPr")
            if props is not None:
                grid_span = props.find(f"{_W}gridSpan")
                if grid_span is not None:
                    try:
                        span = int(grid_span.get(f"{_W}val", "1"))
                    except ValueError:
                        span = 1
                    span = min(max(span, 1), DOCX_MAX_GRID_SPAN)
                v_merge = props.find(f"{_W}vMerge")
                if v_merge is not None:
                    merge = v_merge.get(f"{_W}val", "continue")
            column = len(row)
            if merge == "continue":
                text = origin.get(column, "")
            else:
                text = "\n".join(
                    _with_marker(numbering, p) for p in tc.iterchildren(f"{_W}p")
                ).strip()
            for offset in range(span):
                origin[column + offset] = text
            row.extend([text] * span)
            cells += span
            if cells > max_cells:
                raise ImportProblem(
                    _(
                        "The tables of this Word file have more than %(limit)s cells. Upload "
                        "the plan itself, without its appendices of data."
                    )
                    % {"limit": _number(DOCX_MAX_TABLE_CELLS)},
                    "table_too_large",
                )
        rows.append(row)
    return rows


def _read_pdf(data: bytes, progress: ProgressCallback | None, allow_ocr: bool = True) -> SourceText:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise FileNotDecryptedError("password")
            except (FileNotDecryptedError, NotImplementedError) as exc:
                raise ImportProblem(
                    _(
                        "This PDF is protected by a password. Remove the protection and upload it again."
                    ),
                    "encrypted",
                ) from exc
        _check_pages(reader.pages)
        pages = _extract_pages(reader.pages)
        text = "\n\n".join(pages)
        if len(re.findall(r"\w", text)) >= 200 * max(1, len(pages)) // 4:
            return SourceText(text=_normalise(text), kind="pdf", pages=len(pages))
        # A scan: only pages that draw an image (or a form) can hold text to OCR.
        scanned = [number for number, page in enumerate(reader.pages, 1) if _draws_image(page)]
    except ImportProblem:
        raise
    except (PdfReadError, ValueError, KeyError, OSError, TypeError, AttributeError) as exc:
        raise ImportProblem(_("The PDF is damaged and cannot be opened."), "damaged") from exc
    if not scanned:
        raise ImportProblem(_("No text could be read from this scanned PDF."), "no_text")
    if len(scanned) > OCR_MAX_PAGES:
        raise ImportProblem(
            _(
                "This scanned PDF has %(count)d pages; at most %(limit)d scanned pages are read. "
                "Upload the Word file or a text PDF, or only the pages of the plan itself."
            )
            % {"count": len(scanned), "limit": OCR_MAX_PAGES},
            "too_many_pages",
        )
    if not allow_ocr:
        raise NeedsOCR(len(scanned))
    return _ocr_pdf(data, scanned, progress)


def _check_pages(pages) -> None:
    """Refuse a PDF with more pages than read, or a page larger than A3, from the page boxes
    alone (cheap: no page is drawn or read)."""
    if len(pages) > PDF_MAX_PAGES:
        raise ImportProblem(
            _("This PDF has %(count)d pages; the longest accepted has %(limit)d.")
            % {"count": len(pages), "limit": PDF_MAX_PAGES},
            "too_many_pages",
        )
    for number, page in enumerate(pages, 1):
        box = page.mediabox
        if abs(float(box.width) * float(box.height)) > PAGE_MAX_AREA:
            raise ImportProblem(
                _(
                    "Page %(page)d of this PDF is %(width)d × %(height)d mm, larger than A3: "
                    "scan the plan on A4 or A3 pages."
                )
                % {
                    "page": number,
                    "width": abs(float(box.width)) * 25.4 / 72,
                    "height": abs(float(box.height)) * 25.4 / 72,
                },
                "page_too_large",
            )


def _extract_pages(pages) -> list[str]:
    """The text of each page, read one at a time: a page whose content stream is larger than
    read is refused before its text is extracted, and reading stops as soon as the text passes
    PLAN_MAX_CHARS."""
    texts: list[str] = []
    characters = 0
    content_total = 0
    for number, page in enumerate(pages, 1):
        contents = page.get_contents()
        size = len(contents.get_data()) if contents is not None else 0
        content_total += size
        if size > PDF_PAGE_MAX_CONTENT_BYTES or content_total > PDF_MAX_CONTENT_BYTES:
            raise ImportProblem(
                _(
                    "Page %(page)d of this PDF draws too much to be read (%(size)s KB of "
                    "drawing instructions; at most %(limit)s KB a page and %(total)s KB in "
                    "all). Upload the Word file, or print the plan to PDF again."
                )
                % {
                    "page": number,
                    "size": _number(size // 1024),
                    "limit": _number(PDF_PAGE_MAX_CONTENT_BYTES // 1024),
                    "total": _number(PDF_MAX_CONTENT_BYTES // 1024),
                },
                "page_too_complex",
            )
        text = page.extract_text() or ""
        characters += len(text) + 2
        if characters > PLAN_MAX_CHARS:
            raise _too_long(characters)
        texts.append(text)
    return texts


def _draws_image(page) -> bool:
    """Whether ``page`` draws an image: an XObject (image or form) or an inline image."""
    try:
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else None
        if resources is not None and resources.get("/XObject"):
            return True
        contents = page.get_contents()
        return contents is not None and b"BI" in contents.get_data()
    except Exception:  # noqa: BLE001 - a page pypdf cannot inspect is OCR'd to be safe
        return True


def _ocr_pdf(data: bytes, pages: list[int], progress: ProgressCallback | None) -> SourceText:
    """Rasterise each page (poppler's pdftoppm) and read it with Tesseract's Vietnamese model,
    OCR_PARALLEL_PAGES pages at a time. Each tool call is time-boxed, and the whole reading too: past its time the job ends with a
    message, leaving nothing half-done, so it can simply be run again."""
    tools = {name: shutil.which(name) for name in ("pdftoppm", "tesseract")}
    for tool, path in tools.items():
        if path is None:
            raise ImportProblem(
                _(
                    "This PDF is a scan and the OCR tools are not installed on the server (%(tool)s)."
                )
                % {"tool": tool},
                "ocr_missing",
            )
    page_count = len(pages)
    deadline = time.monotonic() + OCR_JOB_SECONDS
    read: dict[int, tuple[str, list[float]]] = {}
    with tempfile.TemporaryDirectory(prefix="lantoa-ocr-") as tmp:
        pdf = Path(tmp) / "in.pdf"
        pdf.write_bytes(data)
        if progress:
            progress(0, page_count)
        # Pages are read in parallel, each Tesseract on one thread; progress is reported from
        # this thread (the callback writes to the database) as pages finish.
        with ThreadPoolExecutor(max_workers=min(OCR_PARALLEL_PAGES, page_count)) as pool:
            futures = {pool.submit(_ocr_page, tools, pdf, page, deadline): page for page in pages}
            try:
                for future in as_completed(futures):
                    read[futures[future]] = future.result()
                    if progress and len(read) < page_count:
                        progress(len(read), page_count)
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
        if progress:
            progress(page_count, page_count)
    texts = [read[page][0] for page in pages]
    confidences = [conf for page in pages for conf in read[page][1]]
    text = "\n\n".join(texts)
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    source = SourceText(
        text=_normalise(text), kind="pdf-ocr", pages=page_count, ocr_confidence=round(mean, 1)
    )
    if not confidences:
        raise ImportProblem(_("No text could be read from this scanned PDF."), "no_text")
    if mean < POOR_OCR_CONFIDENCE:
        source.warnings.append(
            _(
                "The scan is hard to read (OCR confidence %(confidence)d%%): check every item against the "
                "source, or upload a clearer scan or the Word file."
            )
            % {"confidence": int(mean)}
        )
    return source


def _ocr_page(
    tools: dict[str, str], pdf: Path, page: int, deadline: float
) -> tuple[str, list[float]]:
    """Rasterise one page to a greyscale PNM (PNG's compression of a noisy 300 dpi scan cost
    more than reading it) and read it with one Tesseract thread."""
    prefix = pdf.parent / f"p{page}"
    _run_tool(
        [
            tools["pdftoppm"],
            "-r",
            str(OCR_DPI),
            "-gray",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        deadline,
    )
    image = Path(f"{prefix}.pgm")
    try:
        result = _run_tool(
            [
                tools["tesseract"],
                str(image),
                "stdout",
                "-l",
                settings.OCR_LANGUAGE,
                "--psm",
                "4",
                "tsv",
            ],
            deadline,
            env=dict(os.environ, OMP_THREAD_LIMIT="1"),
        )
    finally:
        image.unlink(missing_ok=True)
    return _text_from_tsv(result.stdout)


def _run_tool(
    args: list[str], deadline: float, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run an OCR tool within OCR_PAGE_SECONDS and what is left of the job's time."""
    timeout = min(OCR_PAGE_SECONDS, max(0.001, deadline - time.monotonic()))
    try:
        return subprocess.run(  # noqa: S603 - fixed tools, our own temporary files
            args, check=True, capture_output=True, text=True, timeout=timeout, env=env
        )
    except subprocess.TimeoutExpired as exc:
        raise ImportProblem(
            _(
                "Reading this scan took longer than allowed and was stopped. Upload a clearer or "
                "shorter scan, or the Word file."
            ),
            "ocr_timeout",
        ) from exc
    except (subprocess.CalledProcessError, OSError) as exc:
        raise ImportProblem(
            _("This scanned PDF could not be read: it may be damaged."), "ocr_failed"
        ) from exc


def _text_from_tsv(tsv: str) -> tuple[str, list[float]]:
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences: list[float] = []
    last_par = None
    order: list[tuple[int, int, int]] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        word = cols[11].strip()
        if not word:
            continue
        key = (int(cols[2]), int(cols[3]), int(cols[4]))
        if key not in lines:
            lines[key] = []
            order.append(key)
        lines[key].append(word)
        conf = float(cols[10])
        if conf >= 0:
            confidences.append(conf)
    out: list[str] = []
    for key in order:
        if last_par is not None and key[:2] != last_par:
            out.append("")
        out.append(" ".join(lines[key]))
        last_par = key[:2]
    return "\n".join(out), confidences
