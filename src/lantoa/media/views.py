"""Pages of the library: search with facets, upload (duplicates offered instead), an asset's
page with its metadata, usages and history, collections shared down the tree, the picker the
content editor opens, and the files served through the scope (or to anyone once public)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from lantoa.core.views import apply_validation_error
from lantoa.orgs import selectors as org_selectors
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import parse_id, scoped_params
from lantoa.orgs.scoped_views import public, scoped
from lantoa.orgs.scoping import can

from . import files, selectors, services
from .choices import AssetKind, Licence
from .forms import AssetMetadataForm, AssetUploadForm, CollectionCreateForm, CollectionForm
from .models import Asset, Collection

PAGE_SIZE = 24
PICK_SIZE = 30


def _editable_units(user):
    return org_selectors.unit_list(viewer=user, action=Action.EDIT_CONTENT).order_by(
        "depth", "path"
    )


def _can_edit_somewhere(user) -> bool:
    return user.is_superuser or _editable_units(user).exists()


def _asset(request, pk, action: str = Action.VIEW) -> Asset:
    """An asset the viewer sees (own subtree or shared down to it): else 404, the same page
    as a missing one; ``action`` is then checked on the asset's unit (403)."""
    number = parse_id(pk)
    asset = selectors.asset_get(request.user, number) if number else None
    if asset is None:
        raise Http404(_("Not found."))
    if action != Action.VIEW and not can(request.user, action, asset.unit):
        raise PermissionDenied(
            _("You cannot change the library of %(unit)s.") % {"unit": asset.unit}
        )
    return asset


def _collection(request, pk, action: str = Action.VIEW) -> Collection:
    number = parse_id(pk)
    collection = (
        selectors.collections_visible(request.user).filter(pk=number).select_related("unit").first()
        if number
        else None
    )
    if collection is None:
        raise Http404(_("Not found."))
    if action != Action.VIEW and not can(request.user, action, collection.unit):
        raise PermissionDenied(
            _("You cannot change the collections of %(unit)s.") % {"unit": collection.unit}
        )
    return collection


@login_required
def asset_list(request):
    unit = scoped_params(request.GET, request.user, ["unit"]).get("unit")
    assets, applied = selectors.asset_search(viewer=request.user, params=request.GET, unit=unit)
    facets = selectors.asset_facets(assets)
    page = Paginator(
        assets.select_related("unit").prefetch_related("renditions"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "media/asset_list.html",
        {
            "page": page,
            "applied": applied,
            "facets": facets,
            "query": query.urlencode(),
            "kinds": AssetKind.choices,
            "can_upload": _can_edit_somewhere(request.user),
            "withdrawn_in_use": selectors.withdrawn_in_use(request.user)[:20],
        },
    )


def _metadata(data) -> dict:
    return {
        "title": data["title"],
        "description": data["description"],
        "author": data["author"],
        "taken_on": data["taken_on"],
        "place": data["place"],
        "licence": data["licence"],
        "rights": data["rights"],
        "consent": data["consent"],
        "tags": data["tags"],
    }


@login_required
def asset_upload(request):
    units = _editable_units(request.user)
    if not request.user.is_superuser and not units.exists():
        raise PermissionDenied(_("You have no unit whose library you can add to."))
    form = AssetUploadForm(
        request.POST or None, request.FILES or None, units=units, initial={"unit": units.first()}
    )
    existing, candidates = None, []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            asset = services.asset_upload(
                actor=request.user,
                unit=form.cleaned_data["unit"],
                name=upload.name,
                data=upload,
                allow_duplicate=form.cleaned_data["confirm_different"],
                **_metadata(form.cleaned_data),
            )
        except services.DuplicateAsset as duplicate:
            existing = duplicate.existing
            apply_validation_error(form, duplicate)
        except services.PossibleDuplicates as similar:
            candidates = similar.candidates
            apply_validation_error(form, similar)
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error("unit", str(error))
        else:
            messages.success(request, _("File added to the library."))
            return redirect("media:detail", pk=asset.pk)
    return render(
        request,
        "media/asset_upload.html",
        {"form": form, "existing": existing, "candidates": candidates},
    )


@scoped(Asset)
@login_required
def asset_detail(request, pk):
    asset = _asset(request, pk)
    usages = list(selectors.asset_usages(asset))
    can_edit = can(request.user, Action.EDIT_CONTENT, asset.unit)
    collections = (
        selectors.collections_visible(request.user, Action.EDIT_CONTENT)
        .exclude(assets=asset)
        .select_related("unit")[:100]
        if _can_edit_somewhere(request.user)
        else []
    )
    return render(
        request,
        "media/asset_detail.html",
        {
            "asset": asset,
            "usages": usages,
            "is_public": any(u.public for u in usages),
            "withdrawn": asset.licence == Licence.WITHDRAWN,
            "can_edit": can_edit,
            "renditions": {r.spec: r for r in asset.renditions.all()},
            "tags": asset.tags.all(),
            "in_collections": selectors.collections_visible(request.user).filter(assets=asset),
            "collections": collections,
            "history": selectors.asset_history(asset),
        },
    )


@scoped(Asset)
@login_required
def asset_edit(request, pk):
    asset = _asset(request, pk, Action.EDIT_CONTENT)
    initial = {
        "title": asset.title,
        "description": asset.description,
        "author": asset.author,
        "taken_on": asset.taken_on,
        "place": asset.place,
        "licence": asset.licence,
        "rights": asset.rights,
        "consent": asset.consent,
        "tags": ", ".join(t.name for t in asset.tags.all()),
    }
    form = AssetMetadataForm(request.POST or None, initial=initial)
    form.fields["title"].required = True
    form.fields["title"].help_text = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.asset_edit(actor=request.user, asset=asset, **_metadata(form.cleaned_data))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("media:detail", pk=asset.pk)
    return render(request, "media/asset_edit.html", {"form": form, "asset": asset})


@scoped(Asset)
@login_required
def asset_delete(request, pk):
    asset = _asset(request, pk, Action.EDIT_CONTENT)
    error = ""
    if request.method == "POST":
        try:
            services.asset_delete(actor=request.user, asset=asset)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("File deleted from the library."))
            return redirect("media:list")
    return render(
        request,
        "media/asset_delete.html",
        {"asset": asset, "error": error, "usages": selectors.asset_usages(asset)},
    )


@scoped(Asset)
@require_POST
@login_required
def asset_collect(request, pk):
    """Put the asset into one of the collections the viewer edits (``collection`` posted)."""
    asset = _asset(request, pk)
    collection = _collection(request, request.POST.get("collection"), Action.EDIT_CONTENT)
    try:
        services.collection_add(actor=request.user, collection=collection, assets=[asset])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Added to the collection “%(title)s”.") % {"title": collection.title}
        )
    return redirect("media:detail", pk=asset.pk)


# --- collections -----------------------------------------------------------------------------


@login_required
def collection_list(request):
    collections = (
        selectors.collections_visible(request.user)
        .select_related("unit")
        .order_by("unit__path", "title")
    )
    page = Paginator(collections, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "media/collection_list.html",
        {"page": page, "can_create": _can_edit_somewhere(request.user)},
    )


@login_required
def collection_create(request):
    units = _editable_units(request.user)
    if not request.user.is_superuser and not units.exists():
        raise PermissionDenied(_("You have no unit whose library you can add to."))
    form = CollectionCreateForm(request.POST or None, units=units, initial={"unit": units.first()})
    if request.method == "POST" and form.is_valid():
        try:
            collection = services.collection_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error("unit", str(error))
        else:
            messages.success(request, _("Collection created."))
            return redirect("media:collection", pk=collection.pk)
    return render(request, "media/collection_form.html", {"form": form})


@scoped(Collection)
@login_required
def collection_detail(request, pk):
    collection = _collection(request, pk)
    can_edit = can(request.user, Action.EDIT_CONTENT, collection.unit)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(
                _("You cannot change the collections of %(unit)s.") % {"unit": collection.unit}
            )
        added = parse_id(request.POST.get("add"), "add")
        removed = parse_id(request.POST.get("remove"), "remove")
        if added:
            asset = selectors.assets_visible(request.user).filter(pk=added).first()
            if asset is None:
                raise Http404(_("Not found."))
            services.collection_add(actor=request.user, collection=collection, assets=[asset])
            messages.success(
                request, _("Added to the collection “%(title)s”.") % {"title": collection.title}
            )
        elif removed:
            assets = list(collection.assets.filter(pk=removed))
            services.collection_remove(actor=request.user, collection=collection, assets=assets)
            messages.success(request, _("Removed from the collection."))
        return redirect("media:collection", pk=collection.pk)
    assets = collection.assets.live().select_related("unit").prefetch_related("renditions")
    page = Paginator(assets, PAGE_SIZE).get_page(request.GET.get("page"))
    words = selectors.search_words(request.GET.get("q", ""))
    found = []
    if can_edit and words:
        found = selectors.assets_visible(request.user).exclude(collections=collection)
        for word in words:
            found = found.filter(search_folded__contains=word)
        found = found.select_related("unit").prefetch_related("renditions")[:PICK_SIZE]
    return render(
        request,
        "media/collection_detail.html",
        {
            "collection": collection,
            "page": page,
            "can_edit": can_edit,
            "q": " ".join(words),
            "found": found,
        },
    )


@scoped(Collection)
@login_required
def collection_edit(request, pk):
    collection = _collection(request, pk, Action.EDIT_CONTENT)
    form = CollectionForm(
        request.POST or None,
        initial={
            "title": collection.title,
            "description": collection.description,
            "shared_down": collection.shared_down,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.collection_edit(actor=request.user, collection=collection, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("media:collection", pk=collection.pk)
    return render(request, "media/collection_form.html", {"form": form, "collection": collection})


# --- the picker: what the content editor inserts ----------------------------------------------


@require_GET
@login_required
def pick(request):
    """An HTML fragment (HTMX) of the assets the viewer may use, newest first: ``?q=`` (words,
    diacritics optional), ``?kind=``, ``?unit=`` (the unit the item is written for: its
    subtree's assets and those shared down to it). Each ``<li>`` carries ``data-asset-id``,
    ``data-title``, ``data-kind``, ``data-file-url`` and, when made, ``data-thumb-url``,
    ``data-web-url`` and ``data-poster-url``: the editor inserts what it needs."""
    unit = scoped_params(request.GET, request.user, ["unit"]).get("unit")
    if unit is not None:
        assets = selectors.assets_usable(request.user, unit)
    else:
        assets = selectors.assets_visible(request.user, Action.EDIT_CONTENT).exclude(
            licence=Licence.WITHDRAWN
        )
    for word in selectors.search_words(request.GET.get("q", "")):
        assets = assets.filter(search_folded__contains=word)
    kind = request.GET.get("kind", "")
    if kind in AssetKind.values:
        assets = assets.filter(kind=kind)
    rows = []
    for asset in assets.prefetch_related("renditions")[:PICK_SIZE]:
        specs = {r.spec for r in asset.renditions.all()}
        rows.append(
            {
                "asset": asset,
                "file_url": reverse("media:asset-file", args=[asset.pk]),
                "urls": {
                    spec: reverse("media:asset-rendition", args=[asset.pk, spec])
                    for spec in files.SPECS
                    if spec in specs
                },
            }
        )
    return render(request, "media/pick.html", {"rows": rows})


# --- files: through the scope, or to anyone once public ---------------------------------------

INLINE_KINDS = (AssetKind.IMAGE, AssetKind.VIDEO, AssetKind.AUDIO)


def _served(request, pk) -> tuple[Asset, bool]:
    """The asset and whether it is public. Staff who see it get it; anyone else only once a
    usage is public; otherwise a 404, as for a missing one."""
    asset = Asset.objects.live().filter(pk=pk).first()
    if asset is None:
        raise Http404(_("Not found."))
    if selectors.asset_is_public(asset):
        return asset, True
    user = request.user
    if user.is_authenticated and selectors.assets_visible(user).filter(pk=asset.pk).exists():
        return asset, False
    raise Http404(_("Not found."))


def _headers(response, *, etag: str, is_public: bool):
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"
    )
    response["Cache-Control"] = "public, max-age=3600" if is_public else "private, max-age=3600"
    response["Cross-Origin-Resource-Policy"] = "cross-origin" if is_public else "same-origin"
    response["Vary"] = "Cookie"
    return response


def _not_modified(request, etag: str) -> bool:
    sent = request.headers.get("If-None-Match", "")
    return bool(sent) and (sent.strip() == "*" or etag in [t.strip() for t in sent.split(",")])


@public("served to anyone once a published item uses it; otherwise through the viewer's scope")
@require_safe
def asset_file(request, pk):
    asset, is_public = _served(request, pk)
    etag = f'"{asset.sha256[:32]}"'
    if _not_modified(request, etag):
        return _headers(HttpResponseNotModified(), etag=etag, is_public=is_public)
    try:
        handle = asset.file.open("rb")
    except OSError:
        raise Http404(_("Not found.")) from None
    wanted = _byte_range(request.headers.get("Range", ""), asset.size)
    if wanted is not None and asset.shown_inline:
        return _partial(handle, asset, wanted, etag=etag, is_public=is_public)
    name = (asset.original_name or asset.file.name.rsplit("/", 1)[-1]).replace("\r", " ")
    response = FileResponse(
        handle,
        as_attachment=asset.kind not in INLINE_KINDS,
        filename=name.replace("\n", " "),
        content_type=asset.content_type or "application/octet-stream",
    )
    if asset.shown_inline:
        response["Accept-Ranges"] = "bytes"
    return _headers(response, etag=etag, is_public=is_public)


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
RANGE_MAX_BYTES = 8 * 1024 * 1024  # one answer to a Range request: players ask again


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The one byte range a player asks for (``bytes=0-``, ``bytes=100-199``, ``bytes=-500``),
    cut to RANGE_MAX_BYTES; None for none, several or one that cannot be served."""
    match = _RANGE.match(header.strip())
    if not match or size <= 0 or not any(match.groups()):
        return None
    first, last = match.groups()
    if first:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
    else:
        start, end = max(0, size - int(last)), size - 1
    if start > end or start >= size:
        return None
    return start, min(end, start + RANGE_MAX_BYTES - 1)


def _partial(handle, asset: Asset, wanted: tuple[int, int], *, etag: str, is_public: bool):
    """206 Partial Content: what a video or audio player on a phone needs to start and seek."""
    start, end = wanted
    with handle:
        handle.seek(start)
        data = handle.read(end - start + 1)
    response = HttpResponse(data, status=206, content_type=asset.content_type)
    response["Content-Range"] = f"bytes {start}-{start + len(data) - 1}/{asset.size}"
    response["Accept-Ranges"] = "bytes"
    return _headers(response, etag=etag, is_public=is_public)


@public("served to anyone once a published item uses it; otherwise through the viewer's scope")
@require_safe
def asset_rendition(request, pk, spec):
    asset, is_public = _served(request, pk)
    rendition = asset.renditions.filter(spec=spec).first() if spec in files.SPECS else None
    if rendition is None or not rendition.file:
        raise Http404(_("Not found."))
    etag = f'"{asset.sha256[:24]}-{spec}-{rendition.pk}"'
    if _not_modified(request, etag):
        return _headers(HttpResponseNotModified(), etag=etag, is_public=is_public)
    try:
        with rendition.file.open("rb") as handle:
            data = handle.read(20 * 1024 * 1024)
    except OSError:
        raise Http404(_("Not found.")) from None
    response = HttpResponse(data, content_type=rendition.content_type or "image/jpeg")
    response["Content-Disposition"] = f'inline; filename="asset-{asset.pk}-{spec}.jpg"'
    return _headers(response, etag=etag, is_public=is_public)
