"""Matching unit names written in a plan to units of the org tree under the issuer.

Names are compared folded ("Phong Van héa — Xa hi" and "Phòng Văn hóa - Xã hội" are close);
a name that matches nothing well is left for the reviewer to create or link, never created here.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from lantoa.core.documents.layout import match_key
from lantoa.orgs.choices import UnitKind
from lantoa.orgs.models import OrgUnit

MATCH_THRESHOLD = 85


def _normal(name: str, drop: str = "") -> str:
    text = " ".join(re.findall(r"[0-9a-z]+", match_key(name)))
    if drop and len(text) > len(drop) + 4:
        text = text.replace(drop, " ")  # "Sở KH&CN tỉnh Lạng Sơn" under Lạng Sơn is "Sở KH&CN"
    return " ".join(text.split())


def match_units(issuer: OrgUnit, names: list[str]) -> dict[str, OrgUnit | None]:
    """Each name → the best unit at or under ``issuer`` (one query), or None."""
    candidates = list(
        OrgUnit.objects.filter(path__startswith=issuer.path, depth__lte=issuer.depth + 2)
    )
    issuer_name = _normal(issuer.name)
    choices = {unit.pk: _normal(unit.name, issuer_name) for unit in candidates}
    by_pk = {unit.pk: unit for unit in candidates}
    result: dict[str, OrgUnit | None] = {}
    for name in names:
        best = process.extractOne(_normal(name), choices, scorer=fuzz.token_sort_ratio)
        result[name] = by_pk[best[2]] if best and best[1] >= MATCH_THRESHOLD else None
    return result


# Plans name groups of units ("Các trường học trên địa bàn"): the kinds of unit such a name means.
GROUP_KINDS = [
    (("cac truong", "truong hoc tren dia ban", "co so giao duc"), UnitKind.SCHOOL),
    (("cac thon", "cac ap", "cac khu pho", "to dan pho", "cac ban"), UnitKind.VILLAGE),
    (("cac so ban nganh", "cac so nganh", "cac co quan chuyen mon"), UnitKind.DEPARTMENT),
    (("cac phong", "phong ban chuyen mon"), UnitKind.OFFICE),
    (("cac doanh nghiep", "doanh nghiep tren dia ban"), UnitKind.BUSINESS),
    (("cac hoi", "doan the", "mat tran to quoc", "mttq"), UnitKind.MASS_ORGANISATION),
    (("co quan bao chi", "bao va phat thanh", "bao va dai"), UnitKind.PRESS),
]


def kinds_named(name: str) -> list[str]:
    """The unit kinds a group name in a plan stands for ("Các trường học ..." → schools)."""
    text = " ".join(re.findall(r"[0-9a-z]+", match_key(name)))
    return [kind for phrases, kind in GROUP_KINDS if any(phrase in text for phrase in phrases)]
