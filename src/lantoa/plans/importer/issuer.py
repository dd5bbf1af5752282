"""Who issued a plan: "UBND xã Bom Bo" from a letterhead OCR left as "UY BAN NHAN DAN ... XA BOM BO".

Names are restored from the national list in ``vietnam-provinces`` (no database needed), so
lost diacritics come back and only real provinces and communes are named.
"""

from __future__ import annotations

import re
from functools import lru_cache

from vietnam_provinces import Province, Ward  # noqa: I001

from lantoa.core.documents.layout import match_key

_TYPES = ("xa", "phuong", "dac khu", "tinh", "thanh pho")

# Tuned on tests/plans/devhead and the shared seeds (tests/test_importer_header.py: every issuer
# of both as the gold names it).
CAPS_SHARE_LETTERHEAD = 0.6  # a letterhead cell: capitals, OCR slips and a "Số: 5/KH-X" allowed
LETTERHEAD_LINES = 12  # the letterhead's left column: at most this many lines


def _words(text: str) -> list[str]:
    return re.findall(r"[0-9a-z]+", match_key(text))


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Folded "xa bom bo" → "xã Bom Bo", for every province and commune-level unit."""
    names: dict[str, str] = {}
    for province in Province.iter_all():
        kind = "thành phố" if province.name.startswith("Thành phố") else "tỉnh"
        bare = province.name.removeprefix("Thành phố ").removeprefix("Tỉnh ")
        names[" ".join(_words(f"{kind} {bare}"))] = f"{kind} {bare}"
    for ward in Ward.iter_all():
        kind, _, bare = ward.name.partition(" ")
        if kind == "Đặc":
            kind, bare = "đặc khu", bare.removeprefix("khu ")
        names[" ".join(_words(f"{kind} {bare}"))] = f"{kind.lower()} {bare}"
    return names


def find_issuer(letterhead: str, body: str) -> str | None:
    for text, need_committee in ((letterhead, False), (body, True)):
        words = _words(text)
        for i in range(len(words)):
            if need_committee and not _after_committee(words, i):
                continue
            for size in (2, 3, 4, 5, 6):
                candidate = " ".join(words[i : i + size])
                if not any(candidate.startswith(t + " ") for t in _TYPES):
                    break
                name = _names().get(candidate)
                if name:
                    return f"UBND {name}"
    return None


def _after_committee(words: list[str], i: int) -> bool:
    before = " ".join(words[max(0, i - 4) : i])
    return before.endswith("ubnd") or before.endswith("uy ban nhan dan")


# --- the issuing body, from a letterhead of any kind ---------------------------------------

_PLACE_TYPES = (
    "dac khu",
    "thanh pho",
    "thi xa",
    "thi tran",
    "tinh",
    "xa",
    "phuong",
    "huyen",
    "quan",
)
# Bodies named after their place ("TỈNH ỦY BẮC NINH", "TỈNH ĐOÀN QUẢNG NINH").
_PARTY_OF = {
    "tinh uy": "tỉnh", "thanh uy": "thành phố", "huyen uy": "huyện", "quan uy": "quận",
    "tinh doan": "tỉnh", "thanh doan": "thành phố",
}  # fmt: skip
# Names written the same way in every letterhead, with their capitals (folded key → display).
_FIXED = {
    "uy ban nhan dan": "UBND", "ubnd": "UBND", "hoi dong nhan dan": "HĐND", "hdnd": "HĐND",
    "tinh uy": "Tỉnh ủy", "thanh uy": "Thành ủy", "huyen uy": "Huyện ủy", "quan uy": "Quận ủy",
    "dang uy": "Đảng ủy", "dang bo": "Đảng bộ", "ban thuong vu": "Ban Thường vụ",
    "ban chap hanh": "Ban Chấp hành", "mat tran to quoc viet nam": "Mặt trận Tổ quốc Việt Nam",
    "mat tran to quoc": "Mặt trận Tổ quốc", "viet nam": "Việt Nam", "ho chi minh": "Hồ Chí Minh",
    "doan thanh nien cong san": "Đoàn Thanh niên Cộng sản", "tinh doan": "Tỉnh đoàn",
    "thanh doan": "Thành đoàn", "ban tuyen giao": "Ban Tuyên giáo", "dan van": "Dân vận",
    "trung uong": "Trung ương", "uy ban": "Ủy ban", "mttq": "MTTQ", "bch": "BCH",
    "tncs": "TNCS",
}  # fmt: skip
# A body's first word, restored when OCR lost its marks ("TRUONG THCS" → "Trường THCS").
_BODY_FIRST = {
    "so": "Sở", "truong": "Trường", "phong": "Phòng", "trung tam": "Trung tâm",
    "van phong": "Văn phòng", "hoi": "Hội", "doan": "Đoàn", "chi cuc": "Chi cục", "cuc": "Cục",
}  # fmt: skip
_BODY_WORDS = ("so", "ban", "phong", "truong", "trung tam", "hoi", "van phong", "doan", "uy ban")
_CUT = re.compile(r"(?:^|\s)s\S{0,2}\s*:?\s*\d|,\s*ng\w{1,3}y\s+|\s[-–]\s")


def _fkey(text: str) -> str:
    return " ".join(_words(text))


def _place(text: str) -> tuple[str, str, int] | None:
    """The first "<type> <name>" in ``text``: (display, folded key, index of the word after
    it); names restored from the
    national list when they are in it (a name no longer on it, such as thành phố Thủ Đức, is
    kept as written)."""
    raw = text.split()
    keys = [_fkey(w) for w in raw]
    for i in range(len(keys)):
        for t in _PLACE_TYPES:
            size = len(t.split())
            if " ".join(keys[i : i + size]) != t or i + size >= len(keys):
                continue
            if keys[i + size] in ("uy", "doan"):
                continue  # "TỈNH ỦY", "TỈNH ĐOÀN" name a body, not the province
            for end in range(min(len(keys), i + size + 5), i + size, -1):
                name = _names().get(" ".join(keys[i:end]))
                if name:
                    return name, " ".join(keys[i:end]), end
            rest = []
            for w in raw[i + size :]:
                if _fkey(w) in _BODY_STARTS and rest:
                    break  # "THÀNH PHỐ THỦ ĐỨC SỞ …": the place ends where a body begins
                if re.search(r"\w", w):
                    rest.append(w)
            if not rest or not all(w[:1].isupper() or w[:1].isdigit() for w in rest):
                continue
            bare = " ".join(w[:1].upper() + w[1:].lower() for w in rest)
            kind = " ".join(raw[i : i + size]).lower()
            return f"{kind} {bare}", " ".join(keys[i : i + size + len(rest)]), i + size + len(rest)
    return None


# First words of a body's name, where a letterhead's second level begins when OCR or a Word
# table cell runs "UBND TỈNH QUẢNG NINH SỞ KHOA HỌC VÀ CÔNG NGHỆ" together.
_BODY_STARTS = {"so", "ban", "phong", "truong", "trung", "van", "dang", "chi", "cuc", "hoi"}


def _split_levels(cell: str) -> list[str]:
    place = _place(cell) or _party_place(_fkey(cell))
    words = cell.split()
    if not place or place[2] >= len(words):
        return [cell]
    if _fkey(words[place[2]]) not in _BODY_STARTS:
        return [cell]
    return [" ".join(words[: place[2]]), " ".join(words[place[2] :])]


# What follows these in a school's name is its proper name ("Trường THPT Nguyễn Du").
_SCHOOL_LEVELS = re.compile(
    r"^truong\s+(?:thpt|thcs|th|mn|mg|ptdtbt\s*\S*|ptdtnt|mam\s+non|mau\s+giao|tieu\s+hoc|"
    r"trung\s+hoc\s+co\s+so|trung\s+hoc\s+pho\s+thong|cao\s+dang|dai\s+hoc)\b"
)


def _org_case(text: str) -> str:
    """ "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH" → "Sở Văn hóa, Thể thao và Du lịch"."""
    raw = text.split()
    school = _SCHOOL_LEVELS.match(_fkey(text))
    proper_from = len(school.group(0).split()) if school else len(raw)
    out: list[str] = []
    i = 0
    capital_next = True
    for size in (2, 1):
        first = " ".join(_fkey(w) for w in raw[:size])
        fixed = any(" ".join(_fkey(w) for w in raw[:k]) in _FIXED for k in range(1, 6))
        if len(raw) > size and first in _BODY_FIRST and not fixed:
            out.append(_BODY_FIRST[first])
            i = size
            break
    while i < len(raw):
        for size in (5, 4, 3, 2, 1):
            chunk = " ".join(_fkey(w) for w in raw[i : i + size])
            if len(raw[i : i + size]) == size and chunk in _FIXED and i < proper_from:
                out.append(_FIXED[chunk])
                i += size
                capital_next = chunk in ("ban tuyen giao",) or size == 1
                break
        else:
            word = raw[i]
            key = _fkey(word)
            if word.isupper() and len(key) >= 2 and not re.search(r"[aeiouy]", key):
                out.append(word)  # an acronym: THPT, KHCN
            elif key == "va":
                out.append(word.lower())
            elif capital_next or i >= proper_from or (out and out[-1].rstrip(",") != out[-1]):
                out.append(word[:1].upper() + word[1:].lower())
            else:
                out.append(word.lower())
            capital_next = key in ("va",) or key in _BODY_WORDS or word.endswith(",")
            i += 1
    return " ".join(out)


# A document's kind line ends the letterhead: what follows is its title, not its issuer (a
# guide headed "HƯỚNG DẪN CÀI ĐẶT VNEID" has no letterhead at all).
_KIND_LINE = re.compile(
    r"(?:ke\s+hoach|huong\s+dan|quyet\s+dinh|chuong\s+trinh|chi\s+thi|thong\s+bao|"
    r"bao\s+cao|to\s+trinh|nghi\s+quyet|ket\s+luan|de\s+an|phuong\s+an|cong\s+van|"
    r"thong\s+tu|nghi\s+dinh|quy\s+che|quy\s+dinh)\b"
)


def _left_column(lines: list[str], motto: re.Pattern) -> list[str]:
    cells: list[str] = []
    for line in lines:
        cell = " ".join(w for w in line.split("|")[0].split() if re.search(r"\w", w))
        key = match_key(cell)
        if _KIND_LINE.match(key.strip()):
            break
        m = motto.search(key)
        if m:
            cell, key = cell[: m.start()].strip(), key[: m.start()]
        if re.search(r",\s*ng\w{1,3}y\s+\S", key):
            continue  # "Hà Nội, ngày …": the place of signing, in the right column
        m = _CUT.search(key)
        if m:
            cell = cell[: m.start()].strip()
        letters = [c for c in cell if c.isalpha()]
        if (
            len(letters) >= 2
            and sum(c.isupper() for c in letters) / len(letters) > CAPS_SHARE_LETTERHEAD
        ):
            cells.extend(_split_levels(cell))  # a letterhead is written in capitals
    return cells


def _party_place(key: str) -> tuple[str, str, int] | None:
    for word, kind in _PARTY_OF.items():
        if key.startswith(word + " "):
            found = _place(f"{kind} {key[len(word) + 1 :]}")
            if found:
                return found[0], found[1], found[2] + len(word.split()) - len(kind.split())
    return None


def _party_name(key: str) -> str | None:
    """ "tinh uy bac ninh" → "Tỉnh ủy Bắc Ninh"."""
    place = _party_place(key)
    for word in _PARTY_OF:
        if place and key.startswith(word + " "):
            kind = _PARTY_OF[word]
            return f"{_FIXED[word]} {place[0].removeprefix(kind + ' ')}"
    return None


def issuer_from_letterhead(lines: list[str], motto: re.Pattern) -> tuple[str, str | None] | None:
    """(issuer, its place) from the letterhead's left column: "ỦY BAN NHÂN DÂN / THÀNH PHỐ HÀ
    NỘI", "UBND TỈNH X / SỞ Y", "TỈNH ỦY X / BAN THƯỜNG VỤ", "ĐẢNG BỘ TỈNH X / ĐẢNG ỦY XÃ Y"."""
    cells = _left_column(lines[:LETTERHEAD_LINES], motto)
    if not cells:
        return None
    # OCR may run the two levels together on one line: treat "UBND TỈNH X SỞ Y" as two.
    last = cells[-1]
    parent = cells[-2] if len(cells) > 1 else ""
    last_key = _fkey(last)
    is_place = any(last_key.startswith(t + " ") for t in _PLACE_TYPES) and not any(
        last_key.startswith(w + " ") for w in _PARTY_OF
    )
    if is_place and parent:
        place = _place(last)
        if place:
            return f"{_org_case(parent)} {place[0]}", place[0]
    if is_place:
        return None
    place = _place(last) or _party_place(last_key)
    if place:
        m = None
        for t in _PLACE_TYPES:
            m = re.search(rf"(?:^|\s){t}\s", " ".join(_fkey(w) for w in last.split()) + " ")
            if m and not last_key.startswith(tuple(_PARTY_OF)):
                break
            m = None
        if m:
            words_before = len(" ".join(_fkey(w) for w in last.split())[: m.start()].split())
            head = " ".join(last.split()[:words_before])
            return f"{_org_case(head)} {place[0]}".strip(), place[0]
        return _party_name(last_key) or _org_case(last), place[0]
    parent_key = _fkey(parent)
    parent_place = _place(parent) or _party_place(parent_key)
    if any(parent_key.startswith(w) for w in _PARTY_OF):
        parent_name = _party_name(parent_key) or _org_case(parent)
        return f"{_org_case(last)} {parent_name}", parent_place[0] if parent_place else None
    if parent_place:
        return f"{_org_case(last)} {parent_place[0]}", parent_place[0]
    return _org_case(last), None


def issuer_from_prose(text: str) -> tuple[str, str] | None:
    """ "UBND phường Tân Định ban hành …": the committee and its place named last before the
    verb (an earlier sentence may name the province whose plan this one carries out)."""
    words = _words(text)
    found = None
    for i in range(len(words)):
        if not _after_committee(words, i):
            continue
        for size in (2, 3, 4, 5, 6):
            candidate = " ".join(words[i : i + size])
            if not any(candidate.startswith(t + " ") for t in _TYPES):
                break
            name = _names().get(candidate)
            if name:
                found = (f"UBND {name}", name)
    return found


def place_of(issuer: str | None) -> str | None:
    """ "UBND xã Bom Bo" → "xã Bom Bo" (the place an issuer's name holds, if any)."""
    if not issuer:
        return None
    found = _place(issuer) or _party_place(_fkey(issuer))
    return found[0] if found else None
