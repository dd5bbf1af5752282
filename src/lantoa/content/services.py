"""Writing, reviewing and (the content side of) publishing items; campaigns; desk settings.

Every function takes ``actor=`` (a person; content is always somebody's), checks everything
before writing, runs in one transaction and is audited (django-auditlog records each row it
saves, with the actor).

The states of an item
---------------------
An item has a **working copy** (``latest_revision``) and, once published, a **live revision**
(``live_revision``): the only one the public section reads. The two are tracked apart so that
the public never sees an unapproved revision:

- An item never published (or expired, or withdrawn) has ``status`` = the working copy's
  state: DRAFT → IN_REVIEW → APPROVED (→ SCHEDULED) → PUBLISHED.
- A PUBLISHED item **keeps** ``status`` = PUBLISHED (so ``ContentItem.objects.public()`` and
  every public page go on showing the live revision) while its changes are prepared: saving it
  sets ``draft_status`` = DRAFT and the changes go through the same review in
  ``draft_status`` (IN_REVIEW, APPROVED, SCHEDULED). Publishing them points ``live_revision``
  at the approved revision and clears ``draft_status``. :func:`workflow_status` is the working
  copy's state in both cases; the desk shows it.
- The item's other fields (kind, cover, tags, tasks, campaigns, document number and date) are
  saved with each revision (``Revision.meta``). On an item that is not published they are
  also the item's fields at once; on a published item the item keeps the live values (the
  public sees the approved cover and tags only) until the changes go live. ``item.title`` is
  always the working copy's (for the desk's lists); the public reads ``live_revision``.

Review: one or two steps (``DeskSettings.review_steps`` of the item's unit). The reviewer is
never the author of the revision under review nor the item's creator; the second step's
reviewer is not the first step's. Returning the item (with a comment, required) takes it back
to DRAFT; approving at the last step makes it APPROVED, or SCHEDULED when ``go_live_at`` is in
the future. Saving an item in review takes it back to DRAFT: the review was of another text.

Publishing is a use case of several apps (the evidence, the assistant, the channels): it is
``portal.publishing``; this module only keeps the content's side (:func:`item_mark_published`,
:func:`item_mark_unpublished`), refusing anything not approved, and bumps the public cache.

Two people saving the same draft: each save names the ``version`` it was edited from; the
second is refused (``code="stale"``) and its page keeps the text typed.
"""

from __future__ import annotations

import datetime
import difflib
import html as html_lib

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lantoa.core.text import fold
from lantoa.media import selectors as media_selectors
from lantoa.media import services as media_services
from lantoa.media.choices import AssetKind
from lantoa.media.models import Asset, Tag
from lantoa.orgs import public_cache
from lantoa.orgs.audit import acting
from lantoa.orgs.choices import Action, NotificationKind
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.notifications import notify, people_of
from lantoa.orgs.scoping import require
from lantoa.plans.models import Task

from .choices import ContentKind, ContentStatus, ReviewDecision
from .html import asset_ids, clean_body, plain_text
from .models import Campaign, Comment, ContentItem, DeskSettings, Review, Revision
from .public_urls import RESERVED_SLUGS

MAX_SUMMARY = 2000
MAX_COMMENT = 4000
MAX_TAGS = 20
WORKING_STATES = (
    ContentStatus.DRAFT,
    ContentStatus.IN_REVIEW,
    ContentStatus.APPROVED,
    ContentStatus.SCHEDULED,
)
USAGE_OWNER = "content.item"
DRAFT_USAGE_OWNER = "content.item.draft"


# -- states -------------------------------------------------------------------------------


def workflow_status(item: ContentItem) -> str:
    """The working copy's state: ``draft_status`` while a published item has changes, else
    ``status``."""
    if item.status == ContentStatus.PUBLISHED and item.draft_status:
        return item.draft_status
    return item.status


def has_pending_changes(item: ContentItem) -> bool:
    return item.status == ContentStatus.PUBLISHED and bool(item.draft_status)


def _set_workflow(item: ContentItem, state: str) -> None:
    if item.status == ContentStatus.PUBLISHED:
        item.draft_status = "" if state == ContentStatus.PUBLISHED else state
    else:
        item.status = state
        item.draft_status = ""


def review_steps(unit: OrgUnit) -> int:
    settings = DeskSettings.objects.filter(unit=unit).first()
    return settings.review_steps if settings else 1


def _require_person(actor) -> None:
    if getattr(actor, "pk", None) is None:
        raise ValidationError(_("Content is written and reviewed by a person: sign in first."))


# -- checks -------------------------------------------------------------------------------


def _allow(actor, action: str, unit: OrgUnit, message: str, *, person: bool = True) -> None:
    """``actor`` (a person, when ``person``) may do ``action`` in ``unit``; else ``message``
    (naming ``%(unit)s``) is the refusal."""
    if person:
        _require_person(actor)
    require(actor, action, unit, message % {"unit": unit})


def tasks_for_unit(unit: OrgUnit):
    """The plan tasks an item of ``unit`` may serve: those of the plans in force issued by the
    unit or by one of its ancestors."""
    return Task.objects.in_force().filter(plan__unit__path__in=unit.chain_paths)


def campaigns_for_unit(unit: OrgUnit):
    """The campaigns an item of ``unit`` may join: its own and its ancestors'."""
    return Campaign.objects.filter(unit__path__in=unit.chain_paths)


def _tags(tags) -> list[Tag]:
    """Tags given as Tag objects or names; a new name becomes a tag shared with the library."""
    found: list[Tag] = []
    for tag in list(tags or [])[: MAX_TAGS + 1]:
        if isinstance(tag, Tag):
            found.append(tag)
            continue
        name = " ".join(str(tag).split())[:80]
        slug = slugify(fold(name))[:90]
        if not slug:
            continue
        existing = Tag.objects.filter(slug=slug).first()
        found.append(existing or Tag(name=name, slug=slug, name_folded=fold(name)[:80]))
    unique: dict[str, Tag] = {}
    for tag in found:
        unique.setdefault(tag.slug, tag)
    return list(unique.values())


def _check(
    *,
    unit: OrgUnit,
    kind: str,
    title: str,
    summary: str,
    body: str,
    tasks,
    campaigns,
    tags,
    cover,
    document_number: str,
    document_date,
    allowed_assets: set[int] = frozenset(),
) -> dict:
    """Every check of an item's fields at once: the cleaned fields, or a ValidationError
    naming each wrong field."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if kind not in ContentKind.values:
        add("kind", _("Choose a kind of content."))
    title = " ".join((title or "").split())
    if not title:
        add("title", _("Enter a title."))
    elif len(title) > 255:
        add("title", _("The title is too long: at most 255 characters."))
    summary = (summary or "").strip()
    if len(summary) > MAX_SUMMARY:
        add("summary", _("The summary is too long: at most 2,000 characters."))
    try:
        body = clean_body(body or "")
    except ValidationError as error:
        for message in error.message_dict.get("body", error.messages):
            add("body", message)
        body = ""
    tasks = list(tasks or [])
    if tasks:
        allowed = set(tasks_for_unit(unit).values_list("pk", flat=True))
        if any(task.pk not in allowed for task in tasks):
            add("tasks", _("A chosen task is not in a plan in force that binds this unit."))
    campaigns = list(campaigns or [])
    if campaigns:
        allowed = set(campaigns_for_unit(unit).values_list("pk", flat=True))
        if any(campaign.pk not in allowed for campaign in campaigns):
            add("campaigns", _("A chosen campaign is not this unit's or a unit's above it."))
    tags = _tags(tags)
    if len(tags) > MAX_TAGS:
        add("tags", _("At most %(n)d tags.") % {"n": MAX_TAGS})
    used = asset_ids(body)
    usable = media_selectors.assets_of_unit(unit)
    if cover is not None:
        if cover.kind != AssetKind.IMAGE:
            add("cover", _("The cover must be an image from the library."))
        elif cover.pk not in allowed_assets and not usable.filter(pk=cover.pk).exists():
            add("cover", _("This image is not in a library this unit may use."))
    body_assets = list(Asset.objects.filter(pk__in=used))
    missing = set(used) - {a.pk for a in body_assets}
    foreign = {a.pk for a in body_assets} - set(allowed_assets)
    if foreign:
        foreign -= set(usable.filter(pk__in=foreign).values_list("pk", flat=True))
    if missing or foreign:
        add("body", _("An image or file in the text is not in a library this unit may use."))
    document_number = " ".join((document_number or "").split())[:64]
    if kind == ContentKind.DIRECTIVE:
        if not document_number:
            add("document_number", _("Enter the directive document's number."))
        if document_date is None:
            add("document_date", _("Enter the directive document's date."))
        elif document_date > timezone.localdate():
            add("document_date", _("The document's date is in the future."))
    else:
        document_number, document_date = "", None
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "title": title,
        "summary": summary,
        "body": body,
        "tasks": tasks,
        "campaigns": campaigns,
        "tags": tags,
        "cover": cover,
        "document_number": document_number,
        "document_date": document_date,
        "assets": ([cover] if cover is not None else []) + body_assets,
    }


def _meta(data: dict) -> dict:
    return {
        "kind": data["kind"],
        "cover": data["cover"].pk if data["cover"] is not None else None,
        "tags": [t.pk for t in data["tags"]],
        "tasks": [t.pk for t in data["tasks"]],
        "campaigns": [c.pk for c in data["campaigns"]],
        "document_number": data["document_number"],
        "document_date": data["document_date"].isoformat() if data["document_date"] else None,
    }


def _apply_meta(item: ContentItem, meta: dict) -> None:
    """Set the item's own fields from a revision's ``meta`` (the item is saved by the caller;
    the many-to-many fields are set here, the item having a pk)."""
    if not meta:
        return
    item.kind = meta.get("kind") or item.kind
    item.cover_id = meta.get("cover")
    item.document_number = meta.get("document_number") or ""
    date = meta.get("document_date")
    item.document_date = datetime.date.fromisoformat(date) if date else None
    item.tags.set(Tag.objects.filter(pk__in=meta.get("tags") or []))
    item.tasks.set(Task.objects.filter(pk__in=meta.get("tasks") or []))
    item.campaigns.set(Campaign.objects.filter(pk__in=meta.get("campaigns") or []))


def working_copy(item: ContentItem) -> dict:
    """The working copy as the editor shows it: the latest revision's text and fields."""
    revision = item.latest_revision
    meta = revision.meta if revision is not None and revision.meta else {}
    date = meta.get("document_date")
    return {
        "kind": meta.get("kind", item.kind),
        "title": revision.title if revision else item.title,
        "summary": revision.summary if revision else "",
        "body": revision.body if revision else "",
        "cover": meta.get("cover", item.cover_id),
        "tags": Tag.objects.filter(pk__in=meta.get("tags", [])) if meta else item.tags.all(),
        "tasks": meta.get("tasks", []) if meta else [t.pk for t in item.tasks.all()],
        "campaigns": meta.get("campaigns", []) if meta else [c.pk for c in item.campaigns.all()],
        "document_number": meta.get("document_number", item.document_number),
        "document_date": datetime.date.fromisoformat(date) if date else item.document_date,
    }


def _unique_slug(unit: OrgUnit, title: str, exclude_pk=None) -> str:
    base = slugify(fold(title))[:100].strip("-") or "bai-viet"
    taken = (
        set(
            ContentItem.objects.filter(unit=unit, slug__startswith=base)
            .exclude(pk=exclude_pk)
            .values_list("slug", flat=True)
        )
        | RESERVED_SLUGS
    )  # the public section's own words (``embed``, ``loai``...) come first
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _save_tags(tags: list[Tag]) -> list[Tag]:
    saved = []
    for tag in tags:
        if tag.pk is None:
            tag, _created = Tag.objects.get_or_create(
                slug=tag.slug, defaults={"name": tag.name, "name_folded": tag.name_folded}
            )
        saved.append(tag)
    return saved


def _new_revision(item: ContentItem, actor, data: dict, meta: dict | None = None) -> Revision:
    """The item's next revision from the cleaned ``data``; ``meta`` (the item's own fields)
    made from ``data`` unless given (a revert copies the earlier revision's)."""
    number = (item.revisions.order_by("-number").values_list("number", flat=True).first()) or 0
    revision = Revision.objects.create(
        item=item,
        number=number + 1,
        title=data["title"],
        summary=data["summary"],
        body=data["body"],
        author=actor,
        meta=_meta(data) if meta is None else meta,
    )
    revision.assets.set(data["assets"])
    return revision


def _media_usages(item: ContentItem, actor=None) -> None:
    """Tell the library which assets the item uses: the live revision's (public while the item
    is published) as ``content.item``, the working copy's others as ``content.item.draft``
    (never public), so an asset in use is not deleted and only published ones are served to
    anyone. The library refuses a newly used asset whose licence was withdrawn."""
    published = item.status == ContentStatus.PUBLISHED and item.live_revision_id is not None
    live = list(item.live_revision.assets.all()) if item.live_revision_id else []
    latest = list(item.latest_revision.assets.all()) if item.latest_revision_id else []
    if published:
        live_ids = {a.pk for a in live}
        used, draft = live, [a for a in latest if a.pk not in live_ids]
    else:
        used, draft = latest, []
    for owner, assets, public in (
        (USAGE_OWNER, used, published),
        (DRAFT_USAGE_OWNER, draft, False),
    ):
        media_services.usage_set(
            owner=owner,
            owner_id=item.pk,
            assets=assets,
            label=item.title[:255],
            public=public,
            unit=item.unit,
            actor=actor,
        )


def _lock(item: ContentItem) -> ContentItem:
    return ContentItem.objects.select_for_update().select_related("unit").get(pk=item.pk)


# -- writing ------------------------------------------------------------------------------


@transaction.atomic
def item_create(
    *,
    actor,
    unit: OrgUnit,
    kind: str,
    title: str,
    summary: str = "",
    body: str = "",
    tasks=(),
    campaigns=(),
    tags=(),
    cover: Asset | None = None,
    document_number: str = "",
    document_date: datetime.date | None = None,
) -> ContentItem:
    """A new item of ``unit`` in DRAFT, with its revision 1."""
    _allow(actor, Action.EDIT_CONTENT, unit, _("You cannot write content for %(unit)s."))
    data = _check(
        unit=unit,
        kind=kind,
        title=title,
        summary=summary,
        body=body,
        tasks=tasks,
        campaigns=campaigns,
        tags=tags,
        cover=cover,
        document_number=document_number,
        document_date=document_date,
    )
    with acting(actor):
        data["tags"] = _save_tags(data["tags"])
        item = ContentItem.objects.create(
            unit=unit,
            kind=data["kind"],
            title=data["title"],
            title_folded=fold(data["title"])[:255],
            slug=_unique_slug(unit, data["title"]),
            cover=data["cover"],
            document_number=data["document_number"],
            document_date=data["document_date"],
            created_by=actor,
        )
        item.tasks.set(data["tasks"])
        item.campaigns.set(data["campaigns"])
        item.tags.set(data["tags"])
        revision = _new_revision(item, actor, data)
        item.latest_revision = revision
        item.save(update_fields=["latest_revision", "updated_at"])
        _media_usages(item, actor)
    return item


def _stale(item: ContentItem, version) -> None:
    if version is None or int(version) != item.version:
        who = item.latest_revision.author if item.latest_revision_id else None
        raise ValidationError(
            _(
                "Someone else (%(who)s) saved this item while you were editing it: your text was "
                "not saved, and is still in the form below. Open the item again in another tab, "
                "copy your changes into the newer text, and save."
            )
            % {"who": who.get_full_name() if who else "—"},
            code="stale",
        )


@transaction.atomic
def item_save(
    *,
    actor,
    item: ContentItem,
    version: int,
    title: str,
    summary: str = "",
    body: str = "",
    kind: str | None = None,
    tasks=(),
    campaigns=(),
    tags=(),
    cover: Asset | None = None,
    document_number: str = "",
    document_date: datetime.date | None = None,
) -> ContentItem:
    """A new revision of the working copy, edited from ``version`` (refused when someone saved
    in between). The working copy goes back to DRAFT; a published item stays published with
    its live revision, the changes waiting for review (see the module's docstring)."""
    _allow(actor, Action.EDIT_CONTENT, item.unit, _("You cannot write content for %(unit)s."))
    item = _lock(item)
    _stale(item, version)
    previous = item.latest_revision
    allowed_assets = set(previous.assets.values_list("pk", flat=True)) if previous else set()
    data = _check(
        unit=item.unit,
        kind=kind or item.kind,
        title=title,
        summary=summary,
        body=body,
        tasks=tasks,
        campaigns=campaigns,
        tags=tags,
        cover=cover,
        document_number=document_number,
        document_date=document_date,
        allowed_assets=allowed_assets,
    )
    with acting(actor):
        data["tags"] = _save_tags(data["tags"])
        meta = _meta(data)
        if (
            previous is not None
            and previous.title == data["title"]
            and previous.summary == data["summary"]
            and previous.body == data["body"]
            and previous.meta == meta
        ):
            return item  # nothing changed: no revision, the state stays as it is
        return _write_revision(item, actor, data)


def _write_revision(item: ContentItem, actor, data: dict, meta: dict | None = None) -> ContentItem:
    revision = _new_revision(item, actor, data, meta)
    item.latest_revision = revision
    item.title = data["title"]
    item.title_folded = fold(data["title"])[:255]
    item.version += 1
    item.review_step = 0
    if item.status != ContentStatus.PUBLISHED:
        _apply_meta(item, revision.meta)
    _set_workflow(item, ContentStatus.DRAFT)
    item.save()
    _media_usages(item, actor)
    return item


@transaction.atomic
def item_revert(*, actor, item: ContentItem, revision: Revision) -> ContentItem:
    """A new revision copying ``revision`` (an earlier one of the same item)."""
    _allow(actor, Action.EDIT_CONTENT, item.unit, _("You cannot write content for %(unit)s."))
    if revision.item_id != item.pk:
        raise ValidationError(_("This revision belongs to another item."))
    item = _lock(item)
    data = {
        "title": revision.title,
        "summary": revision.summary,
        "body": revision.body,
        "assets": list(revision.assets.all()),
    }
    with acting(actor):
        return _write_revision(item, actor, data, meta=dict(revision.meta or {}))


# -- review -------------------------------------------------------------------------------


def _tell(item: ContentItem, people, text_of) -> None:
    """A notice (and an e-mail to those who chose it) about ``item``, in the site's language;
    ``text_of(title, unit)`` words it."""
    with translation.override(django_settings.LANGUAGE_CODE):
        text = text_of(item.title[:120], item.unit.name)
    notify(
        people, kind=NotificationKind.OTHER, text=text, url=reverse("content:item", args=[item.pk])
    )


def _tell_approvers(item: ContentItem, step: int, exclude=()) -> None:
    skip = {item.created_by_id, item.latest_revision.author_id, *exclude}
    people = [p for p in people_of(item.unit, Action.APPROVE_CONTENT) if p.pk not in skip]
    _tell(
        item,
        people,
        lambda title, unit: (
            _("“%(title)s” (%(unit)s) is waiting for review, step %(step)d.")
            % {"title": title, "unit": unit, "step": step}
        ),
    )


def _tell_authors(item: ContentItem, text_of) -> None:
    authors = {item.created_by, item.latest_revision.author}
    _tell(item, authors, text_of)


@transaction.atomic
def item_submit(*, actor, item: ContentItem) -> ContentItem:
    """Send the working copy to review (step 1)."""
    _allow(actor, Action.EDIT_CONTENT, item.unit, _("You cannot write content for %(unit)s."))
    item = _lock(item)
    if workflow_status(item) != ContentStatus.DRAFT:
        raise ValidationError(
            _("Only a draft can be sent to review; this item is %(state)s.")
            % {"state": ContentStatus(workflow_status(item)).label.lower()},
            code="state",
        )
    with acting(actor):
        _set_workflow(item, ContentStatus.IN_REVIEW)
        item.review_step = 1
        item.save()
        _tell_approvers(item, 1)
    return item


def _round_reviews(item: ContentItem):
    """This round's decisions on the revision under review (since it was last sent)."""
    return Review.objects.filter(item=item, revision=item.latest_revision)


@transaction.atomic
def item_review(*, actor, item: ContentItem, decision: str, comment: str = "") -> Review:
    """Approve or return the revision under review at its current step."""
    _allow(actor, Action.APPROVE_CONTENT, item.unit, _("You cannot approve content for %(unit)s."))
    item = _lock(item)
    comment = (comment or "").strip()
    if decision not in ReviewDecision.values:
        raise ValidationError({"decision": _("Choose to approve or to return the item.")})
    if len(comment) > MAX_COMMENT:
        raise ValidationError({"comment": _("The comment is too long: at most 4,000 characters.")})
    if workflow_status(item) != ContentStatus.IN_REVIEW:
        raise ValidationError(_("This item is not waiting for a review."), code="state")
    revision = item.latest_revision
    if actor.pk in (revision.author_id, item.created_by_id):
        raise ValidationError(
            _(
                "You wrote this item: another approver must review it (the reviewer is never "
                "the author)."
            ),
            code="own",
        )
    step = item.review_step or 1
    if step == 2:
        first = (
            _round_reviews(item)
            .filter(step=1, decision=ReviewDecision.APPROVED)
            .order_by("-created_at", "-pk")
            .first()
        )
        if first is not None and first.reviewer_id == actor.pk:
            raise ValidationError(
                _("You approved the first step: the second step is another approver's."),
                code="same_reviewer",
            )
    if decision == ReviewDecision.RETURNED and not comment:
        raise ValidationError({"comment": _("Say what should change when returning an item.")})
    with acting(actor):
        review = Review.objects.create(
            item=item,
            revision=revision,
            step=step,
            decision=decision,
            reviewer=actor,
            comment=comment,
        )
        if comment:
            Comment.objects.create(item=item, revision=revision, author=actor, text=comment)
        if decision == ReviewDecision.RETURNED:
            _set_workflow(item, ContentStatus.DRAFT)
            item.review_step = 0
        elif step < review_steps(item.unit):
            item.review_step = step + 1
        else:
            item.review_step = 0
            future = item.go_live_at is not None and item.go_live_at > timezone.now()
            _set_workflow(item, ContentStatus.SCHEDULED if future else ContentStatus.APPROVED)
        item.save()
        if decision == ReviewDecision.RETURNED:
            _tell_authors(
                item,
                lambda title, unit: (
                    _("“%(title)s” was returned for changes: %(comment)s")
                    % {"title": title, "comment": " ".join(comment.split())[:300]}
                ),
            )
        elif item.review_step:
            _tell_approvers(item, item.review_step, exclude=(actor.pk,))
        else:
            _tell_authors(
                item,
                lambda title, unit: (
                    _("“%(title)s” was approved: it can be published.") % {"title": title}
                ),
            )
    return review


@transaction.atomic
def comment_add(*, actor, item: ContentItem, text: str) -> Comment:
    """A remark on the working copy, for the author and the reviewers."""
    _allow(
        actor, Action.EDIT_CONTENT, item.unit, _("You cannot comment on the content of %(unit)s.")
    )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a comment.")})
    if len(text) > MAX_COMMENT:
        raise ValidationError({"text": _("The comment is too long: at most 4,000 characters.")})
    with acting(actor):
        return Comment.objects.create(
            item=item, revision=item.latest_revision, author=actor, text=text
        )


@transaction.atomic
def item_schedule(
    *,
    actor,
    item: ContentItem,
    go_live_at: datetime.datetime | None,
    expire_at: datetime.datetime | None = None,
) -> ContentItem:
    """When the approved working copy goes live (None: when someone publishes it) and when the
    item expires (None: never). Set before or after approval; an approved item with a future
    go-live becomes SCHEDULED."""
    _allow(actor, Action.EDIT_CONTENT, item.unit, _("You cannot schedule content for %(unit)s."))
    item = _lock(item)
    now = timezone.now()
    errors = {}
    if go_live_at is not None and go_live_at <= now:
        errors["go_live_at"] = _("The publishing time is in the past: choose a later time.")
    if expire_at is not None:
        if expire_at <= now:
            errors["expire_at"] = _("The expiry time is in the past: choose a later time.")
        elif go_live_at is not None and expire_at <= go_live_at:
            errors["expire_at"] = _("The item would expire before it is published.")
    state = workflow_status(item)
    if state in (ContentStatus.EXPIRED, ContentStatus.WITHDRAWN) and go_live_at is not None:
        errors["go_live_at"] = _("Edit and send the item to review again before scheduling it.")
    if errors:
        raise ValidationError(errors)
    with acting(actor):
        item.go_live_at = go_live_at
        item.expire_at = expire_at
        if state == ContentStatus.APPROVED and go_live_at is not None:
            _set_workflow(item, ContentStatus.SCHEDULED)
        elif state == ContentStatus.SCHEDULED and go_live_at is None:
            _set_workflow(item, ContentStatus.APPROVED)
        item.save()
    return item


# -- the content's side of publishing ---------------------------------------------------------


def _save_public_change(item: ContentItem, actor) -> ContentItem:
    """Save an item put live or taken off: its media usages follow, the public pages' cache
    is renewed (now and once the transaction commits)."""
    with acting(actor):
        item.save()
        _media_usages(item, actor)
    transaction.on_commit(lambda: public_cache.bump(item.unit))
    public_cache.bump(item.unit)
    return item


@transaction.atomic
def item_mark_published(*, actor, item: ContentItem, at: datetime.datetime | None = None):
    """Put the approved working copy live (called by ``portal.publishing``, which also records
    the evidence and indexes the item; ``actor`` None for the scheduled task). Refused unless
    approved or scheduled: nothing is published."""
    if actor is not None:
        _allow(
            actor,
            Action.EDIT_CONTENT,
            item.unit,
            _("You cannot publish content for %(unit)s."),
            person=False,
        )
    item = _lock(item)
    state = workflow_status(item)
    if state not in (ContentStatus.APPROVED, ContentStatus.SCHEDULED):
        raise ValidationError(
            _(
                "This item has not been approved: it cannot be published. Send it to review; "
                "once an approver approves it, it can be published."
            ),
            code="not_approved",
        )
    at = at or timezone.now()
    with acting(actor):
        item.live_revision = item.latest_revision
        _apply_meta(item, item.live_revision.meta)
        item.status = ContentStatus.PUBLISHED
        item.draft_status = ""
        item.review_step = 0
        item.published_at = at
        item.first_published_at = item.first_published_at or at
        item.go_live_at = None
        item.unpublished_reason = ""
    return _save_public_change(item, actor)


@transaction.atomic
def item_mark_unpublished(
    *,
    actor,
    item: ContentItem,
    status: str = ContentStatus.WITHDRAWN,
    reason: str = "",
) -> ContentItem:
    """Take a published (or scheduled) item off the public section: EXPIRED (its expiry time
    passed) or WITHDRAWN (with the reason)."""
    if status not in (ContentStatus.EXPIRED, ContentStatus.WITHDRAWN):
        raise ValueError(f"not an unpublished state: {status}")
    if actor is not None:
        _allow(
            actor,
            Action.EDIT_CONTENT,
            item.unit,
            _("You cannot withdraw content for %(unit)s."),
            person=False,
        )
    item = _lock(item)
    reason = " ".join((reason or "").split())[:500]
    state = item.status
    allowed = (
        (ContentStatus.PUBLISHED,)
        if status == ContentStatus.EXPIRED
        else (ContentStatus.PUBLISHED, ContentStatus.SCHEDULED, ContentStatus.APPROVED)
    )
    if state not in allowed:
        raise ValidationError(_("This item is not published."), code="state")
    if status == ContentStatus.WITHDRAWN and not reason:
        raise ValidationError({"reason": _("Say why the item is withdrawn.")})
    with acting(actor):
        item.status = status
        item.draft_status = ""
        item.review_step = 0
        item.go_live_at = None
        item.unpublished_reason = reason or _("Expired")
    return _save_public_change(item, actor)


# -- compare ----------------------------------------------------------------------------------


def _words_diff(old: str, new: str) -> SafeString:
    a, b = old.split(), new.split()
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(html_lib.escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{html_lib.escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{html_lib.escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(out))  # noqa: S308 - every word escaped above


def revision_compare(a: Revision, b: Revision) -> dict[str, SafeString]:
    """What changed from revision ``a`` to ``b``, word by word, for the title, the summary and
    the body's text: HTML with ``<del>`` and ``<ins>``, every word escaped."""
    if a.item_id != b.item_id:
        raise ValidationError(_("These revisions belong to different items."))
    return {
        "title": _words_diff(a.title, b.title),
        "summary": _words_diff(a.summary, b.summary),
        "body": _words_diff(plain_text(a.body), plain_text(b.body)),
    }


# -- campaigns and settings ----------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *,
    actor,
    unit: OrgUnit,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    description: str = "",
) -> Campaign:
    require(
        actor,
        Action.EDIT_CONTENT,
        unit,
        _("You cannot create campaigns for %(unit)s.") % {"unit": unit},
    )
    title = " ".join((title or "").split())
    errors = {}
    if not title:
        errors["title"] = _("Enter a title.")
    elif len(title) > 255:
        errors["title"] = _("The title is too long: at most 255 characters.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The campaign ends before it starts.")
    if errors:
        raise ValidationError(errors)
    with acting(actor):
        campaign = Campaign.objects.create(
            unit=unit,
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
            description=(description or "").strip()[:4000],
        )
    # A campaign is on the unit's public calendar (channels): its public pages are stale.
    transaction.on_commit(lambda: public_cache.bump(unit))
    public_cache.bump(unit)
    return campaign


@transaction.atomic
def desk_settings_set(*, actor, unit: OrgUnit, review_steps: int) -> DeskSettings:
    """One or two review steps for ``unit``'s items: set by its administrator or focal point."""
    require(
        actor,
        Action.MANAGE_UNITS,
        unit,
        _("Only the administrator or focal point of %(unit)s sets its review steps.")
        % {"unit": unit},
    )
    try:
        steps = int(review_steps)
    except (TypeError, ValueError):
        steps = 0
    if steps not in (1, 2):
        raise ValidationError({"review_steps": _("Choose one or two review steps.")})
    with acting(actor):
        settings, created = DeskSettings.objects.get_or_create(
            unit=unit, defaults={"review_steps": steps}
        )
        if not created and settings.review_steps != steps:
            settings.review_steps = steps
            settings.save()
    return settings
