"""What a document is, as a reader sees it from its first and last lines: its issuer and the
place the issuer governs, its number, date, title and signer.

The plan importer reads the letterhead (number, date, issuer, title); this module adds what the
assistant needs beyond it: a header written in prose ("Ngày 18/8/2025, UBND phường X ban hành
Kế hoạch số 27/KH-UBND …", as news pages copy plans), the signer under the signature block or
named in prose ("… do Phó Chủ tịch UBND phường Trịnh Văn Hùng ký"), an issuing agency above the
commune or province in the letterhead ("SỞ KHOA HỌC VÀ CÔNG NGHỆ"), and a title that is never
the letterhead itself nor a page's "Cập nhật lúc: …" line. Places are named from the national
list of ``vietnam-provinces``, so they can be recognised in questions too (see ``places``).
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
_NUMBER = re.compile(r"\b(?:số|Số|SỐ)\s*:?\s*(\d{1,5}[\w/.\-–]*[A-ZĐ][\w/.\-–]*)")
# "Ngày 18/8/2025, UBND phường X ban hành Kế hoạch số 27/KH-UBND về …"
_PROSE = re.compile(
    r"(?:ngày|Ngày)\s+(\d{1,2}/\d{1,2}/\d{4}),?\s+(.{3,120}?)\s+(?:đã\s+)?ban\s+hành\s+"
    r"(Kế hoạch|Quyết định|Chỉ thị|Hướng dẫn|Chương trình|Công văn)\s+số\s+"
    r"(\d{1,5}/[\w/.\-]+)(?:\s+(?:về|về việc)\s+([^.\n]{10,300}))?"
)
_SIGNED_BY = re.compile(
    r"do\s+((?:Phó\s+)?(?:Chủ tịch|Giám đốc|Trưởng ban|Bí thư)[^.\n]{0,60}?)\s+"
    r"([A-ZĐ][\wÀ-ỹ]+(?:\s+[A-ZĐ][\wÀ-ỹ]+){1,4})\s+ký"
)
_ROLE_LINE = re.compile(
    r"^(?:TM\.|KT\.|Q\.|TL\.|TUQ\.)|^(?:PHÓ\s+)?(?:CHỦ\s+TỊCH|GIÁM\s+ĐỐC|TRƯỞNG\s+BAN|BÍ\s+THƯ|"
    r"CHÁNH\s+VĂN\s+PHÒNG|TRƯỞNG\s+PHÒNG)\b"
)
_PERSON = re.compile(r"^[A-ZĐ][a-zà-ỹđ]+(?:\s+[A-ZĐ][a-zà-ỹđ]+){1,4}$")
_AGENCY = re.compile(r"^(SỞ|BAN|PHÒNG|TRUNG TÂM|ĐẢNG ỦY|ĐOÀN|HỘI|TRƯỜNG|BỘ|CỤC|VĂN PHÒNG)\s+\S")


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


def _signer(lines: list[str]) -> tuple[str, str]:
    """The name under the signature block: the last person's name after a role line."""
    tail = lines[-40:]
    for i in range(len(tail) - 1, -1, -1):
        if _PERSON.match(tail[i]) and any(_ROLE_LINE.match(t) for t in tail[max(0, i - 6) : i]):
            roles = [t for t in tail[max(0, i - 6) : i] if _ROLE_LINE.match(t)]
            role = roles[-1]
            return tail[i], _proper(role)
    return "", ""


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
    head = "\n".join(lines[: (kind_at if kind_at is not None else 8)])
    reading.number = extracted.number or ""
    number = _NUMBER.search(head)
    if number:
        reading.number = number.group(1).rstrip(".,;")  # as written: "03/NQ-CP" keeps its zero
    date = _DATE_WORDS.search(head) or _DATE_SLASH.search(head)
    if date:
        reading.date = f"{date.group(1)}/{date.group(2)}/{date.group(3)}"
    elif extracted.date:
        year, month, day = (int(part) for part in extracted.date.split("-"))
        reading.date = f"{day}/{month}/{year}"
    reading.issuer = extracted.issuer or ""
    reading.title = _title(lines, kind_at, extracted.title)
    prose = _PROSE.search("\n".join(lines[:20]))
    if prose and not reading.number:
        reading.date = reading.date or prose.group(1)
        reading.issuer = reading.issuer or prose.group(2)
        reading.kind = reading.kind or prose.group(3)
        reading.number = prose.group(4).rstrip(".,;")
        if prose.group(5):
            reading.title = prose.group(5).strip()
    if reading.number and not reading.kind:
        code = reading.number.split("/")[-1].split("-")[0].upper()
        reading.kind = {"KH": "Kế hoạch", "QĐ": "Quyết định", "NQ": "Nghị quyết"}.get(code, "")
    # An agency under a province or commune: "UBND TỈNH QUẢNG NINH / SỞ KHOA HỌC VÀ CÔNG NGHỆ".
    for line in lines[: (kind_at if kind_at is not None else 6)]:
        if _AGENCY.match(line) and line.isupper():
            found = places.find(reading.issuer)
            reading.issuer = _proper(line) + (f" {found[0].display}" if found else "")
            break
    reading.signer, reading.signer_role = _signer(lines)
    # The importer may read the signer and the issuer's place itself (ExtractedPlan.signer,
    # .issuer_place): taken when this reading found none.
    reading.signer = reading.signer or (getattr(extracted, "signer", None) or "")
    if not reading.signer:
        signed = _SIGNED_BY.search(text)
        if signed:
            reading.signer, reading.signer_role = signed.group(2), signed.group(1)
    found = (
        places.find(reading.issuer)
        or places.find(getattr(extracted, "issuer_place", None) or "")
        or places.find(reading.title)
    )
    if found:
        place = found[0]
        reading.place = place.display
        reading.province = place.province
        reading.places = sorted({p.key for p in found} | set(places.keys_of(place)))
    return reading
