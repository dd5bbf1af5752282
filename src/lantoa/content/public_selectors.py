"""Reads of the public NQ57 section: what a citizen may see, and nothing else.

Only PUBLISHED items with a live revision are read, and only their live revision's text: a
newer revision waiting for review never shows. Every list is a fixed number of queries
whatever its length (the unit, the tags and the revisions come with the items)."""

from __future__ import annotations

from django.db.models import F, Max, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.text import fold
from lantoa.media.models import Tag
from lantoa.orgs.choices import ADMINISTRATIVE_KINDS
from lantoa.orgs.models import OrgUnit
from lantoa.plans.models import Plan, Target

from .choices import ContentKind, ContentStatus
from .models import ContentItem

# Bounds on what a visitor types, applied before anything is read.
MAX_QUERY = 100
MAX_CODE = 32
PAGE_SIZE = 20
DIRECTORY_PAGE_SIZE = 30
MAX_PAGE = 250
RELATED = 4
SECTION_TAGS = 30
FEED_SIZE = 30


def clean_query(raw: str | None) -> str:
    """A search typed by a visitor, bounded and folded ("Bom Bố" → "bom bo")."""
    return fold((raw or "")[:MAX_QUERY])


def page_number(raw: str | None) -> int:
    """``?page=`` as a number from 1 to MAX_PAGE; anything else is the first page."""
    text = (raw or "")[:6]
    return min(int(text), MAX_PAGE) if text.isdigit() and int(text) > 0 else 1


def public_unit(code: str) -> OrgUnit:
    """The active unit whose section this is, by its code; a 404 otherwise."""
    code = (code or "").strip()
    if not code or len(code) > MAX_CODE:
        raise Http404(_("Not found."))
    unit = OrgUnit.objects.filter(code__iexact=code, is_active=True).first()
    if unit is None:
        raise Http404(_("Not found."))
    return unit


def national_unit() -> OrgUnit:
    unit = OrgUnit.objects.filter(depth=1, is_active=True).order_by("path").first()
    if unit is None:
        raise Http404(_("Not found."))
    return unit


def directory(query: str):
    """Units found by a name typed without diacritics (or by code); without a query, the
    nation and the provinces."""
    units = OrgUnit.objects.filter(is_active=True)
    if query:
        return units.search(query).order_by("depth", "name")
    return units.filter(depth__lte=2, kind__in=ADMINISTRATIVE_KINDS).order_by("depth", "name")


def visible_items():
    """Published, live, not past its expiry (even before the expiry task has run)."""
    return ContentItem.objects.public().filter(
        Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now())
    )


def items_in(unit: OrgUnit, *, kind: str = "", tag: Tag | None = None, query: str = ""):
    """The section's items, newest first: the unit's and, below it, its subtree's."""
    items = visible_items().filter(unit__path__startswith=unit.path)
    if kind:
        items = items.filter(kind=kind)
    if tag is not None:
        items = items.filter(tags=tag)
    if query:
        # ``title_folded`` is the working copy's title: matched only while it is the live one,
        # so a draft's new words are never found.
        items = items.filter(title_folded__contains=query, title=F("live_revision__title"))
    return with_related(items).order_by("-published_at", "-pk")


def with_related(items):
    return items.select_related("unit", "live_revision", "cover").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name"))
    )


def newest(unit: OrgUnit):
    """When the newest visible item of the section was published (Last-Modified)."""
    return (
        visible_items()
        .filter(unit__path__startswith=unit.path)
        .aggregate(newest=Max("published_at"))["newest"]
    )


def item(unit: OrgUnit, slug: str) -> ContentItem:
    """A published item of the unit by its address. Withdrawn: ``Gone``; anything else not
    published (draft, in review, scheduled, expired): 404."""
    found = with_related(ContentItem.objects.filter(unit=unit, slug=slug[:120])).first()
    if found is None:
        raise Http404(_("Not found."))
    visible = (
        found.status == ContentStatus.PUBLISHED
        and found.live_revision_id is not None
        and (found.expire_at is None or found.expire_at > timezone.now())
    )
    if not visible:
        if found.status == ContentStatus.WITHDRAWN:
            raise Gone
        raise Http404(_("Not found."))
    return found


class Gone(Exception):
    """An item withdrawn from the section: answered 410."""


def related(found: ContentItem) -> list[ContentItem]:
    """Up to RELATED other items of the same section sharing a tag, else of the same kind."""
    tag_ids = [tag.pk for tag in found.tags.all()]
    base = visible_items().filter(unit__path__startswith=found.unit.path).exclude(pk=found.pk)
    match = Q(tags__in=tag_ids) | Q(kind=found.kind) if tag_ids else Q(kind=found.kind)
    rows = base.filter(match).order_by("-published_at", "-pk").values_list("pk", flat=True)
    ids = list(dict.fromkeys(rows[: RELATED * 8]))[:RELATED]
    if not ids:
        return []
    chosen = {
        row.pk: row
        for row in ContentItem.objects.filter(pk__in=ids).select_related("unit", "live_revision")
    }
    return [chosen[pk] for pk in ids if pk in chosen]


TAGS_FROM_LATEST = 200


def section_tags(unit: OrgUnit):
    """The tags of the section's latest visible items (for "by topic"): read from the newest
    TAGS_FROM_LATEST items, so a national section does not join a million rows."""
    latest = (
        visible_items()
        .filter(unit__path__startswith=unit.path)
        .order_by("-published_at")
        .values("pk")[:TAGS_FROM_LATEST]
    )
    return Tag.objects.filter(content_items__in=latest).distinct().order_by("name")[:SECTION_TAGS]


def tag(slug: str) -> Tag:
    found = Tag.objects.filter(slug=slug[:90]).first()
    if found is None:
        raise Http404(_("Not found."))
    return found


def kind(value: str) -> str:
    if value not in ContentKind.values:
        raise Http404(_("Not found."))
    return value


def plans_in_force(unit: OrgUnit, limit: int = 3) -> list[Plan]:
    """The unit's own plans in force, newest first, with their targets (in brief)."""
    return list(
        Plan.objects.in_force()
        .filter(unit=unit)
        .prefetch_related(Prefetch("targets", queryset=Target.objects.order_by("year", "order")))
        .order_by("-issued_on", "-pk")[:limit]
    )


def subunits(unit: OrgUnit):
    """The administrative units right below (a province's communes, the nation's provinces)."""
    return (
        OrgUnit.objects.filter(
            path__startswith=unit.path,
            depth=unit.depth + 1,
            is_active=True,
            kind__in=ADMINISTRATIVE_KINDS,
        )
        .only("code", "name", "path")
        .order_by("name")
    )
