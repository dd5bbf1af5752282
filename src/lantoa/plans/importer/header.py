"""A plan's header: number, date, issuer and its place, title, and who signed it.

Read from a letterhead in one column or in two columns flattened into "LEFT | RIGHT" lines (or
run together by OCR), or, for a plan copied from a news page, from the sentence that reports it
("Ngày 18/8/2025, UBND phường X ban hành Kế hoạch số 20/KH-UBND về …"). Works on lines, not on
paragraphs: a letterhead's lines are short and the paragraph reader joins capital lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lantoa.core.documents.layout import match_key

from .issuer import CAPS_SHARE_LETTERHEAD, issuer_from_letterhead, issuer_from_prose
from .references import CASCADE_REFERENCES, find_references

YEAR = r"(20[0-4]\d|19\d\d)"

# The line naming the document's kind: a plan, or a programme, decision or directive (kinds a
# plan in Lantoa may be). Not a guide ("HƯỚNG DẪN"): the assistant titles guides by their first
# line (tests/test_assistant.py::test_staff_upload_a_guide_indexed_in_the_background).
_PLAN_WORD = re.compile(
    r"^\s*(?:k\w{0,2}\s+ho\w{0,2}ch|ch\w{1,3}ng\s+tr\w{1,2}nh|quy\w{0,2}t\s+\w{1,3}nh|"
    r"ch\w{0,2}\s+th\w)\b\s*(.*)$"
)
_MOTTO = re.compile(
    r"c\w{1,3}ng\s+h\w{1,2}a\s+x\w\s+h\w{1,3}i|\w{0,3}[oe]c\s+[l1]\w?ap\s+(?:-\s*)?t\w{1,2}\s+do|t\w{1,2}\s+do\s+(?:-\s*)?h\w{1,2}nh\s+ph\w{1,3}c|d\w{1,3}ng\s+c\w{1,3}ng\s+s\w{1,2}n\s+vi\w{1,2}t"
)
# "Số: 20/KH-UBND" at a cell's start, or "… S6: 63 /KH-UBND" with its colon inside a run-together
# OCR line; not "Kế hoạch số 45/KH-UBND" in a sentence.
_NUMBER_AT = re.compile(r"(?:^\s*s\S{0,2}\s*:?|(?:^|\s)s\S{0,2}\s*:)\s*(?=\d)")
_DATE_WORDS = re.compile(r"ng\w{1,3}y\s+(\d{1,2})\s+th\w{1,3}ng\s+(\d{1,2})\s+n\w{1,3}m\s+" + YEAR)
_DATE_SLASH = re.compile(r"ng\w{1,3}y\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*" + YEAR)
_ISSUED = re.compile(
    r"ban\s+hanh\s+(?:k\w{0,2}\s+ho\w{0,2}ch|quy\w{0,2}t\s+\w{1,3}nh|ch\w{1,3}\s+th\w|"
    r"ch\w{1,3}ng\s+tr\w{1,2}nh|ngh\w{0,2}\s+quy\w{0,2}t|h\w{1,3}ng\s+d\w{1,3}n)\s+(?:s\w{1,2}\s+)?(?=\d)"
)
_BASIS = re.compile(
    r"^(?:c\w{1,3}n\s+c\w{1,2}|th\w{1,3}c\s+hi\w{1,3}n|x\w{1,2}t\s+(?:t\w{1,2}\s+tr|\w+\s+ngh)|"
    r"\w{1,2}\s+tri\w{1,2}n\s+khai|nh\w{1,3}m\s+)\b"
)
_SEPARATOR = re.compile(r"^(?=\s*\S)[\s\-_*=~.—–]*(?:[oO0]{3}[\s\-_*=~.—–]*)?$")  # "-----oOo-----"
_ROMAN_HEAD = re.compile(r"^\s*[IVX]{1,4}\s*[\.\)]\s")

# Tuned on tests/plans/devhead and the three shared seeds (score_import.py on both: number,
# date, references 1.000; tests/test_importer_header.py checks issuer, title and signer):
CAPS_SHARE_TITLE = 0.8  # an all-caps line (a title in capitals, "KẾ HOẠCH TRIỂN KHAI …")
HEAD_LINES = 60  # "KẾ HOẠCH" is looked for in the first lines only
TITLE_LINES = 13  # a title runs over at most this many lines after "KẾ HOẠCH" …
TITLE_MAX_CHARS = 400  # … and this many characters (the longest dev/seed title is 290)
SIGNATURE_LINES = 45  # the signature block is in the last lines (a long "Nơi nhận" list: 20)
OFFICE_MAX_CHARS = 45  # "KT. CHỦ TỊCH", "PHÓ BÍ THƯ THƯỜNG TRỰC": a line of the signature
PROSE_REACH = 6000  # a news page names the plan in its first paragraphs


@dataclass
class Header:
    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    issuer_place: str | None = None
    title: str | None = None
    signer: str | None = None
    signer_title: str | None = None


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("|")]


def _plan_line(lines: list[str]) -> int | None:
    """The line that says "KẾ HOẠCH" (alone or at the head of an all-caps title)."""
    for index, line in enumerate(lines[:HEAD_LINES]):
        cell = max(_cells(line), key=len)
        m = _PLAN_WORD.match(match_key(cell))
        if not m:
            continue
        rest = cell[m.start(1) :].strip()
        letters = [c for c in cell if c.isalpha()]
        if not rest or (
            letters and sum(c.isupper() for c in letters) / len(letters) > CAPS_SHARE_TITLE
        ):
            return index
    return None


def _date(key: str) -> str | None:
    for pattern in (_DATE_WORDS, _DATE_SLASH):
        for m in pattern.finditer(key):
            day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if 1 <= day <= 31 and 1 <= month <= 12:
                return f"{year:04d}-{month:02d}-{day:02d}"
            return None
    return None


def _number(text: str) -> str | None:
    key = match_key(text)
    for m in _NUMBER_AT.finditer(key):
        refs = find_references(text[m.end() : m.end() + 40])
        if refs and text[m.end() : m.end() + 40].lstrip().startswith(refs[0].split("/")[0][:2]):
            return refs[0]
        # OCR: "S6: 63 /KH-UBND", "211 JKH-UBND" are read by find_references too.
        if refs:
            return refs[0]
        # The slash lost: "Số: 211 KH-UBND" (only after "Số:", where nothing else can stand).
        lost = _NO_SLASH.match(text, m.end())
        if lost:
            refs = find_references(f"{lost.group(1)}/{lost.group(2)}")
            if refs:
                return refs[0]
    return None


_NO_SLASH = re.compile(r"\s*(\d{1,5})\s+([A-ZĐ][A-Za-zĐđ]{1,4}\s?-\s?[A-ZĐ][A-Za-zĐđ&]{1,9})")


_PARTY_NUMBER_AT = re.compile(r"(?:^|\s)s\S{0,2}\s+(?=\d{1,5}\s?-\s?[a-z])")


def _letterhead_number(lines: list[str]) -> str | None:
    for line in lines:
        for cell in _cells(line):
            number = _number(cell)
            if number:
                return number
            # "TỈNH ỦY X BAN THƯỜNG VỤ * Số 15-KH/TU" run together: a Party number needs no colon.
            letters = [c for c in cell if c.isalpha()]
            if letters and sum(c.isupper() for c in letters) / len(letters) > CAPS_SHARE_LETTERHEAD:
                m = _PARTY_NUMBER_AT.search(match_key(cell))
                refs = find_references(cell[m.end() : m.end() + 40]) if m else []
                if refs:
                    return refs[0]
    return None


def _letterhead_date(lines: list[str]) -> str | None:
    # The right column holds the place and date; try each cell, then the lines run together.
    # "Hà Nội, ngày 03 tháng 9 năm 2025": the date after the place of signing (or alone), not
    # a date a sentence cites.
    for line in lines:
        for cell in reversed(_cells(line)):
            key = match_key(cell)
            for m in re.finditer(r"(?:^|,)\s*(?=ng\w{1,3}y\s)", key):
                date = _date(key[m.end() : m.end() + 40])
                if date:
                    return date
    return None


def _prose_header(text: str) -> tuple[str | None, str | None, str | None, int]:
    """Number, date and title of "… ban hành Kế hoạch số 20/KH-UBND ngày … về …" in prose."""
    key = match_key(text)
    # A plan ("ban hành Kế hoạch số …") before any other kind of document the page reports;
    # never a national document of the cascade ("Bộ Chính trị ban hành Nghị quyết 57-NQ/TW").
    found = []
    for m in _ISSUED.finditer(key):
        refs = find_references(text[m.end() : m.end() + 40])
        if refs and refs[0] not in CASCADE_REFERENCES:
            is_plan = bool(re.match(r"ban\s+hanh\s+k", key[m.start() :]))
            found.append((not is_plan, m.start(), m, refs[0]))
    for _rank, _at, m, number in sorted(found, key=lambda item: item[:2]):
        after = key[m.end() : m.end() + 200]
        end_of_number = m.end() + len(re.match(r"[\w/\-\s]*?(?=\s|$|,)", after).group(0))
        tail = key[end_of_number : end_of_number + 40]
        date_m = re.match(
            r"\s*,?\s*(ng\w{1,3}y\s+\S+(?:\s+th\w{1,3}ng\s+\d+\s+n\w{1,3}m\s+\d{4})?)", tail
        )
        date = _date(date_m.group(1)) if date_m else None
        if date is None:
            sentence_start = max(key.rfind(". ", 0, m.start()), key.rfind("\n", 0, m.start()), 0)
            date = _date(key[sentence_start : m.start()])
        title = None
        about = re.search(r"\bv\w{1,2}\s+", key[end_of_number : end_of_number + 80])
        if about and about.start() < 40:
            start = end_of_number + about.end()
            end = text.find(".\n", start)
            stop = min(x for x in (end, text.find("\n", start), start + 400) if x > 0)
            title = text[start:stop].strip(" .,")
        return number, date, title, m.start()
    return None, None, None, -1


def _title(lines: list[str], at: int) -> str | None:
    first = max(_cells(lines[at]), key=len)
    m = _PLAN_WORD.match(match_key(first))
    parts = [first[m.start(1) :].strip()] if m and m.group(1).strip() else []
    caps = bool(parts)
    for line in lines[at + 1 : at + 1 + TITLE_LINES]:
        cell = " ".join(c for c in _cells(line) if c)
        if not cell.strip() or not re.search(r"\w", cell):
            if _SEPARATOR.match(line) and parts:
                break
            continue
        if _SEPARATOR.match(cell) or _ROMAN_HEAD.match(cell):
            break
        key = match_key(cell).strip()
        letters = [c for c in cell if c.isalpha()]
        upper = (
            bool(letters) and sum(c.isupper() for c in letters) / len(letters) > CAPS_SHARE_TITLE
        )
        if parts and (_BASIS.match(key) and cell[:1].isupper() and not (caps and upper)):
            break
        if parts and caps != upper:
            break  # from an all-caps title to the mixed-case bases, or the other way
        if not parts:
            caps = upper
        parts.append(cell.strip())
        if sum(len(p) for p in parts) > TITLE_MAX_CHARS:
            break
    title = " ".join(" ".join(parts).split())
    return title or None


# --- signature ---------------------------------------------------------------------------

_SIGN_TITLE = re.compile(
    r"^(?:(?:tm|t/m|kt|tl|tuq|q|t\.m)\s*[\./]?\s+)?(?:ph\w\s+)?"
    r"(?:ch\w{1,2}\s+t\w{1,2}ch|gi\w{1,2}m\s+\w{1,2}c|b\w\s+th\w|tr\w{1,3}ng\s+ban|hi\w{1,2}u\s+tr\w{1,3}ng|"
    r"tr\w{1,3}ng\s+ph\w{1,2}ng|ch\w{1,2}nh\s+v\w{1,2}n\s+ph\w{1,2}ng|th\w\s+tr\w{1,3}ng|b\w\s+tr\w{1,3}ng|"
    r"th\w\s+t\w{1,3}ng|\w{0,2}y\s+ban\s+nh\w{1,2}n\s+d\w{1,2}n|ban\s+th\w{1,3}ng\s+v\w|ban\s+ch\w{1,2}p\s+h\w{1,2}nh|"
    r"\w{1,3}ng\s+\w{1,2}y|ban\s+\w+|ch\w{1,2}\s+nhi\w{1,2}m|t\w{1,2}ng\s+bi\w{1,2}n\s+t\w{1,2}p)"
    r"(?:\s+th\w{1,3}ng\s+tr\w{1,2}c)?\s*$"
)
_ON_BEHALF = re.compile(r"^(?:tm|t/m|kt|tl|tuq|q|t\.m)\s*[\./]?\s+")
_SIGNED = re.compile(r"^\(?\s*(?:\w{1,2}\s+k\w|k\w\s*,|k\w\s+t\w{1,2}n|k\w\s+v\w)|^\(.*\)$")
_NAME = re.compile(r"^[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){1,4}$")

# Words of office titles written with a capital in Vietnamese ("Phó Chủ tịch").
_TITLE_CASE = {
    "chu tich": "Chủ tịch", "giam doc": "Giám đốc", "bi thu": "Bí thư", "truong ban": "Trưởng ban",
    "hieu truong": "Hiệu trưởng", "truong phong": "Trưởng phòng", "thuong truc": "Thường trực",
    "chanh van phong": "Chánh Văn phòng", "thu truong": "Thủ trưởng", "bo truong": "Bộ trưởng",
    "thu tuong": "Thủ tướng", "chu nhiem": "Chủ nhiệm", "tong bien tap": "Tổng Biên tập",
    "pho": "Phó",
}  # fmt: skip


def _office(cell: str) -> str:
    """ "PHÓ CHỦ TỊCH" → "Phó Chủ tịch"; an OCR'd "PHO CHU TICH" stays without diacritics."""
    words = cell.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in (3, 2, 1):
            chunk = words[i : i + size]
            phrase = " ".join(match_key(w) for w in chunk)
            if len(chunk) == size and phrase in _TITLE_CASE:
                out.append(_TITLE_CASE[phrase])  # a closed vocabulary: restored even from OCR
                i += size
                break
        else:
            word = words[i]
            out.append(word[:1].upper() + word[1:].lower() if not out else word.lower())
            i += 1
    return " ".join(out)


_PIECE_BREAK = re.compile(r"\s{2,}|\s+(?=(?:TM|KT|TL|TUQ|T/M)\s*[./]?\s)|(?<=\))\s*|\s+(?=\()")


def _signature_pieces(cell: str) -> list[str]:
    """A signature block a Word table cell ran onto one line ("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH
    PHÓ CHỦ TỊCH (Đã ký) Vũ Thu Hà") back into its lines; a short line is left as it is."""
    if len(cell) <= OFFICE_MAX_CHARS:
        return [cell]
    pieces: list[str] = []
    for piece in _PIECE_BREAK.split(cell):
        words = (piece or "").split()
        current: list[str] = []
        for word in words:
            previous = current[-1] if current else ""
            # From the office in capitals to the name in mixed case; "… CHỦ TỊCH PHÓ CHỦ TỊCH".
            if previous.isupper() and (
                (word[:1].isupper() and not word.isupper()) or (word == "PHÓ" and len(current) > 1)
            ):
                pieces.append(" ".join(current))
                current = []
            current.append(word)
        if current:
            pieces.append(" ".join(current))
    return pieces


def signature(lines: list[str]) -> tuple[str | None, str | None]:
    """The signer's name and office from the signature block at the end."""
    tail = lines[-SIGNATURE_LINES:]
    cells = []
    for line in tail:
        parts = [c for c in _cells(line) if c]
        if not parts:
            continue
        cells.extend(_signature_pieces(parts[-1]))
    office_at, office = None, None
    for index, cell in enumerate(cells):
        key = " ".join(match_key(cell).replace(".", ". ").split())
        if len(cell) <= OFFICE_MAX_CHARS and _SIGN_TITLE.match(key):
            office_at = index
            if not _ON_BEHALF.match(key) or office is None:
                office = cell
            if not _ON_BEHALF.match(key):
                office = cell
    if office_at is None:
        return None, None
    name = None
    for cell in cells[office_at + 1 : office_at + 6]:
        if _SIGNED.match(match_key(cell)) or cell.startswith("("):
            continue
        if _NAME.match(cell.strip()) and len(cell) <= 40:
            name = cell.strip()
            if name.isupper():
                name = " ".join(w[:1] + w[1:].lower() for w in name.split())
            break
    office_text = re.sub(r"^(?:TM|T/M|KT|TL|TUQ|Q)\s*[\./]?\s+", "", office.strip(), flags=re.I)
    return name, _office(office_text) if name or office_text else None


_OFFICE_LINE = re.compile(
    r"^(?:TM\.|KT\.|Q\.|TL\.|TUQ\.)|^(?:PHÓ\s+)?(?:CHỦ\s+TỊCH|GIÁM\s+ĐỐC|TRƯỞNG\s+BAN|BÍ\s+THƯ|"
    r"CHÁNH\s+VĂN\s+PHÒNG|TRƯỞNG\s+PHÒNG|HIỆU\s+TRƯỞNG)\b"
)
_PERSON = re.compile(r"^[A-ZĐ][a-zà-ỹđ]+(?:\s+[A-ZĐ][a-zà-ỹđ]+){1,4}$")


def _last_name_under_office(lines: list[str]) -> tuple[str | None, str | None]:
    """When the signature block is not laid out as ``signature`` expects: the last person's
    name within six lines under an office line ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")."""
    # Two columns set apart by spaces, tabs or "|" ("Nơi nhận:        KT. CHỦ TỊCH").
    tail = [
        part.strip()
        for line in lines[-SIGNATURE_LINES:]
        for part in re.split(r"\s{3,}|\t+|\|", line.strip())
        if part.strip()
    ]
    for i in range(len(tail) - 1, -1, -1):
        offices = [t for t in tail[max(0, i - 6) : i] if _OFFICE_LINE.match(t)]
        if offices and _PERSON.match(tail[i]):
            return tail[i], _office(offices[-1])
    return None, None


_SIGNED_IN_PROSE = re.compile(
    r"do\s+((?:Phó\s+)?(?:Chủ tịch|Giám đốc|Trưởng ban|Bí thư|Hiệu trưởng)[^.\n]{0,60}?)\s+"
    r"([A-ZĐ][\wÀ-ỹ]+(?:\s+[A-ZĐ][\wÀ-ỹ]+){1,4})\s+ký"
)


def read_header(text: str) -> Header:
    lines = text.split("\n")
    header = Header()
    at = _plan_line(lines)
    head_lines = lines[: at if at is not None else 12]
    # The letterhead: what stands before "KẾ HOẠCH" (or the first lines).
    header.number = _letterhead_number(head_lines)
    header.date = _letterhead_date(head_lines)
    if at is not None:
        header.title = _title(lines, at)
    if header.number is None:
        number, date, title, where = _prose_header(text[:PROSE_REACH])
        if number:
            header.number = number
            header.date = date or (header.date if at is not None else None)
            header.title = header.title or title
            place = issuer_from_prose(text[max(0, where - 300) : where + 10])
            if place:
                header.issuer, header.issuer_place = place
    if header.issuer is None:
        found = issuer_from_letterhead(head_lines, _MOTTO)
        if found:
            header.issuer, header.issuer_place = found
    header.signer, header.signer_title = signature(lines)
    if header.signer is None:
        name, office = _last_name_under_office(lines)
        header.signer, header.signer_title = name, office or header.signer_title
    if header.signer is None:
        # A news page names the signer in prose: "… do Phó Chủ tịch UBND phường Trịnh Văn
        # Hùng ký ban hành".
        signed = _SIGNED_IN_PROSE.search(text)
        if signed:
            header.signer, header.signer_title = signed.group(2), signed.group(1)
    return header
