"""What a document is, as a reader sees it: the importer's reading of its header (issuer and
the place the issuer governs, number, date, title, signer: ``plans.importer``, which reads
letterheads, Word tables and news pages' prose alike), the kind of document it says it is, a
title that is never the letterhead itself nor a page's "Cập nhật lúc: …" line, and the places
it belongs to, named from the national list of ``vietnam-provinces`` so they can be recognised
in questions too (see ``places``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lantoa.core.documents.layout import match_key
from lantoa.plans.importer import extract_plan

from . import places

TITLE_MAX = 300


@dataclass
class Reading:
    kind: str = ""  # "Kế hoạch", "Quyết định", … as the document names itself
    number: str = ""
    date: str = ""  # as written, "18/8/2025"
    issuer: str = ""  # "UBND phường Tân Định", "Sở Khoa học và Công nghệ tỉnh Quảng Ninh"
    place: str = ""  # "phường Tân Định"
    province: str = ""  # "Thành phố Hồ Chí Minh", when the place is a commune or ward
    title: str = ""
    signer: str = ""
    signer_role: str = ""
    places: list[str] = field(default_factory=list)  # folded place names it belongs to

    def heading(self) -> str:
        """ "Kế hoạch số 20/KH-UBND ngày 18/8/2025 của UBND phường Tân Định về …"."""
        parts = [self.kind or "Văn bản"]
        if self.number:
            parts.append(f"số {self.number}")
        if self.date:
            parts.append(f"ngày {self.date}")
        if self.issuer:
            parts.append(f"của {self.issuer}")
        text = " ".join(parts)
        if self.title:
            text = f"{text} về {_lower_first(self.title)}" if self.kind else f"{text}: {self.title}"
        return text


def _lower_first(text: str) -> str:
    if text.isupper():
        text = text.capitalize()
    return text[:1].lower() + text[1:] if text[:2].istitle() or text[:1].isupper() else text


_KINDS = {
    "ke hoach": "Kế hoạch",
    "quyet dinh": "Quyết định",
    "nghi quyet": "Nghị quyết",
    "chi thi": "Chỉ thị",
    "huong dan": "Hướng dẫn",
    "cong van": "Công văn",
    "thong bao": "Thông báo",
    "chuong trinh": "Chương trình",
    "bao cao": "Báo cáo",
    "thong tu": "Thông tư",
    "nghi dinh": "Nghị định",
    "luat": "Luật",
}
_BOILERPLATE = re.compile(
    r"cong\s+hoa\s+xa\s+hoi|doc\s+lap\s*-?\s*tu\s+do|^uy\s+ban\s+nhan\s+dan\b|^ubnd\b|"
    r"^cap\s+nhat\s+luc|^ngay\s+dang|^so\s*:|^noi\s+nhan|^tm\.|^kt\.|^luu\s*:|^dang\s+cong\s+san"
)


_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
_DATE_SLASH = re.compile(r"(?:ngày|ngay)\s+(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", re.I)


def _words(text: str) -> str:
    return " ".join(re.findall(r"[0-9a-z]+", match_key(text)))


def _lines(text: str) -> list[str]:
    """Lines, with the two columns of a letterhead ("ỦY BAN NHÂN DÂN      CỘNG HÒA …") apart."""
    out = []
    for line in text.splitlines():
        for part in re.split(r"\s{3,}|\t+", line.strip()):
            if part.strip():
                out.append(part.strip())
    return out


_ONE_SYLLABLE_TITLES = {"sở", "phó", "ban", "bộ", "cục", "phòng", "hội", "đoàn", "trường", "vụ"}


def _proper(text: str) -> str:
    """An all-caps name in the case it is written in running text ("SỞ KHOA HỌC" → "Sở Khoa học")."""
    if not text.isupper():
        return text
    words = text.lower().split()
    out = []
    for i, word in enumerate(words):
        # "Sở Khoa học và Công nghệ", "Phó Chủ tịch": a name's first syllable, the one after
        # a one-syllable title ("Sở", "Phó") and the one after "và" are capitalised.
        after = words[i - 1] if i else ""
        title = i == 1 and after in _ONE_SYLLABLE_TITLES
        out.append(word.capitalize() if not i or title or after == "và" else word)
    return " ".join(out)


_SECTION_START = re.compile(r"\s*(?:[0-9]{1,2}(?:\.[0-9]{1,2})*[.)]|[IVXLC]{1,5}\.|[a-zđ]\))\s")


def _title(lines: list[str], kind_at: int | None, extracted: str | None) -> str:
    if extracted and not _BOILERPLATE.search(_words(extracted)):
        title = extracted
    elif kind_at is not None and kind_at + 1 < len(lines):
        title = lines[kind_at + 1]
        if _SECTION_START.match(title):
            # "HƯỚNG DẪN" then "1. Nơi làm thủ tục": the document has no title line; its
            # first section is not one.
            title = lines[kind_at]
    else:
        title = next(
            (
                line
                for line in lines[:8]
                if len(line) > 15 and not _BOILERPLATE.search(_words(line))
            ),
            "",
        )
    return " ".join(title.split())[:TITLE_MAX]


def read(text: str) -> Reading:
    """The importer's reading of the header (number, date, issuer and its place, title, signer,
    from a letterhead, a Word table or a news page's prose), with what a reader adds: the
    document's kind, a title for documents that are not plans, and the places it belongs to."""
    text = text.replace("\r\n", "\n")
    extracted = extract_plan(text)
    lines = _lines(text)
    reading = Reading()
    kind_at = None
    for i, line in enumerate(lines[:15]):
        key = _words(line)
        if key in _KINDS and line.isupper():
            reading.kind, kind_at = _KINDS[key], i
            break
    reading.number = extracted.number or ""
    # The date as the letterhead writes it ("05/3/2026"), else the importer's.
    head = "\n".join(lines[: (kind_at if kind_at is not None else 8)])
    date = _DATE_WORDS.search(head) or _DATE_SLASH.search(head)
    if date:
        reading.date = f"{date.group(1)}/{date.group(2)}/{date.group(3)}"
    elif extracted.date:
        year, month, day = (int(part) for part in extracted.date.split("-"))
        reading.date = f"{day}/{month}/{year}"
    reading.issuer = extracted.issuer or ""
    reading.title = _title(lines, kind_at, extracted.title)
    reading.signer = extracted.signer or ""
    reading.signer_role = _proper(extracted.signer_title or "")
    if reading.number and not reading.kind:
        code = reading.number.split("/")[-1].split("-")[0].upper()
        reading.kind = {"KH": "Kế hoạch", "QĐ": "Quyết định", "NQ": "Nghị quyết"}.get(code, "")
    found = (
        places.find(reading.issuer)
        or places.find(extracted.issuer_place or "")
        or places.find(reading.title)
    )
    if found:
        place = found[0]
        reading.place = place.display
        reading.province = place.province
        reading.places = sorted({p.key for p in found} | set(places.keys_of(place)))
    return reading
