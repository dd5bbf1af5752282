"""Who issued a plan: "UBND xã Bom Bo" from a letterhead OCR left as "UY BAN NHAN DAN ... XA BOM BO".

Names are restored from the national list in ``vietnam-provinces`` (no database needed), so
lost diacritics come back and only real provinces and communes are named.
"""

from __future__ import annotations

import re
from functools import lru_cache

from vietnam_provinces import Province, Ward

from lantoa.core.documents.layout import match_key

_TYPES = ("xa", "phuong", "dac khu", "tinh", "thanh pho")


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
