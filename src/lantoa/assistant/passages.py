"""A document cut into passages that keep their place: the section headings above them.

The layout reader of the plan importer gives logical paragraphs with their list markers
(``II.``, ``1.``, ``a)``, ``-``) even from OCR'd text; a heading opens a section, paragraphs
under it are gathered into passages of about ``SIZE`` characters, a longer paragraph is cut at
sentence ends. Each passage carries the heading path ("II. NHIỆM VỤ › 2. Đổi mới nội dung")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lantoa.core.documents.layout import match_key, paragraphs

from .text import sentences

if TYPE_CHECKING:
    from .reading import Reading

SIZE = 600
HEADING_IN_TEXT = 120
LEVELS = {"roman": 0, "number": 1, "multi": 2, "letter": 3}


@dataclass
class Piece:
    section: str
    text: str


def _is_heading(para) -> bool:
    if para.marker in LEVELS and para.is_heading_like() and len(para.text) <= 200:
        return True
    # Lines in capitals ("KẾ HOẠCH", "Điều 3." is caught by the markers' rules elsewhere)
    letters = [c for c in para.text if c.isalpha()]
    return 4 <= len(para.text) <= 120 and bool(letters) and all(c.isupper() for c in letters)


def _cut(text: str, size: int) -> list[str]:
    """A long paragraph in pieces of about ``size`` characters, at sentence ends."""
    out, current = [], ""
    for sentence in sentences(text) or [text]:
        if current and len(current) + len(sentence) + 1 > size and not current.endswith(":"):
            out.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
        while len(current) > 2 * size:  # a sentence with no end: cut at a space
            cut = current.rfind(" ", 0, size) if " " in current[:size] else size
            out.append(current[:cut])
            current = current[cut:].strip()
    if current:
        out.append(current)
    return out


# --- passages with their meaning attached -------------------------------------------------------

DOCUMENT_SECTION = "Thông tin văn bản"
# Table columns by what their header says (folded), in the order a row is read out.
COLUMNS = (
    ("task", "Nhiệm vụ", r"nhiem vu|noi dung|ten nhiem vu|hoat dong|cong viec"),
    ("lead", "Chủ trì", r"chu tri|don vi chu tri|co quan chu tri|don vi thuc hien"),
    ("support", "Phối hợp", r"phoi hop"),
    ("output", "Sản phẩm", r"san pham|ket qua"),
    ("due", "Thời gian hoàn thành", r"thoi gian|thoi han|tien do|hoan thanh"),
    ("budget", "Kinh phí", r"kinh phi|nguon von"),
)
_NUMBERING = re.compile(r"^\s*(?:stt|tt|\d+(?:\.\d+)*\.?|[ivxlc]+\.?|[a-z][).])\s*$")
_BOILERPLATE = re.compile(
    r"^(?:cong hoa xa hoi chu nghia viet nam|doc lap\W+tu do\W+hanh phuc|"
    r"cap nhat luc\b.*|so\s*:.*|noi nhan\s*:?.*)$"
)
_APPENDIX = re.compile(r"^\s*(?:phu luc|danh muc)\b")


def _cells(line: str) -> list[str] | None:
    if line.count("|") < 2:
        return None
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    return cells if len(cells) >= 3 else None


def _columns(cells: list[str]) -> list[tuple[str, str] | None] | None:
    """The meaning of each column of a header row, or None when the row is not a task header."""
    out: list[tuple[str, str] | None] = []
    for cell in cells:
        key = " ".join(re.findall(r"[a-z0-9]+", match_key(cell)))
        out.append(next(((n, label) for n, label, rx in COLUMNS if re.search(rx, key)), None))
    named = {c[0] for c in out if c}
    return out if "task" in named and named & {"lead", "due", "support"} else None


def table_rows(text: str) -> tuple[str, list[Piece]]:
    """Task tables (pipe rows, as text and .docx tables read) taken out of the text, each row
    a passage of its own that keeps its columns: "Nhiệm vụ: …; Chủ trì: …; Phối hợp: …;
    Thời gian hoàn thành: …"."""
    lines = text.split("\n")
    keep: list[str] = []
    rows: list[Piece] = []
    columns = None
    caption = ""
    for line in lines:
        cells = _cells(line)
        if cells is None:
            columns = None if line.strip() else columns
            if line.strip():
                caption = " ".join(line.split())[:200]
                keep.append(line)
            continue
        header = _columns(cells)
        if header:
            columns = header
            continue
        if columns is None:
            keep.append(line)
            continue
        parts = []
        for meaning, cell in zip(columns, cells, strict=False):
            if meaning and cell and not _NUMBERING.match(match_key(cell)):
                parts.append(f"{meaning[1]}: {' '.join(cell.split())}")
        if parts:
            rows.append(Piece(caption, "; ".join(parts) + "."))
    return "\n".join(keep), rows


def _without_boilerplate(text: str, reading: Reading | None) -> str:
    """The letterhead, the title, the signature block and the distribution list carry no answer
    of their own: the document's header and signer passages say what they mean. The kind line
    ("KẾ HOẠCH", "HƯỚNG DẪN") stays: it heads the sections of the passages below it."""
    if reading is None:
        return text
    lines = text.split("\n")
    kind = " ".join(re.findall(r"[a-z0-9]+", match_key(reading.kind)))
    keys = [" ".join(re.findall(r"[a-z0-9:]+", match_key(line))) for line in lines]
    at = next((i for i, key in enumerate(keys[:30]) if kind and key == kind), None)
    has_header = bool(reading.number or reading.date or reading.issuer)
    title = " ".join(re.findall(r"[a-z0-9]+", match_key(reading.title))) if has_header else ""
    out: list[str] = []
    skipping = False
    for i, (line, key) in enumerate(zip(lines, keys, strict=True)):
        if at is not None and i < at:
            continue  # the letterhead
        bare = key.replace(":", "")
        if title and len(bare) > 10 and bare in title:
            continue  # the title: the header passage holds it
        if key.startswith("noi nhan"):
            skipping = True
        elif skipping and _APPENDIX.match(key):
            skipping = False
        if skipping or _BOILERPLATE.match(key):
            continue
        out.append(line)
    return "\n".join(out)


def meaning(reading: Reading) -> list[Piece]:
    """The document's header and signer as passages a question finds: "Kế hoạch số 20/KH-UBND
    ngày 18/8/2025 của UBND phường Tân Định về …", "Người ký: Nguyễn Văn A, Phó Chủ tịch"."""
    pieces = []
    if reading.number or reading.date or reading.issuer:
        heading = reading.heading()
        lines = [heading.rstrip(".") + "."]
        if reading.number:
            lines.append(f"Số hiệu: {reading.number}.")
        if reading.date:
            lines.append(f"Ngày ban hành: {reading.date}.")
        if reading.issuer:
            lines.append(f"Cơ quan ban hành: {reading.issuer}.")
        pieces.append(Piece(DOCUMENT_SECTION, "\n".join(lines)))
    if reading.signer:
        who = f"{reading.signer}, {reading.signer_role}" if reading.signer_role else reading.signer
        what = f"{reading.kind or 'Văn bản'}"
        if reading.number:
            what += f" số {reading.number}"
        if reading.issuer:
            what += f" của {reading.issuer}"
        pieces.append(Piece(DOCUMENT_SECTION, f"Người ký: {who}.\n{what} do {who} ký ban hành."))
    return pieces


def split(text: str, size: int = SIZE, reading: Reading | None = None) -> list[Piece]:
    """The document's passages: its header and signer (when ``reading`` knows them), its body
    under its headings, and each row of its task tables."""
    text = text.replace("\r\n", "\n")
    text, rows = table_rows(text)
    if reading is not None:
        text = _without_boilerplate(text, reading)
    pieces = (meaning(reading) if reading is not None else []) + _body(text, size)
    return pieces + rows


def _body(text: str, size: int) -> list[Piece]:
    pieces: list[Piece] = []
    headings: list[tuple[int, str]] = []
    buffer: list[str] = []

    def section() -> str:
        return " › ".join(h for _level, h in headings)

    def flush() -> None:
        if buffer:
            # A short heading ("4. Trung tâm dịch vụ tổng hợp") opens each of its passages, as
            # a reader sees it: the passage alone still says who or what it is about.
            lead = headings[-1][1] if headings and len(headings[-1][1]) <= HEADING_IN_TEXT else ""
            for part in _cut("\n".join(buffer), size):
                pieces.append(Piece(section(), f"{lead}\n{part}" if lead else part))
            buffer.clear()

    for para in paragraphs(text):
        line = " ".join(para.text.split())
        if not line:
            continue
        if _is_heading(para):
            flush()
            level = LEVELS.get(para.marker, 0)
            while headings and headings[-1][0] >= level:
                headings.pop()
            headings.append((level, line[:200]))
            continue
        announces = buffer and buffer[-1].rstrip().endswith(":")
        if buffer and sum(len(b) for b in buffer) + len(line) > size and not announces:
            # A lead-in ending in ":" ("… gồm:") stays with the list it announces.
            flush()
        buffer.append(line)
    flush()
    return pieces
