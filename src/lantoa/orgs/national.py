"""Loads the national administrative tree from the ``vietnam-provinces`` package.

One root (Bộ Khoa học và Công nghệ, the national focal point), the 34 provinces and the 3,321
commune-level units with their official codes. Idempotent: a second run adds what is missing
and renames what the package renamed; it never deletes, because units carry history. Paths
are computed here and written with ``bulk_create`` so the whole nation loads in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from vietnam_provinces import Province, VietNamDivisionType, Ward

from lantoa.core.text import fold

from .choices import UnitKind
from .models import OrgUnit

ROOT_CODE = "BKHCN"
ROOT_NAME = "Bộ Khoa học và Công nghệ"

_KIND = {
    VietNamDivisionType.TINH: UnitKind.PROVINCE,
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: UnitKind.CITY,
    VietNamDivisionType.XA: UnitKind.COMMUNE,
    VietNamDivisionType.PHUONG: UnitKind.WARD,
    VietNamDivisionType.DAC_KHU: UnitKind.SPECIAL_ZONE,
}


def province_code(code: int) -> str:
    return f"{int(code):02d}"


def ward_code(code: int) -> str:
    return f"{int(code):05d}"


def province_name(province: Province) -> str:
    """The package writes "Lạng Sơn" but "Thành phố Hà Nội"; official names carry the type."""
    if province.division_type == VietNamDivisionType.TINH and not province.name.startswith("Tỉnh"):
        return f"Tỉnh {province.name}"
    return province.name


@dataclass
class LoadResult:
    created: int = 0
    renamed: int = 0
    total: int = 0


def append_children(parent: OrgUnit, children: list[OrgUnit]) -> None:
    """Give ``children`` the next free paths under ``parent`` and insert them in bulk
    (``bulk_create`` skips ``save()``, so the folded name is set here)."""
    if not children:
        return
    last = OrgUnit.objects.get_last_child(parent)
    step = OrgUnit._str2int(last.path[-OrgUnit.steplen :]) if last else 0
    for child in children:
        step += 1
        child.path = OrgUnit._get_path(parent.path, parent.depth + 1, step)
        child.depth = parent.depth + 1
        child.numchild = 0
        child.name_folded = fold(child.name)
    OrgUnit.objects.bulk_create(children, batch_size=500)
    parent.numchild += len(children)
    OrgUnit.objects.filter(pk=parent.pk).update(numchild=parent.numchild)


def _sync(
    parent: OrgUnit,
    wanted: list[tuple[str, str, str]],
    existing: dict[str, OrgUnit],
    result: LoadResult,
) -> None:
    new = []
    for code, name, kind in wanted:
        unit = existing.get(code)
        if unit is None:
            new.append(OrgUnit(code=code, name=name, kind=kind))
        elif unit.name != name or unit.kind != kind:
            unit.name, unit.kind = name, kind
            unit.save(update_fields=["name", "name_folded", "kind", "updated_at"])
            result.renamed += 1
    append_children(parent, new)
    result.created += len(new)


@transaction.atomic
def load_national_tree() -> LoadResult:
    result = LoadResult()
    root = OrgUnit.objects.filter(code=ROOT_CODE).first()
    if root is None:
        root = OrgUnit.objects.add_root(
            create_kwargs={"code": ROOT_CODE, "name": ROOT_NAME, "kind": UnitKind.NATIONAL}
        )
        result.created += 1
    existing = {u.code: u for u in OrgUnit.objects.filter(depth__in=[2, 3])}

    provinces = sorted(Province.iter_all(), key=lambda p: int(p.code))
    _sync(
        root,
        [(province_code(p.code), province_name(p), _KIND[p.division_type]) for p in provinces],
        existing,
        result,
    )
    province_units = {
        u.code: u for u in OrgUnit.objects.filter(depth=2, path__startswith=root.path)
    }
    wards_by_province: dict[str, list[Ward]] = {}
    for ward in Ward.iter_all():
        wards_by_province.setdefault(province_code(ward.province_code), []).append(ward)
    for code, wards in sorted(wards_by_province.items()):
        parent = province_units[code]
        wards.sort(key=lambda w: int(w.code))
        _sync(
            parent,
            [(ward_code(w.code), w.name, _KIND[w.division_type]) for w in wards],
            existing,
            result,
        )
    result.total = OrgUnit.objects.filter(depth__lte=3).count()
    return result
