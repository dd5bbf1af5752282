"""The layout of a document: logical paragraphs with their list markers and source spans.

Real input is OCR output as often as clean text: lines broken anywhere, page numbers alone on a
line, blank lines in the middle of sentences, diacritics lost or mangled. This module turns such
text into paragraphs a reader would see, each with the marker it starts with (``II.``, ``1.``,
``1.2.``, ``a)``, ``-``, ``+``) and the span of source text it came from.

Matching happens on a *key*: the text folded one character for one character (so offsets in the
key are offsets in the source), lower-cased, without diacritics, with the usual OCR confusions
undone (``w`` for ``ư``, ``€`` for ``e``, ``¢`` for ``c``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_KEEP = set("%/-():;.,&")
_OCR = {
    "€": "e",
    "¢": "c",
    "§": "s",
    "¥": "y",
    "©": "c",
    "®": "r",
    "ß": "b",
    "£": "e",
    "µ": "u",
    "ø": "o",
    "ð": "d",
}


def key_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0].lower() if ch else " "
    if base.isascii() and base.isalnum():
        return "u" if base == "w" else base
    if base in _KEEP:
        return base
    return _OCR.get(base, " ")


class _KeyTable(dict):
    """``key_char`` of every character met so far, for ``str.translate``."""

    def __missing__(self, code: int) -> str:
        self[code] = value = key_char(chr(code))
        return value


_KEY_TABLE = _KeyTable()


def match_key(text: str) -> str:
    """Fold ``text`` for matching, keeping its length (one output character per input one)."""
    return text.translate(_KEY_TABLE)


def words(text: str) -> list[str]:
    return re.findall(r"[0-9a-z]+", match_key(text))


@dataclass
class Paragraph:
    start: int  # offsets into the source text
    end: int
    text: str  # the paragraph on one line, original characters
    marker: str  # roman | multi | number | letter | dash | plus | none
    label: str
    content_at: int  # where the text after the marker starts, in ``text``
    blank_before: bool = False

    @property
    def content(self) -> str:
        return self.text[self.content_at :].strip()

    @property
    def key(self) -> str:
        return match_key(self.text)

    @property
    def content_key(self) -> str:
        return match_key(self.content)

    def is_heading_like(self) -> bool:
        return _heading_like(self.marker, _ends_sentence(self.text))


def _heading_like(marker: str, ends_sentence: bool) -> bool:
    """A numbered heading: a roman, number or multi-level marker, not ending a sentence."""
    return marker in ("roman", "number", "multi") and not ends_sentence


_JUNK_LEAD = "’‘'`´\"“”·*_|~ \t"
# A scan's specks at the start of a line: an isolated mark (``'``, ``·``, ``.``, ``,``, ``~``)
# before the words. It is neither a bullet nor text: dropped, so the line reads as what it is
# (mostly the continuation of the sentence above).
_SPECK = re.compile(r"^\s*[’‘'`´·.,~_]{1,2}\s+(?=\S)")
_ROMAN = re.compile(r"([IVXLT1l]{1,5})\s*[\.\)]\s+(?=\S)")
_MULTI = re.compile(r"(\d{1,2}(?:\s*\.\s*\d{1,2})+)\s*\.?\s+(?=\S)")
_NUMBER = re.compile(r"(\d{1,2})\s*[\.\)]\s+(?=\S)")
_LETTER = re.compile(r"([a-zA-ZđĐ¢])\s*\)\s*(?=\S)")
# Dashes and the bullets a PDF's text layer or a copied page draws (Symbol-font bullets arrive
# as private-use characters).
_DASH = re.compile("[-–—−•·●▪■◦❖➢►▫\uf0b7\uf0a7\uf076\uf0d8\uf0fc]\\s*(?=\\S)")
_PLUS = re.compile(r"\+\s*(?=\S)")
_PAGE_NUMBER = re.compile(r"^\s*[-–]?\s*\d{1,3}\s*[-–]?\s*$")


def uppercase_share(text: str) -> float:
    letters, upper = _letters(text)
    return upper / letters if letters else 0.0


def detect_marker(line: str) -> tuple[str, str, int]:
    """(kind, label, where the content starts) for a line's leading list marker."""
    stripped = line.lstrip(_JUNK_LEAD)
    lead = len(line) - len(stripped)
    m = _ROMAN.match(stripped)
    if (
        m
        and re.search(r"[IVX]", m.group(1))
        and uppercase_share(stripped[m.end() : m.end() + 40]) > 0.6
    ):
        return "roman", m.group(1), lead + m.end()
    m = _MULTI.match(stripped)
    if m:
        return "multi", re.sub(r"\s", "", m.group(1)), lead + m.end()
    m = _NUMBER.match(stripped)
    if m and not re.match(r"\d{3,}", stripped):
        return "number", m.group(1), lead + m.end()
    m = _LETTER.match(stripped)
    if m and len(stripped) > 3:
        label = m.group(1).lower()
        return "letter", "c" if label == "¢" else label, lead + m.end()
    m = _DASH.match(stripped)
    if m and not re.match(r"[-–—−]\d", stripped):  # "- 100% ..." is an item, "-5" a number
        return "dash", "-", lead + m.end()
    m = _PLUS.match(stripped)
    if m:
        return "plus", "+", lead + m.end()
    return "none", "", lead


def _ends_sentence(text: str) -> bool:
    return bool(re.search(r"[\.;:!?\)”\"]\s*$", text.rstrip(" _~[|")))


def _starts_upper(text: str) -> bool:
    stripped = text.lstrip(_JUNK_LEAD + "(")
    return bool(stripped) and (stripped[0].isupper() or stripped[0].isdigit())


def _is_caps_line(text: str) -> bool:
    return _caps(len(text.strip()), *_letters(text))


def _caps(length: int, letters: int, upper: int) -> bool:
    """A line (or paragraph) in capitals, from its stripped length and its letters' counts."""
    return length >= 4 and letters > 0 and upper / letters > 0.8


def _letters(text: str) -> tuple[int, int]:
    """(letters, upper-case letters) in ``text``."""
    letters = upper = 0
    for c in text:
        if c.isalpha():
            letters += 1
            upper += c.isupper()
    return letters, upper


class _Growing:
    """The paragraph being built, with what the splitter asks of it kept up to date line by
    line: asking the joined text each time made reading quadratic in the paragraph's length."""

    def __init__(self, paragraph: Paragraph):
        self.paragraph = paragraph
        self.parts = [paragraph.text]
        self.length = len(paragraph.text)
        self.letters, self.upper = _letters(paragraph.text)
        self.ends = _ends_sentence(paragraph.text)

    def caps(self) -> bool:
        """:func:`_is_caps_line` of the joined text, from the counts kept up to date."""
        return _caps(self.length, self.letters, self.upper)

    def heading_like(self) -> bool:
        """:meth:`Paragraph.is_heading_like` of the joined text."""
        return _heading_like(self.paragraph.marker, self.ends)

    def add(self, line: str, end: int) -> None:
        part = line.strip()
        joiner = "" if self.parts[-1].endswith("-") and part[:1].isupper() else " "
        self.parts.append(joiner + part)
        self.length += len(joiner) + len(part)
        letters, upper = _letters(part)
        self.letters += letters
        self.upper += upper
        # The joined text ends a sentence as this line does, unless the line is only the
        # junk _ends_sentence strips: then as before.
        if part.rstrip(" _~[|").rstrip():
            self.ends = _ends_sentence(part)
        self.paragraph.end = end

    def done(self) -> Paragraph:
        self.paragraph.text = "".join(self.parts)
        return self.paragraph


def paragraphs(text: str) -> list[Paragraph]:
    """Split ``text`` into logical paragraphs, in one pass over its lines."""
    result: list[Paragraph] = []
    current: _Growing | None = None
    blank = False
    position = 0
    for raw in text.split("\n"):
        line_start, position = position, position + len(raw) + 1
        line = raw.rstrip()
        if not line.strip() or _PAGE_NUMBER.match(line) or not re.search(r"\w", line):
            blank = True
            continue
        speck = _SPECK.match(line)
        if speck and not line[speck.end() :].startswith((".", "…")):
            line = " " * speck.end() + line[speck.end() :]
        kind, label, content_at = detect_marker(line)
        caps = _is_caps_line(line)
        new = (
            current is None
            or kind != "none"
            or (caps and not (current.caps() and not blank))
            or (current.caps() and not caps)
            or (blank and _starts_upper(line) and (current.ends or current.heading_like()))
        )
        if new:
            if current is not None:
                result.append(current.done())
            current = _Growing(
                Paragraph(
                    start=line_start,
                    end=line_start + len(line),
                    text=line.strip(),
                    marker=kind,
                    label=label,
                    content_at=max(0, content_at - (len(line) - len(line.lstrip()))),
                    blank_before=blank,
                )
            )
        else:
            current.add(line, line_start + len(line))
        blank = False
    if current is not None:
        result.append(current.done())
    return result
