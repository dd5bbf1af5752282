"""The public NQ57 section: the directory of units at ``/u/``, each unit's section at
``/u/<code>/`` (latest items, by kind, by topic, search, the item page, the plan in brief, the
assistant), its Atom and RSS feeds, and the compact block units' websites embed.

Anyone may read these pages (published material only). They are built for many readers: each
page is kept in the cache under its unit's version (``public_cache``), which every publish and
unpublish in the unit or below bumps; a second reader gets the stored page without a query,
a returning one a 304 (ETag and Last-Modified); shared caches may keep a page a minute."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from functools import wraps

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import condition, require_safe

from lantoa.media.choices import AssetKind, AssetStatus
from lantoa.orgs import public_cache
from lantoa.orgs.scoped_views import public
from lantoa.orgs.scoping import path_chain

from . import public_selectors as selectors
from .choices import ContentKind

PAGE_TIMEOUT = 300  # seconds a rendered page stays in the cache (a publish replaces it sooner)
UNIT_TIMEOUT = 300
MAX_AGE = 60  # what browsers and shared caches may keep
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
PUBLIC_REASON = "the public NQ57 section: published items only, read by their unit's code"


def rendition_url(asset_id: int, spec: str) -> str:
    """The library's public address of an asset's rendition."""
    try:
        return reverse("media:asset-rendition", kwargs={"pk": asset_id, "spec": spec})
    except NoReverseMatch:
        return f"/library/{asset_id}/r/{spec}/"


def cover_url(asset, size: str) -> str:
    """The address of an item's cover picture at ``size`` ("thumb" or "web"): a picture's own
    rendition, a video's poster frame (videos have no "web" size); nothing for other kinds,
    nor before the library has made the renditions (no broken picture on a public page)."""
    if (
        asset is None
        or asset.status != AssetStatus.READY
        or asset.kind not in (AssetKind.IMAGE, AssetKind.VIDEO)
    ):
        return ""
    spec = "poster" if asset.kind == AssetKind.VIDEO and size == "web" else size
    return rendition_url(asset.pk, spec)


# --- the cache -------------------------------------------------------------------------------


def _unit(request, code: str | None):
    """The section's unit, looked up once per request and kept in the cache by its code."""
    memo = getattr(request, "_public_unit", None)
    if memo is not None:
        return memo
    key = "content:public:unit:" + (
        hashlib.sha1(code.strip().lower().encode(), usedforsecurity=False).hexdigest()
        if code
        else "-national-"
    )
    unit = cache.get(key)
    if unit is None:
        unit = selectors.public_unit(code) if code else selectors.national_unit()
        cache.set(key, unit, UNIT_TIMEOUT)
    request._public_unit = unit
    return unit


def _version(request, code):
    unit = _unit(request, code)
    memo = getattr(request, "_public_version", None)
    if memo is None:
        memo = request._public_version = public_cache.version(unit)
    return unit, memo


def _variant(request) -> str:
    """What a page depends on besides its unit's version: language, host, path and the two
    parameters the pages read (the search as typed, the page number). Other query parameters
    (``utm_source``...) are ignored, so they cannot fill the cache with copies of a page."""
    query = request.GET.get("q", "")[: selectors.MAX_QUERY].strip()
    number = selectors.page_number(request.GET.get("page"))
    return hashlib.sha1(
        f"{translation.get_language()}|{request.get_host()}|{request.path}|{query}|{number}".encode(),
        usedforsecurity=False,
    ).hexdigest()[:20]


def _searched(request) -> bool:
    return bool(request.GET.get("q", "")[: selectors.MAX_QUERY].strip())


def _etag(request, code=None, **kwargs):
    unit, version = _version(request, code)
    return f"{version:x}-{_variant(request)}"


def _last_modified(request, code=None, **kwargs):
    """The newest publication in the section; never earlier than the value given for the
    version before (a withdrawal lowers the newest date, the page still changed)."""
    unit, version = _version(request, code)
    key = f"content:public:modified:{unit.path}"
    stored = cache.get(key)
    if stored is not None and stored[0] == version:
        return stored[1]
    newest = selectors.newest(unit) or EPOCH
    if stored is not None:  # moved forward, never past the present
        newest = max(newest, min(stored[1] + timedelta(seconds=1), timezone.now()))
    cache.set(key, (version, newest), None)
    return newest


def cached_public(view):
    """A public page of a unit's section: anonymous, GET/HEAD only, conditional, cached under
    the unit's version. ``view(request, unit, **kwargs)`` renders the page."""

    @wraps(view)
    def stored(request, code=None, **kwargs):
        unit, version = _version(request, code)
        key = f"content:public:page:{version}:{_etag(request, code)}"
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
        else:
            response = view(request, unit, **kwargs)
            # Searches are not kept: each is rarely asked twice, and they would push the
            # pages everyone reads out of the cache.
            if response.status_code == 200 and not response.streaming and not _searched(request):
                cache.set(key, (response.content, response["Content-Type"]), PAGE_TIMEOUT)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response

    conditional = condition(etag_func=_etag, last_modified_func=_last_modified)(stored)

    @wraps(view)
    def entry(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        if response.status_code == 304:
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response

    entry = require_safe(entry)
    entry.public_reason = PUBLIC_REASON
    return entry


# --- pages -----------------------------------------------------------------------------------


class BoundedPaginator(Paginator):
    """Counts no further than the last page a visitor may ask for: a national section of a
    million items counts MAX_PAGE pages of rows, not the million (older items are reached by
    kind, topic, search and the feeds)."""

    @cached_property
    def count(self):
        return self.object_list[: self.per_page * selectors.MAX_PAGE].count()


def _page(request, items, size=selectors.PAGE_SIZE):
    paginator = BoundedPaginator(items, size)
    number = min(selectors.page_number(request.GET.get("page")), max(paginator.num_pages, 1))
    return paginator.page(number)


def _ancestors(unit):
    """The units above, root first (the breadcrumb)."""
    chain = path_chain(unit.path)[:-1]
    if not chain:
        return []
    from lantoa.orgs.models import OrgUnit

    return list(OrgUnit.objects.filter(path__in=chain).only("code", "name", "path"))


def _section_context(request, unit, **extra):
    return {
        "unit": unit,
        "ancestors": _ancestors(unit),
        "kinds": ContentKind.choices,
        **extra,
    }


@public(PUBLIC_REASON)
@require_safe
def directory(request):
    """``/u/``: find a unit's section by its name typed with or without diacritics."""
    query = selectors.clean_query(request.GET.get("q"))
    key = "content:public:directory:" + _variant(request)
    hit = cache.get(key)
    if hit is not None:
        response = HttpResponse(hit, content_type="text/html; charset=utf-8")
    else:
        page = _page(request, selectors.directory(query), selectors.DIRECTORY_PAGE_SIZE)
        response = render(
            request,
            "content/public/directory.html",
            {"query": request.GET.get("q", "")[: selectors.MAX_QUERY].strip(), "page": page},
        )
        cache.set(key, response.content, PAGE_TIMEOUT)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _listing(request, unit, *, kind="", tag=None, template="content/public/section.html"):
    query = selectors.clean_query(request.GET.get("q"))
    page = _page(request, selectors.items_in(unit, kind=kind, tag=tag, query=query))
    context = _section_context(
        request,
        unit,
        page=page,
        query=request.GET.get("q", "")[: selectors.MAX_QUERY].strip(),
        kind=kind,
        kind_label=ContentKind(kind).label if kind else "",
        tag=tag,
    )
    if not kind and tag is None and not query:
        context.update(
            tags=list(selectors.section_tags(unit)),
            plans=selectors.plans_in_force(unit),
            subunits=list(selectors.subunits(unit)),
            embed_script=request.build_absolute_uri(reverse("section:embed-js", args=[unit.code])),
            embed_frame=request.build_absolute_uri(reverse("section:embed", args=[unit.code])),
            landing=True,
        )
    return render(request, template, context)


@cached_public
def section(request, unit):
    return _listing(request, unit)


@cached_public
def by_kind(request, unit, kind):
    return _listing(request, unit, kind=selectors.kind(kind))


@cached_public
def by_tag(request, unit, tag):
    return _listing(request, unit, tag=selectors.tag(tag))


@cached_public
def item(request, unit, slug):
    try:
        found = selectors.item(unit, slug)
    except selectors.Gone:
        return render(request, "content/public/gone.html", {"unit": unit}, status=410)
    revision = found.live_revision
    url = request.build_absolute_uri(reverse("section:item", args=[unit.code, found.slug]))
    cover = cover_url(found.cover, "web")
    image = request.build_absolute_uri(cover) if cover else ""
    # Zalo's and Facebook's previews draw the picture at once when its size is given.
    size = (
        found.cover.renditions.filter(spec=cover.rstrip("/").rsplit("/", 1)[-1])
        .values("width", "height", "content_type")
        .first()
        if cover
        else None
    )
    return render(
        request,
        "content/public/item.html",
        _section_context(
            request,
            unit,
            item=found,
            revision=revision,
            # The revision's body was sanitised (nh3) when it was saved: the one trusted HTML.
            body=mark_safe(revision.body),  # noqa: S308
            canonical=url,
            image=image,
            image_size=size,
            related=selectors.related(found),
        ),
    )


# --- feeds -----------------------------------------------------------------------------------


def _feed(request, unit, atom: bool):
    from feedgen.feed import FeedGenerator

    section_url = request.build_absolute_uri(reverse("section:section", args=[unit.code]))
    self_url = request.build_absolute_uri(request.path)
    title = _("NQ57 section of %(unit)s") % {"unit": unit.name}
    items = list(selectors.items_in(unit)[: selectors.FEED_SIZE])
    feed = FeedGenerator()
    feed.id(section_url)
    feed.title(title)
    feed.subtitle(
        _("News and materials on Resolution 57-NQ/TW published by %(unit)s") % {"unit": unit.name}
    )
    feed.author({"name": unit.name})
    feed.link(href=section_url, rel="alternate")
    feed.link(href=self_url, rel="self")
    feed.language(translation.get_language())
    feed.updated(items[0].published_at if items else EPOCH)
    for found in items:
        revision = found.live_revision
        url = request.build_absolute_uri(
            reverse("section:item", args=[found.unit.code, found.slug])
        )
        entry = feed.add_entry(order="append")
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(revision.title)
        entry.link(href=url)
        entry.published(found.first_published_at or found.published_at)
        entry.updated(found.published_at)
        entry.author({"name": found.unit.name})
        entry.summary(revision.summary or revision.title)
        if revision.body:
            entry.content(revision.body, type="html")
        for tag in found.tags.all():
            entry.category(term=tag.slug, label=tag.name)
    if atom:
        return HttpResponse(feed.atom_str(pretty=True), content_type="application/atom+xml")
    return HttpResponse(feed.rss_str(pretty=True), content_type="application/rss+xml")


@cached_public
def feed_atom(request, unit):
    return _feed(request, unit, atom=True)


@cached_public
def feed_rss(request, unit):
    return _feed(request, unit, atom=False)


# --- the embeddable block --------------------------------------------------------------------

EMBED_SIZE = 6


def _embed(request, unit):
    items = list(selectors.items_in(unit)[:EMBED_SIZE])
    return render(request, "content/public/embed.html", {"unit": unit, "items": items})


_embed_cached = cached_public(_embed)


@public(PUBLIC_REASON)
@xframe_options_exempt
def embed(request, code):
    """The compact list a unit's website frames (the only framable page of the section)."""
    response = _embed_cached(request, code)
    response.xframe_options_exempt = True
    return response


@cached_public
def embed_script(request, unit):
    """``<script src=".../u/<code>/embed.js" async></script>``: puts the compact list in a
    frame where the script tag stands, on the unit's own website."""
    frame = request.build_absolute_uri(reverse("section:embed", args=[unit.code]))
    body = render_to_string(
        "content/public/embed.js",
        {"url": frame, "title": _("NQ57 section of %(unit)s") % {"unit": unit.name}},
        request=request,
    )
    return HttpResponse(body, content_type="application/javascript; charset=utf-8")
