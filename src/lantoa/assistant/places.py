"""Places named in a text: provinces, and communes, wards and special zones with their type
("xã Hòa An", "phường Tân Định"), from the national list of ``vietnam-provinces``; a commune's
bare name ("Tân Định") only when the caller knows it as the place of a document (many communes
are named with ordinary words: "Thống Nhất", "Hòa Bình")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from vietnam_provinces import Province, Ward

from lantoa.core.documents.layout import match_key

_TYPES = ("xa", "phuong", "dac khu", "tinh", "thanh pho", "tp")
MAX_WORDS = 6


@dataclass(frozen=True)
class Place:
    key: str  # folded bare name: "tan dinh"
    display: str  # "phường Tân Định"
    province: str = ""  # "Thành phố Hồ Chí Minh" (a commune's, when its name is unique)


def words(text: str) -> list[str]:
    return re.findall(r"[0-9a-z]+", match_key(text or ""))


@lru_cache(maxsize=1)
def _national() -> tuple[dict[str, Place], dict[str, Place]]:
    """Folded "xa hoa an" → Place, and folded bare province names → Place."""
    typed: dict[str, Place] = {}
    provinces: dict[str, Place] = {}
    province_names = {}
    for province in Province.iter_all():
        kind = "thành phố" if province.name.startswith("Thành phố") else "tỉnh"
        bare = province.name.removeprefix("Thành phố ").removeprefix("Tỉnh ")
        place = Place(" ".join(words(bare)), f"{kind} {bare}")
        typed[" ".join(words(f"{kind} {bare}"))] = place
        typed[" ".join(words(f"tp {bare}"))] = place
        provinces[place.key] = place
        province_names[province.code] = province.name
    seen: dict[str, int] = {}
    wards = list(Ward.iter_all())
    for ward in wards:
        seen[ward.name] = seen.get(ward.name, 0) + 1
    for ward in wards:
        kind, _, bare = ward.name.partition(" ")
        if kind == "Đặc":
            kind, bare = "đặc khu", bare.removeprefix("khu ")
        province = province_names.get(ward.province_code, "") if seen[ward.name] == 1 else ""
        place = Place(" ".join(words(bare)), f"{kind.lower()} {bare}", province)
        typed.setdefault(" ".join(words(f"{kind} {bare}")), place)
    return typed, provinces


def keys_of(place: Place) -> list[str]:
    """The folded names a document of ``place`` answers to: its own and its province's."""
    out = [place.key]
    if place.province:
        out.append(" ".join(words(place.province.removeprefix("Thành phố ").removeprefix("Tỉnh "))))
    return out


def find(text: str, known: frozenset[str] | set[str] = frozenset()) -> list[Place]:
    """Places named in ``text``, in order: typed names of the national list, bare province
    names, and the bare names in ``known`` (the places of the corpus' documents)."""
    typed, provinces = _national()
    tokens = words(text)
    found: list[Place] = []
    i = 0
    while i < len(tokens):
        match = None
        for size in range(MAX_WORDS, 0, -1):
            candidate = " ".join(tokens[i : i + size])
            if size >= 2 and candidate in typed:
                match = typed[candidate]
            elif candidate in provinces and size >= 2:
                match = provinces[candidate]
            elif candidate in known:
                match = Place(candidate, candidate)
            if match:
                found.append(match)
                i += size
                break
        else:
            i += 1
    return found
