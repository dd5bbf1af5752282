"""Document numbers a plan cites, kept exactly as written ("03/NQ-CP", "14/2014/TT-BKHCN",
"10-CTr/TU", "2345/UBND-KGVX"), and the plan's own number.

A number is accepted when it has the shape of a Vietnamese document symbol: a state document's
"N[/YEAR]/CODE-ISSUER[-DEPT]" or a Party document's "N-CODE/ISSUER", with the type code one of
Nghị định 30/2020/NĐ-CP (Phụ lục III), of legal documents, or of Party documents, or a công
văn's "N/ISSUER-DEPT". Nothing is rewritten but white space and the Party separator, except an
OCR slip ("1169/QP-TTg", "57-NQ/TVV") that reads as a reference found cleanly elsewhere in the
same document or in the national cascade; never into another issuer or another number.
"""

from __future__ import annotations

import re

from lantoa.core.text import fold

# Type codes of Nghị định 30/2020/NĐ-CP (Phụ lục III: văn bản hành chính), of legal documents
# (Luật 80/2015/QH13) and of Party documents (Quy định 66-QĐ/TW), folded to upper case.
TYPE_CODES = {
    "NQ", "QD", "CT", "QC", "QYD", "TC", "TB", "HD", "CTR", "KH", "PA", "DA", "BC", "BB",
    "TTR", "CD", "BGN", "BTT", "GUQ", "GM", "GGT", "GNP", "PG", "PC", "PB", "HĐ",
    "ND", "TT", "TTLT", "NQLT", "L", "PL", "KL", "CV", "QDI", "TTRA", "BCD",
}  # fmt: skip

# The national documents of the Resolution 57 cascade; an OCR'd reference may be read as one of
# them (it is cited by almost every plan this platform imports).
CASCADE_REFERENCES = (
    "57-NQ/TW",  # Nghị quyết của Bộ Chính trị, 22/12/2024
    "03/NQ-CP",  # Chương trình hành động của Chính phủ, 09/01/2025
    "71/NQ-CP",  # sửa đổi, bổ sung Nghị quyết 03/NQ-CP, 01/4/2025
    "193/2025/QH15",  # Nghị quyết của Quốc hội về cơ chế đặc biệt, 19/02/2025
    "1169/QĐ-TTg",  # Chương trình truyền thông, 16/6/2025
)

_SEG = r"[A-ZĐ?][A-Za-zĐđ?&]{0,9}\d{0,2}"
_STATE = re.compile(
    r"(?<![\w/.-])(\d{1,5})\s?[/J|]\s?(?:((?:19|20)\d{2})\s?/\s?)?"
    rf"({_SEG}(?:\s?-\s?{_SEG}){{0,3}})(?![\w/])"
)
_PARTY = re.compile(
    rf"(?<![\w/.-])(\d{{1,5}})\s?-\s?([A-ZĐ?][A-Za-zĐđ?]{{0,3}})\s?[/-]\s?({_SEG}(?:-{_SEG}){{0,2}})(?![\w/-])"
)

# What OCR makes of the letters of a type code ("QP", "Qb", "Q?" for QĐ; "TVV" for TW), applied
# before comparing; nothing else is confused, so BXD and BCĐ, TTr and TTg, PA and ĐA stay apart.
_CONFUSED = [
    (re.compile(r"VV"), "W"),
    (re.compile(r"(?<=[QN])[PbB0D]"), "Đ"),
    (re.compile(r"\?"), "Đ"),
]


def _code_key(part: str) -> str:
    # Not match_key: "TW" (Trung ương) and "TU" (Tỉnh ủy) must stay apart.
    return fold(part).upper().replace(" ", "")


def _confusion_key(ref: str) -> str:
    for pattern, right in _CONFUSED:
        ref = pattern.sub(right, ref)
    key = re.sub(r"[/-]", "/", _code_key(ref))
    return key


def _segments(symbol: str) -> list[str]:
    return [p for p in re.split(r"\s*-\s*", symbol.strip()) if p]


def _state_ok(year: str | None, parts: list[str]) -> bool:
    if any("?" in p for p in parts):
        return False
    first = _code_key(parts[0])
    if first in TYPE_CODES:
        return len(parts) >= 2
    repaired = parts[0]
    for pattern, right in _CONFUSED:
        repaired = pattern.sub(right, repaired)
    if _code_key(repaired) in TYPE_CODES:
        return False  # "QP-…": a type code OCR misread, only to be read as a known reference
    if year and len(parts) == 1 and re.fullmatch(r"[A-Z]{2,8}\d{1,2}", first):
        return True  # a law or a resolution of the Quốc hội: "93/2025/QH15"
    # A công văn: "2345/UBND-KGVX", "1560/SGDĐT-GDTrH": the issuer's code in capitals, then its
    # department's.
    return (
        len(parts) >= 2
        and bool(re.fullmatch(r"[A-ZĐ&]{2,10}\d{0,2}", parts[0]))
        and all(re.fullmatch(r"[A-ZĐ][A-Za-zĐđ&]{0,9}\d{0,2}", p) for p in parts[1:])
    )


def _party_ok(code: str, issuer: str) -> bool:
    return "?" not in code + issuer and _code_key(code) in TYPE_CODES


def _candidates(text: str) -> list[tuple[int, str, bool]]:
    """(offset, reference as written, whether its shape is valid) for every number-like symbol."""
    found: list[tuple[int, str, bool]] = []
    taken: list[tuple[int, int]] = []
    for m in _PARTY.finditer(text):
        number, code, issuer = m.group(1), m.group(2), m.group(3)
        found.append((m.start(), f"{number}-{code}/{issuer}", _party_ok(code, issuer)))
        taken.append(m.span())
    for m in _STATE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        number, year, symbol = m.group(1), m.group(2), m.group(3)
        parts = _segments(symbol)
        written = f"{number}/{year + '/' if year else ''}{'-'.join(parts)}"
        found.append((m.start(), written, _state_ok(year, parts)))
    found.sort()
    return found


def find_references(text: str, extra_known: tuple[str, ...] = ()) -> list[str]:
    """Every document number ``text`` cites, in order of first appearance, as written."""
    candidates = _candidates(text)
    # For each reading, the spelling to show: the cascade's, else the one written most often in
    # a valid shape ("57-NQ/TW" three times beats "57-NQ/TVV" once); a tie keeps both.
    counts: dict[str, int] = {}
    for _at, ref, ok in candidates:
        if ok:
            counts[ref] = counts.get(ref, 0) + 1
    best: dict[str, tuple[int, str]] = {}
    tied: set[str] = set()
    for ref, count in counts.items():
        key = _confusion_key(ref)
        if key in best and best[key][0] == count:
            tied.add(key)
        elif key not in best or best[key][0] < count:
            best[key] = (count, ref)
            tied.discard(key)
    for ref in (*CASCADE_REFERENCES, *extra_known):
        best[_confusion_key(ref)] = (10**6, ref)
        tied.discard(_confusion_key(ref))
    result: list[str] = []
    for _at, ref, ok in candidates:
        key = _confusion_key(ref)
        if key in best and key not in tied and _same_issuer(ref, best[key][1]):
            ref = best[key][1]
        elif not ok:
            continue
        if ref not in result:
            result.append(ref)
    return result


def _same_issuer(written: str, repaired: str) -> bool:
    """Same number, same year, and the same count of symbol parts: a repair changes letters."""
    a = re.split(r"[/-]", written)
    b = re.split(r"[/-]", repaired)
    return len(a) == len(b) and a[0] == b[0]


def reference_key(ref: str) -> str:
    """What two spellings of one reference share (for comparing, never for display)."""
    return _confusion_key(ref)
