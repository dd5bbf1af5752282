"""Writing the library: uploading an asset (checked by size and content before it is read
whole, recognised when it is already there), editing and deleting it, tags, collections shared
down the tree, the renditions made in the background, and the usage API the apps above call
(``usage_set``, ``usage_set_public``, ``usage_clear``)."""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lantoa.core.text import fold
from lantoa.core.uploads import UploadRefused, storage_name, too_large
from lantoa.orgs import public_cache
from lantoa.orgs.audit import acting, audited
from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import require

from . import files, selectors
from .choices import AssetKind, AssetStatus, Consent, Licence
from .models import Asset, AssetUsage, Collection, Rendition, Tag

logger = logging.getLogger(__name__)

MAX_TAGS = 20
MAX_DESCRIPTION = 5000
CHUNK = 1024 * 1024


class DuplicateAsset(ValidationError):
    """The same bytes are already in the library, in an asset the uploader sees: ``existing``
    is offered instead of a second copy."""

    def __init__(self, message, *, existing: Asset):
        super().__init__({"file": message}, code="duplicate")
        self.existing = existing


class PossibleDuplicates(ValidationError):
    """Pictures that look the same (resized, recompressed) are already in the library:
    uploading again needs ``allow_duplicate=True`` (the page's confirmation)."""

    def __init__(self, message, *, candidates: list[Asset]):
        super().__init__({"file": message}, code="near_duplicate")
        self.candidates = candidates


# --- what an upload is, before it is read whole ----------------------------------------------


class _Source:
    """Bytes or a Django ``UploadedFile``, read in bounded chunks."""

    def __init__(self, data):
        self.data = data
        if isinstance(data, (bytes, bytearray, memoryview)):
            self.size = len(data)
        else:
            self.size = getattr(data, "size", None)

    def head(self, n: int) -> bytes:
        if isinstance(self.data, (bytes, bytearray, memoryview)):
            return bytes(self.data[:n])
        self.data.seek(0)
        head = self.data.read(n)
        self.data.seek(0)
        return head

    def chunks(self, limit: int, name: str):
        if isinstance(self.data, (bytes, bytearray, memoryview)):
            if len(self.data) > limit:
                raise too_large(name, limit)
            yield bytes(self.data)
            return
        self.data.seek(0)
        total = 0
        for chunk in self.data.chunks(CHUNK):
            total += len(chunk)
            if total > limit:  # the recorded size was wrong
                raise too_large(name, limit)
            yield chunk

    def seekable(self):
        """A file object over the upload, for a reader that seeks (a zip's directory)."""
        if isinstance(self.data, (bytes, bytearray, memoryview)):
            return io.BytesIO(self.data)
        self.data.seek(0)
        return self.data

    def content(self, data: bytes | None):
        if data is not None:
            return ContentFile(data)
        if isinstance(self.data, (bytes, bytearray, memoryview)):
            return ContentFile(bytes(self.data))
        self.data.seek(0)
        return File(self.data)


def _refused(refusal: UploadRefused) -> ValidationError:
    return ValidationError({"file": refusal.message}, code=refusal.code)


@dataclass
class Inspected:
    detected: files.Detected
    sha256: str
    size: int
    data: bytes | None  # kept in memory for images only; other kinds are streamed
    image: files.ImageFacts | None = None


def asset_inspect(*, name: str, data) -> Inspected:
    """Size, kind, digest and (for an image) pixels, hash and embedded metadata of an upload;
    ValidationError on the ``file`` field for anything refused. The recorded size is checked
    against the largest limit, then the kind's, before a byte past the head is read."""
    source = _Source(data)
    name = (name or "").strip() or _("The file")
    try:
        largest = files.largest_limit()
        if source.size is None or source.size > largest:
            raise too_large(name, largest)
        if source.size == 0:
            raise UploadRefused(_("“%(name)s” is empty.") % {"name": name}, "empty")
        fmt = files.sniff_format(source.head(files.HEAD_BYTES))
        if fmt == "zip":
            # an Office package is told from its central directory, read in place
            fmt = files.package_format(source.seekable())
        detected = files.detect(name, fmt)
        limit = files.limit_for(detected.kind)
        if source.size > limit:
            raise files.too_large_for_kind(name, detected.kind, limit)
        digest = hashlib.sha256()
        keep = detected.kind == AssetKind.IMAGE  # decoded for its hash: at most 30 MB
        parts = []
        for chunk in source.chunks(limit, name):
            digest.update(chunk)
            if keep:
                parts.append(chunk)
        data_bytes = b"".join(parts) if keep else None
        image = files.image_facts(data_bytes, name) if detected.kind == AssetKind.IMAGE else None
    except UploadRefused as refusal:
        raise _refused(refusal) from refusal
    return Inspected(
        detected=detected,
        sha256=digest.hexdigest(),
        size=source.size,
        data=data_bytes,
        image=image,
    )


# --- tags ------------------------------------------------------------------------------------


def tag_names(text: str) -> list[str]:
    """The tags typed in one box, separated by commas or semicolons."""
    return [part for part in (p.strip() for p in (text or "").replace(";", ",").split(",")) if part]


def tags_resolve(names: Iterable[str]) -> list[Tag]:
    """The tags named, found by their folded name ("chuyen doi so" is "Chuyển đổi số"),
    created when new."""
    tags: list[Tag] = []
    seen: set[str] = set()
    for raw in names:
        name = " ".join(str(raw).split())[:80]
        folded = fold(name)
        if not folded or folded in seen:
            continue
        seen.add(folded)
        tag = Tag.objects.filter(name_folded=folded).first()
        if tag is None:
            base = slugify(folded)[:80] or "the"
            slug, n = base, 1
            while Tag.objects.filter(slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
            tag = Tag.objects.create(name=name, slug=slug, name_folded=folded)
        tags.append(tag)
    return tags


def _search_text(asset: Asset, tags: Iterable[Tag]) -> str:
    parts = [asset.title, asset.description, asset.author, asset.place, asset.original_name]
    parts += [tag.name for tag in tags]
    return fold(" ".join(p for p in parts if p))


# --- metadata checks -------------------------------------------------------------------------


def _clean_metadata(
    *,
    title: str,
    description: str,
    author: str,
    taken_on,
    place: str,
    licence: str,
    rights: str,
    consent: str,
    tags,
) -> dict:
    errors: dict[str, str] = {}
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = _("Give the file a title.")
    elif len(title) > 255:
        errors["title"] = _("The title is too long: at most 255 characters.")
    for field, value, limit in (
        ("author", author, 255),
        ("place", place, 255),
        ("rights", rights, 500),
        ("description", description, MAX_DESCRIPTION),
    ):
        if len(value or "") > limit:
            errors[field] = _("Too long: at most %(n)d characters.") % {"n": limit}
    if licence not in Licence.values:
        errors["licence"] = _("Choose the licence under which the file may be used.")
    if consent not in Consent.values:
        errors["consent"] = _("Say whether the people shown agreed.")
    if taken_on is not None:
        if not isinstance(taken_on, datetime.date):
            errors["taken_on"] = _("Enter a valid date.")
        elif taken_on > timezone.localdate():
            errors["taken_on"] = _("The date is in the future.")
    tag_list = tag_names(tags) if isinstance(tags, str) else [str(t) for t in tags or ()]
    if len(tag_list) > MAX_TAGS:
        errors["tags"] = _("At most %(n)d tags.") % {"n": MAX_TAGS}
    elif any(len(t) > 80 for t in tag_list):
        errors["tags"] = _("A tag is too long: at most 80 characters.")
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "description": (description or "").strip(),
        "author": " ".join((author or "").split()),
        "taken_on": taken_on,
        "place": " ".join((place or "").split()),
        "licence": licence,
        "rights": " ".join((rights or "").split()),
        "consent": consent,
        "tags": tag_list,
    }


def _visible_to(actor):
    """What ``actor`` sees of the library; the system (None: commands, the demo) sees all."""
    return Asset.objects.live() if actor is None else selectors.assets_visible(actor)


# --- upload, edit, delete --------------------------------------------------------------------


def _may_edit(actor, unit: OrgUnit) -> None:
    require(
        actor,
        Action.EDIT_CONTENT,
        unit,
        _("You cannot change the library of %(unit)s.") % {"unit": unit},
    )


def _title_from_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rpartition(".")[0] or base
    return " ".join(stem.replace("_", " ").replace("-", " ").split())[:255]


@audited
def asset_upload(
    *,
    actor,
    unit: OrgUnit,
    name: str,
    data,
    title: str = "",
    description: str = "",
    author: str = "",
    taken_on: datetime.date | None = None,
    place: str = "",
    licence: str,
    rights: str = "",
    consent: str = Consent.NOT_NEEDED,
    tags: Iterable[str] | str = (),
    allow_duplicate: bool = False,
) -> Asset:
    """Add a file to ``unit``'s library. ``data`` is the bytes or a Django ``UploadedFile``
    (streamed, never read whole for a video). Fields left empty are filled from the picture's
    EXIF/IPTC. Raises :class:`DuplicateAsset` when the same bytes are already in an asset the
    actor sees, :class:`PossibleDuplicates` when pictures look the same (unless
    ``allow_duplicate``), ValidationError for anything refused; nothing is saved then. The
    renditions are made in the background (``tasks.asset_process``)."""
    _may_edit(actor, unit)
    if licence == Licence.WITHDRAWN:
        raise ValidationError(
            {"licence": _("A file is added under a licence in force: choose its licence.")}
        )
    inspected = asset_inspect(name=name, data=data)
    prefill = inspected.image.prefill if inspected.image else {}
    tag_list = tag_names(tags) if isinstance(tags, str) else [str(t) for t in tags or ()]
    fields = _clean_metadata(
        title=title or prefill.get("title") or _title_from_name(name),
        description=description or prefill.get("description", ""),
        author=author or prefill.get("author", "")[:255],
        taken_on=taken_on or prefill.get("taken_on"),
        place=place or prefill.get("place", "")[:255],
        licence=licence,
        rights=rights or prefill.get("rights", "")[:500],
        consent=consent,
        tags=tag_list or prefill.get("tags", []),
    )
    existing = _visible_to(actor).filter(sha256=inspected.sha256).first()
    if existing is not None:
        raise DuplicateAsset(
            _(
                "This file is already in the library as “%(title)s” (%(unit)s): use it "
                "instead of a second copy."
            )
            % {"title": existing.title, "unit": existing.unit},
            existing=existing,
        )
    image = inspected.image
    if image is not None and not allow_duplicate:
        candidates = selectors.near_duplicates(viewer=actor, phash=image.phash)
        if candidates:
            raise PossibleDuplicates(
                ngettext(
                    "A picture that looks the same is already in the library. Use it, or "
                    "confirm that this one is different.",
                    "%(n)d pictures that look the same are already in the library. Use one "
                    "of them, or confirm that this one is different.",
                    len(candidates),
                )
                % {"n": len(candidates)},
                candidates=candidates,
            )
    detected = inspected.detected
    asset = Asset(
        unit=unit,
        kind=detected.kind,
        status=AssetStatus.PROCESSING
        if detected.kind in (AssetKind.IMAGE, AssetKind.VIDEO, AssetKind.AUDIO)
        or detected.format == "pdf"
        else AssetStatus.READY,
        title=fields["title"],
        title_folded=fold(fields["title"]),
        description=fields["description"],
        author=fields["author"],
        taken_on=fields["taken_on"],
        place=fields["place"],
        licence=fields["licence"],
        rights=fields["rights"],
        consent=fields["consent"],
        original_name=(name or "")[:255],
        content_type=detected.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        metadata=image.metadata if image else {},
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if image is not None:
        asset.width, asset.height, asset.phash = image.width, image.height, image.phash
        (asset.phash_band0, asset.phash_band1, asset.phash_band2, asset.phash_band3) = (
            files.phash_bands(image.phash)
        )
    stored = storage_name(f"{_title_from_name(name) or 'tep'}{detected.extension}", "library")
    asset.file.save(stored, _Source(data).content(inspected.data), save=False)
    try:
        with transaction.atomic():
            tag_objects = tags_resolve(fields["tags"])
            asset.search_folded = _search_text(asset, tag_objects)
            asset.save()
            asset.tags.set(tag_objects)
            if asset.status == AssetStatus.PROCESSING:
                from .tasks import asset_process

                transaction.on_commit(lambda: asset_process.enqueue(asset.pk))
    except Exception:
        asset.file.storage.delete(asset.file.name)
        raise
    return asset


@audited
@transaction.atomic
def asset_edit(
    *,
    actor,
    asset: Asset,
    title: str,
    description: str = "",
    author: str = "",
    taken_on: datetime.date | None = None,
    place: str = "",
    licence: str,
    rights: str = "",
    consent: str,
    tags: Iterable[str] | str = (),
) -> Asset:
    _may_edit(actor, asset.unit)
    if asset.deleted_at is not None:
        raise ValidationError(_("This file was deleted from the library."))
    fields = _clean_metadata(
        title=title,
        description=description,
        author=author,
        taken_on=taken_on,
        place=place,
        licence=licence,
        rights=rights,
        consent=consent,
        tags=tags,
    )
    tag_objects = tags_resolve(fields.pop("tags"))
    for key, value in fields.items():
        setattr(asset, key, value)
    asset.title_folded = fold(asset.title)
    asset.search_folded = _search_text(asset, tag_objects)
    asset.save()
    asset.tags.set(tag_objects)
    return asset


def _places(usages) -> str:
    names = [u.label or f"{u.owner} #{u.owner_id}" for u in usages[:5]]
    text = ", ".join(f"“{n}”" for n in names)
    more = len(usages) - len(names)
    if more > 0:
        text += " " + ngettext("and %(n)d more", "and %(n)d more", more) % {"n": more}
    return text


@audited
@transaction.atomic
def asset_delete(*, actor, asset: Asset) -> Asset:
    """Take an asset out of the library (kept, marked deleted); refused while it is used."""
    _may_edit(actor, asset.unit)
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    usages = list(selectors.asset_usages(asset))
    if usages:
        raise ValidationError(
            _("This file is used by %(places)s: remove it from there before deleting it.")
            % {"places": _places(usages)},
            code="in_use",
        )
    if asset.deleted_at is None:
        asset.deleted_at = timezone.now()
        asset.save(update_fields=["deleted_at", "updated_at"])
    return asset


# --- renditions, in the background -----------------------------------------------------------


def _save_rendition(asset: Asset, spec: str, data: bytes, width: int, height: int) -> None:
    old = Rendition.objects.filter(asset=asset, spec=spec).first()
    if old is not None:
        old.file.delete(save=False)
        old.delete()
    rendition = Rendition(
        asset=asset, spec=spec, width=width, height=height, content_type="image/jpeg"
    )
    rendition.file.save(f"asset-{asset.pk}-{spec}.jpg", ContentFile(data), save=False)
    rendition.save()


def _local_copy(asset: Asset, folder: str) -> Path:
    """A path ffmpeg can read: the stored file itself, or a bounded copy of it."""
    try:
        return Path(asset.file.path)
    except (NotImplementedError, ValueError):
        pass
    target = Path(folder) / f"source{Path(asset.file.name).suffix}"
    limit = files.limit_for(asset.kind)
    total = 0
    with asset.file.open("rb") as handle, target.open("wb") as out:
        while chunk := handle.read(CHUNK):
            total += len(chunk)
            if total > limit:
                raise files.ToolFailed("stored file larger than its limit")
            out.write(chunk)
    return target


def _pdf_previews(asset: Asset) -> None:
    """A PDF's first page as its thumb and web renditions; a PDF Poppler cannot draw stays
    usable without them (it is still a document to download)."""
    with tempfile.TemporaryDirectory() as folder:
        try:
            path = _local_copy(asset, folder)
            for spec, box in files.RENDITION_BOXES.items():
                page = files.pdf_first_page(path, box)
                _save_rendition(asset, spec, *files.image_rendition(page, box))
        except (files.ToolFailed, UploadRefused, OSError) as exc:
            logger.info("no preview for PDF asset %s: %s", asset.pk, exc)


def asset_process(asset: Asset) -> Asset:
    """Make an asset's renditions (thumb and web sizes of a picture; the poster frame, its
    thumb and the duration of a video; the duration of audio): READY, or FAILED with the
    reason in its metadata. Run by ``tasks.asset_process``; the system acts."""
    try:
        if asset.kind == AssetKind.IMAGE:
            with asset.file.open("rb") as handle:
                data = handle.read(files.limit_for(AssetKind.IMAGE) + 1)
            for spec, box in files.RENDITION_BOXES.items():
                _save_rendition(asset, spec, *files.image_rendition(data, box))
        elif asset.kind in (AssetKind.VIDEO, AssetKind.AUDIO):
            with tempfile.TemporaryDirectory() as folder:
                path = _local_copy(asset, folder)
                facts = files.probe(path)
                asset.duration = facts["duration"]
                asset.metadata = {**(asset.metadata or {}), "media": facts["tags"]}
                if asset.kind == AssetKind.VIDEO:
                    if not facts["has_video"]:
                        raise files.ToolFailed("no video stream")
                    asset.width, asset.height = facts["width"], facts["height"]
                    poster = files.poster_frame(path, facts["duration"])
                    for spec, box in (("poster", files.POSTER_BOX), ("thumb", 320)):
                        _save_rendition(asset, spec, *files.image_rendition(poster, box))
                elif not facts["has_audio"]:
                    raise files.ToolFailed("no audio stream")
        elif asset.content_type == files.FORMATS["pdf"][1]:
            _pdf_previews(asset)
        asset.status = AssetStatus.READY
    except (OSError, UploadRefused, files.ToolFailed, ValueError) as exc:
        logger.warning("asset %s could not be processed: %s", asset.pk, exc)
        asset.status = AssetStatus.FAILED
        asset.metadata = {**(asset.metadata or {}), "failure": str(exc)[:500]}
    asset.save(update_fields=["status", "duration", "width", "height", "metadata", "updated_at"])
    if asset.status == AssetStatus.READY:
        _public_pages_stale(asset)
    return asset


def _public_pages_stale(asset: Asset) -> None:
    """The asset's renditions are ready: the public pages of the units that publish it (a
    cover, a picture in a text) were cached without them and are rebuilt on their next
    request."""
    units = list(
        OrgUnit.objects.filter(
            pk__in=AssetUsage.objects.filter(asset=asset, public=True, unit__isnull=False)
            .values("unit_id")
            .distinct()
        )
    )
    for unit in units:
        public_cache.bump(unit)
        transaction.on_commit(lambda unit=unit: public_cache.bump(unit))


# --- collections -----------------------------------------------------------------------------


def _clean_collection(title: str, description: str) -> tuple[str, str]:
    title = " ".join((title or "").split())
    errors = {}
    if not title:
        errors["title"] = _("Give the collection a title.")
    elif len(title) > 255:
        errors["title"] = _("The title is too long: at most 255 characters.")
    if len(description or "") > MAX_DESCRIPTION:
        errors["description"] = _("Too long: at most %(n)d characters.") % {"n": MAX_DESCRIPTION}
    if errors:
        raise ValidationError(errors)
    return title, (description or "").strip()


@audited
@transaction.atomic
def collection_create(
    *, actor, unit: OrgUnit, title: str, description: str = "", shared_down: bool = False
) -> Collection:
    _may_edit(actor, unit)
    title, description = _clean_collection(title, description)
    return Collection.objects.create(
        unit=unit, title=title, description=description, shared_down=bool(shared_down)
    )


@audited
@transaction.atomic
def collection_edit(
    *, actor, collection: Collection, title: str, description: str = "", shared_down: bool
) -> Collection:
    _may_edit(actor, collection.unit)
    collection.title, collection.description = _clean_collection(title, description)
    collection.shared_down = bool(shared_down)
    collection.save()
    return collection


@audited
@transaction.atomic
def collection_add(*, actor, collection: Collection, assets: Iterable[Asset]) -> Collection:
    """Put assets the actor sees into a collection of a unit they edit for."""
    _may_edit(actor, collection.unit)
    wanted = {a.pk for a in assets}
    visible = set(_visible_to(actor).filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - visible:
        raise ValidationError(_("A chosen file is not in the library you can see."))
    collection.assets.add(*visible)
    return collection


@audited
@transaction.atomic
def collection_remove(*, actor, collection: Collection, assets: Iterable[Asset]) -> Collection:
    _may_edit(actor, collection.unit)
    collection.assets.remove(*[a.pk for a in assets])
    return collection


# --- the usage API: what the apps above record of their use of an asset -----------------------


def _owner(owner: str, owner_id) -> tuple[str, int]:
    if not owner or len(owner) > 40 or "." not in owner:
        raise ValueError(f"owner must be an 'app.model' label, not {owner!r}")
    owner_id = int(owner_id)
    if owner_id <= 0:
        raise ValueError("owner_id must be a positive id")
    return owner, owner_id


@transaction.atomic
def usage_set(
    *,
    owner: str,
    owner_id: int,
    assets: Iterable[Asset | int],
    label: str = "",
    public: bool = False,
    unit=None,
    actor=None,
) -> list[AssetUsage]:
    """Make ``assets`` the whole set the owner (``"content.item"``, its id) uses: usages of
    other assets are removed, new ones created, kept ones relabelled. A deleted asset, or a
    newly used one whose licence was withdrawn, is refused (nothing changes). ``unit`` is the
    owner's unit: whose public pages show the assets (rebuilt when their renditions are made)."""
    owner, owner_id = _owner(owner, owner_id)
    ids = list(dict.fromkeys(a.pk if isinstance(a, Asset) else int(a) for a in assets))
    label = " ".join((label or "").split())[:255]
    with acting(actor):
        found = {a.pk: a for a in Asset.objects.filter(pk__in=ids)}
        current = {u.asset_id: u for u in AssetUsage.objects.filter(owner=owner, owner_id=owner_id)}
        for pk in ids:
            asset = found.get(pk)
            if asset is None or asset.deleted_at is not None:
                raise ValidationError(_("A chosen file is no longer in the library."))
            if pk not in current and asset.licence == Licence.WITHDRAWN:
                raise ValidationError(
                    _("“%(title)s” has its licence withdrawn: it can no longer be used.")
                    % {"title": asset.title}
                )
        for pk, usage in current.items():
            if pk not in found:
                usage.delete()
        kept = []
        for pk in ids:
            usage = current.get(pk)
            if usage is None:
                usage = AssetUsage.objects.create(
                    asset_id=pk,
                    owner=owner,
                    owner_id=owner_id,
                    label=label,
                    public=public,
                    unit=unit,
                )
            elif (
                usage.label != label
                or usage.public != public
                or (unit is not None and usage.unit_id != unit.pk)
            ):
                usage.label, usage.public = label, public
                if unit is not None:
                    usage.unit = unit
                usage.save(update_fields=["label", "public", "unit"])
            kept.append(usage)
    return kept


@transaction.atomic
def usage_set_public(*, owner: str, owner_id: int, public: bool, actor=None) -> int:
    """The owner was published (``public``) or withdrawn: its assets are served to anyone,
    or again only to staff. Returns how many usages changed."""
    owner, owner_id = _owner(owner, owner_id)
    changed = 0
    with acting(actor):
        for usage in AssetUsage.objects.filter(owner=owner, owner_id=owner_id).exclude(
            public=public
        ):
            usage.public = public
            usage.save(update_fields=["public"])
            changed += 1
    return changed


@transaction.atomic
def usage_clear(*, owner: str, owner_id: int, actor=None) -> int:
    """The owner is gone or uses no asset any more."""
    owner, owner_id = _owner(owner, owner_id)
    removed = 0
    with acting(actor):
        for usage in AssetUsage.objects.filter(owner=owner, owner_id=owner_id):
            usage.delete()
            removed += 1
    return removed
