"""A document cut into passages that keep their place: the section headings above them.

The layout reader of the plan importer gives logical paragraphs with their list markers
(``II.``, ``1.``, ``a)``, ``-``) even from OCR'd text; a heading opens a section, paragraphs
under it are gathered into passages of about ``SIZE`` characters, a longer paragraph is cut at
sentence ends. Each passage carries the heading path ("II. NHIỆM VỤ › 2. Đổi mới nội dung")."""

from __future__ import annotations

from dataclasses import dataclass

from lantoa.core.documents.layout import paragraphs

from .text import sentences

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
        if current and len(current) + len(sentence) + 1 > size:
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


def split(text: str, size: int = SIZE) -> list[Piece]:
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
        if buffer and sum(len(b) for b in buffer) + len(line) > size:
            flush()
        buffer.append(line)
    flush()
    return pieces
