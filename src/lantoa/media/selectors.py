"""Reading the library: what a person may see and use, search without diacritics with facets,
near-duplicate candidates by perceptual-hash bands, and where an asset is used."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Count, DateField, Q, QuerySet
from django.db.models.functions import Cast, Coalesce, TruncMonth

from lantoa.core.text import fold
from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import ancestor_paths, is_unrestricted, scope_paths, subtree_q
from lantoa.orgs.selectors import object_history

from . import files
from .choices import AssetKind, AssetStatus, Licence
from .models import Asset, AssetUsage, Collection, Tag

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 8
NEAR_DISTANCE = 6  # Hamming distance between 64-bit perceptual hashes: "the same picture"
NEAR_CANDIDATES = 500  # rows sharing a band checked at most (a blank picture's band is common)


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def collections_visible(user, action: str = Action.VIEW) -> QuerySet[Collection]:
    """Collections of the units ``user`` covers, and those shared down by a unit above them."""
    if is_unrestricted(user):
        return Collection.objects.all()
    if not _signed_in(user):
        return Collection.objects.none()
    paths = scope_paths(user, action)
    if not paths:
        return Collection.objects.none()
    return Collection.objects.filter(
        subtree_q("unit__path", paths) | Q(shared_down=True, unit__path__in=ancestor_paths(paths))
    )


def _shared_q(paths) -> Q:
    """Assets in a collection shared down by a strict ancestor of one of ``paths``."""
    shared = Collection.assets.through.objects.filter(
        collection__shared_down=True, collection__unit__path__in=ancestor_paths(paths)
    ).values("asset_id")
    return Q(pk__in=shared)


def assets_visible(user, action: str = Action.VIEW) -> QuerySet[Asset]:
    """Live assets of the units ``user`` covers, and those in a collection shared down by a
    unit above them (a province's infographics seen by its communes)."""
    live = Asset.objects.live()
    if is_unrestricted(user):
        return live
    if not _signed_in(user):
        return live.none()
    paths = scope_paths(user, action)
    if not paths:
        return live.none()
    return live.filter(subtree_q("unit__path", paths) | _shared_q(paths))


def _of_unit_q(unit: OrgUnit) -> Q:
    """The assets of ``unit``'s subtree and those in a collection shared down to it."""
    shared = Collection.assets.through.objects.filter(
        collection__shared_down=True, collection__unit__path__in=unit.chain_paths
    ).values("asset_id")
    return Q(unit__path__startswith=unit.path) | Q(pk__in=shared)


def assets_of_unit(unit: OrgUnit) -> QuerySet[Asset]:
    """Every live asset a page of ``unit`` may show, whoever writes it: its subtree's and those
    shared down to it (the rule the content services check a saved item against)."""
    return Asset.objects.live().filter(_of_unit_q(unit))


def assets_usable(user, unit: OrgUnit) -> QuerySet[Asset]:
    """What an item of ``unit`` written by ``user`` may use: the assets of the unit's subtree
    and those shared down to it, that ``user`` sees, ready, and with a licence in force."""
    return (
        assets_visible(user, Action.EDIT_CONTENT)
        .filter(_of_unit_q(unit))
        .filter(status=AssetStatus.READY)
        .exclude(licence=Licence.WITHDRAWN)
    )


def asset_get(user, pk: int) -> Asset | None:
    return (
        assets_visible(user)
        .filter(pk=pk)
        .select_related("unit", "created_by")
        .prefetch_related("tags", "renditions")
        .first()
    )


def search_words(text: str) -> list[str]:
    return fold((text or "")[:MAX_QUERY_CHARS]).split()[:MAX_QUERY_WORDS]


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _month(value: str) -> datetime.date | None:
    match = _MONTH.match((value or "").strip())
    if not match:
        return None
    year, month = map(int, match.groups())
    if not (1900 <= year <= 2100 and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)


def _next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def asset_date():
    """The date an asset is filed under: when it was taken, else when it was uploaded."""
    return Coalesce("taken_on", Cast("created_at", output_field=DateField()))


@dataclass
class Applied:
    q: str = ""
    kind: str = ""
    unit: OrgUnit | None = None
    tag: Tag | None = None
    month: datetime.date | None = None
    withdrawn: bool = False

    def __bool__(self):
        return bool(self.q or self.kind or self.unit or self.tag or self.month or self.withdrawn)


def asset_search(
    *, viewer, params: Mapping, unit: OrgUnit | None = None
) -> tuple[QuerySet[Asset], Applied]:
    """The visible assets matching ``params``: ``q`` (words typed with or without
    diacritics, each found in the title, description, author, place or tags), ``kind``,
    ``tag`` (a slug), ``month`` (YYYY-MM), ``withdrawn=1``; ``unit`` already read through the
    scope by the caller. Unknown values are ignored, never an error."""
    assets = assets_visible(viewer)
    applied = Applied()
    for word in search_words(params.get("q", "")):
        assets = assets.filter(search_folded__contains=word)
    applied.q = " ".join(search_words(params.get("q", "")))
    kind = params.get("kind", "")
    if kind in AssetKind.values:
        assets = assets.filter(kind=kind)
        applied.kind = kind
    if unit is not None:
        assets = assets.filter(unit__path__startswith=unit.path)
        applied.unit = unit
    slug = (params.get("tag") or "")[:90]
    if slug:
        tag = Tag.objects.filter(slug=slug).first()
        if tag is not None:
            assets = assets.filter(tags=tag)
            applied.tag = tag
    month = _month(params.get("month", ""))
    if month is not None:
        assets = assets.alias(filed=asset_date()).filter(
            filed__gte=month, filed__lt=_next_month(month)
        )
        applied.month = month
    if params.get("withdrawn") == "1":
        assets = assets.filter(licence=Licence.WITHDRAWN)
        applied.withdrawn = True
    return assets, applied


@dataclass
class Facets:
    kinds: list[tuple[str, str, int]] = field(default_factory=list)
    units: list[tuple[OrgUnit, int]] = field(default_factory=list)
    tags: list[tuple[Tag, int]] = field(default_factory=list)
    months: list[tuple[datetime.date, int]] = field(default_factory=list)


FACET_ROWS = 12


def asset_facets(assets: QuerySet[Asset]) -> Facets:
    """Counts of ``assets`` by kind, unit, tag and month: four grouped queries."""
    labels = dict(AssetKind.choices)
    facets = Facets()
    plain = assets.order_by()
    for row in plain.values("kind").annotate(n=Count("pk")).order_by("-n", "kind"):
        facets.kinds.append((row["kind"], labels.get(row["kind"], row["kind"]), row["n"]))
    unit_rows = list(
        plain.values("unit").annotate(n=Count("pk")).order_by("-n", "unit")[:FACET_ROWS]
    )
    units = OrgUnit.objects.in_bulk([r["unit"] for r in unit_rows])
    facets.units = [(units[r["unit"]], r["n"]) for r in unit_rows if r["unit"] in units]
    tag_rows = list(
        Tag.objects.filter(assets__in=plain.values("pk"))
        .annotate(n=Count("assets"))
        .order_by("-n", "name")[:FACET_ROWS]
    )
    facets.tags = [(tag, tag.n) for tag in tag_rows]
    month_rows = (
        plain.annotate(filed=TruncMonth(asset_date()))
        .values("filed")
        .annotate(n=Count("pk"))
        .order_by("-filed")[:24]
    )
    facets.months = [(r["filed"], r["n"]) for r in month_rows if r["filed"]]
    return facets


def near_duplicates(*, viewer, phash: str, exclude_pk: int | None = None) -> list[Asset]:
    """Visible images whose perceptual hash is within NEAR_DISTANCE of ``phash``: four index
    lookups on the 16-bit bands (two hashes within distance 3 share a band), then the few
    candidates compared in full."""
    if not phash:
        return []
    bands = files.phash_bands(phash)
    match = Q()
    for index, band in enumerate(bands):
        match |= Q(**{f"phash_band{index}": band})
    rows = list(
        Asset.objects.live()
        .filter(match)
        .exclude(pk=exclude_pk)
        .values_list("pk", "phash")[:NEAR_CANDIDATES]
    )
    close = [pk for pk, other in rows if other and files.hamming(phash, other) <= NEAR_DISTANCE]
    if not close:
        return []
    visible = Asset.objects.live() if viewer is None else assets_visible(viewer)
    return list(visible.filter(pk__in=close).select_related("unit"))


def asset_usages(asset: Asset) -> QuerySet[AssetUsage]:
    return asset.usages.order_by("owner", "owner_id")


def asset_is_public(asset: Asset) -> bool:
    """True once an owner that uses the asset is published (a usage marked public)."""
    return asset.deleted_at is None and asset.usages.filter(public=True).exists()


def withdrawn_in_use(viewer) -> QuerySet[Asset]:
    """Assets whose licence was withdrawn that something still uses: what must be replaced."""
    return (
        assets_visible(viewer)
        .filter(licence=Licence.WITHDRAWN, usages__isnull=False)
        .distinct()
        .select_related("unit")
    )


def asset_history(asset: Asset):
    return object_history(obj=asset)
