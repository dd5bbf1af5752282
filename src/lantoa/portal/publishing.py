"""The use case "publish an item" (and its reverse): one explicit service above every app it
touches, called by the content pages, the content API, the scheduled run and the demo loader.

Publishing an approved item (``content.services.item_mark_published``, which checks the
approval, points the public at the live revision and bumps the public cache) is, in the same
transaction:

- **evidence**: one activity per item (``origin`` CONTENT, ``origin_ref`` ``content:<pk>``)
  recorded through ``activities.services``: the kind from :data:`ACTIVITY_KIND`, the day it
  went live, the item's unit and plan tasks, one item produced. Republishing a new
  revision updates that activity (its title and tasks), never records a second one. The open
  report drafts that count it are refreshed (``reports.services.drafts_refresh_after_activity``,
  as the activity pages do), so report figures count published content without retyping;
- **the assistant**: ``assistant.services.content_index`` indexes the live revision (title,
  summary, body; a directive document's attached file) after the commit, linked to the item's
  page ``/u/<code>/<slug>/``;
- **the channels**: the entries the editor queued for the item's accounts (Facebook, Zalo,
  YouTube) are brought up to the live revision and sent after the commit
  (``channels.services.outbox_item_published``); withdrawing or expiring takes the posts down
  where the channel allows (``channels.services.outbox_withdraw``);
- **the library**: the assets the live revision uses are marked public, so their files are
  served to anyone (``content.services.item_mark_published`` tells the library, as it knows
  which revision's assets are live; it also bumps the public cache).

Withdrawing or expiring an item does the reverse: the activity is withdrawn
(``activities.services.activity_withdraw``), the assistant drops the item's document at once,
the assets' usages stop being public (``content.services.item_mark_unpublished``).

**A report already submitted or approved** holds the activities of its unit and period: they may
not change (``activities.services.require_unreported``). An item must still come down when it
is withdrawn (a mistake, a legal problem) or expires, so the item is withdrawn all the same, but
its evidence stays, as the report counted it: the item *was* published in that period, and a
report is never changed behind the back of the person who approved it. The item's history
records that the evidence was kept and which report holds it; reopening the report and
withdrawing the activity from the activities page is the way to take it out of the figures.

The layers (docs/architecture.md): content and activities (4) cannot import each other, the
assistant and reports share layer 7: the lowest layer above all of them is the portal's (8).
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.activities import services as activity_services
from lantoa.activities.choices import COUNT_FIELDS, ActivityKind, ActivityOrigin
from lantoa.activities.models import Activity
from lantoa.assistant import services as assistant_services
from lantoa.channels import services as channel_services
from lantoa.content import selectors as content_selectors
from lantoa.content import services as content_services
from lantoa.content.choices import ContentKind, ContentStatus
from lantoa.content.models import ContentItem
from lantoa.orgs.audit import audited, record
from lantoa.orgs.models import User
from lantoa.reports import services as report_services

logger = logging.getLogger(__name__)

# What a published item counts as in the evidence. Every item of the unit's NQ57 section is a
# communication product posted on its portal: an article or news item (ActivityKind.ARTICLE, the
# kind the activity form offers for "tin, bài"), whatever its medium (photos, an infographic, a
# clip or a podcast posted in the section are counted as items posted, not as broadcasts: a
# broadcast is radio, loudspeakers or TV, recorded by hand with its minutes). An e-newsletter
# (bản tin điện tử) is a bulletin. A directive document posted in the section is an item posted
# (Lạng Sơn's "100 % văn bản chỉ đạo được đăng tải kịp thời" counts postings).
ACTIVITY_KIND = {
    ContentKind.NEWS: ActivityKind.ARTICLE,
    ContentKind.ARTICLE: ActivityKind.ARTICLE,
    ContentKind.PHOTO_STORY: ActivityKind.ARTICLE,
    ContentKind.INFOGRAPHIC: ActivityKind.ARTICLE,
    ContentKind.VIDEO: ActivityKind.ARTICLE,
    ContentKind.PODCAST: ActivityKind.ARTICLE,
    ContentKind.NEWSLETTER: ActivityKind.BULLETIN,
    ContentKind.DIRECTIVE: ActivityKind.ARTICLE,
    # A loudspeaker bulletin's script published in the section; its airing is a BROADCAST
    # activity of its own (the broadcast log), with the minutes aired.
    ContentKind.LOUDSPEAKER: ActivityKind.BULLETIN,
}


def evidence_ref(item: ContentItem) -> str:
    return f"content:{item.pk}"


def item_evidence(item: ContentItem) -> Activity | None:
    """The item's activity still counted (not withdrawn), if any."""
    return (
        Activity.objects.filter(
            origin=ActivityOrigin.CONTENT, origin_ref=evidence_ref(item), withdrawn_at__isnull=True
        )
        .select_related("unit")
        .order_by("pk")
        .first()
    )


def _local_date(moment: datetime.datetime | None) -> datetime.date:
    if moment is None:
        return timezone.localdate()
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def _evidence_fields(item: ContentItem) -> dict:
    revision = item.live_revision
    allowed = set(activity_services.tasks_for_unit(item.unit).values_list("pk", flat=True))
    # A task whose plan left force since the item was written is not claimed again.
    tasks = [task for task in item.tasks.all() if task.pk in allowed]
    kind_label = ContentKind(item.kind).label
    return {
        "unit": item.unit,
        "kind": ACTIVITY_KIND.get(item.kind, ActivityKind.ARTICLE),
        "title": (revision.title if revision else item.title)[:255],
        "description": _("%(kind)s published in the unit's NQ57 section: %(url)s")
        % {"kind": kind_label, "url": assistant_services.content_url(item)},
        "counts": {"items": 1},
        "tasks": tasks,
    }


def _evidence_record(item: ContentItem) -> tuple[Activity | None, bool]:
    """Record the item's activity, or bring the one recorded at its first publication up to
    date. Returns the activity and whether it changed (a report holding it leaves it as
    reported)."""
    fields = _evidence_fields(item)
    activity = item_evidence(item)
    if activity is None:
        # The day it went live: a republication after a withdrawal is a publication of its
        # own (never slipped back into a period a submitted report closed).
        date = _local_date(item.published_at)
        date = min(max(date, activity_services.EARLIEST_ACTIVITY), timezone.localdate())
        activity = activity_services.activity_record(
            actor=None,
            date=date,
            origin=ActivityOrigin.CONTENT,
            origin_ref=evidence_ref(item),
            **fields,
        )
        return activity, True
    # Counts typed on the activity's page since (its audience, say) are kept.
    fields["counts"] = {field: getattr(activity, field) for field in COUNT_FIELDS} | {"items": 1}
    try:
        activity = activity_services.activity_edit(
            actor=None, activity=activity, date=activity.date, **fields
        )
    except ValidationError as refused:
        if getattr(refused, "code", None) != "reported":
            raise
        record(
            item,
            actor=None,
            summary=_("Evidence left as reported: %(reason)s") % {"reason": refused.messages[0]},
        )
        return activity, False
    return activity, True


def _evidence_withdraw(actor, item: ContentItem, reason: str) -> Activity | None:
    """Withdraw the item's activity; kept (and said so in the item's history) when a submitted
    or approved report holds it. Returns the activity withdrawn, if any."""
    activity = item_evidence(item)
    if activity is None:
        return None
    try:
        return activity_services.activity_withdraw(actor=None, activity=activity, reason=reason)
    except ValidationError as refused:
        if getattr(refused, "code", None) != "reported":
            raise
        record(
            item,
            actor=actor,
            summary=_("The item left the section, but its activity stays counted: %(reason)s")
            % {"reason": refused.messages[0]},
        )
        return None


@transaction.atomic
@audited
def item_publish(*, actor: User | None, item: ContentItem) -> ContentItem:
    """Publish an approved item (or its newly approved revision) and everything publishing
    means: the evidence, the assistant, the library, the report drafts (see the module)."""
    item = content_services.item_mark_published(actor=actor, item=item)
    item = ContentItem.objects.select_related("unit", "live_revision").get(pk=item.pk)
    activity, changed = _evidence_record(item)
    assistant_services.content_index(item)
    if activity is not None and changed:
        report_services.drafts_refresh_after_activity(activity)
    # The channels the editor chose (``/channels/items/<pk>/``) are sent after the commit.
    channel_services.outbox_item_published(item)
    return item


def _unpublished(actor, item: ContentItem, reason: str) -> ContentItem:
    item = ContentItem.objects.select_related("unit", "live_revision").get(pk=item.pk)
    activity = _evidence_withdraw(actor, item, reason)
    assistant_services.content_withdraw(item)
    # The posts on the channels come down after the commit (network calls hold no lock); where
    # a channel cannot delete, the outbox says so.
    transaction.on_commit(lambda: channel_services.outbox_withdraw(actor=actor, item=item))
    if activity is not None:
        report_services.drafts_refresh_after_activity(activity)
    return item


@transaction.atomic
@audited
def item_withdraw(*, actor: User | None, item: ContentItem, reason: str) -> ContentItem:
    """Take a published item down: it leaves the section, its activity is withdrawn (unless a
    submitted report holds it), the assistant forgets it, its files stop being public."""
    reason = " ".join((reason or "").split())  # required: content refuses an empty one
    item = content_services.item_mark_unpublished(
        actor=actor, item=item, status=ContentStatus.WITHDRAWN, reason=reason
    )
    return _unpublished(actor, item, reason[:500])


@transaction.atomic
@audited
def item_expire(*, actor: User | None = None, item: ContentItem) -> ContentItem:
    """An item past its expiry leaves the section, as a withdrawn one does."""
    reason = _("Expired on %(date)s.") % {
        "date": timezone.localtime(item.expire_at or timezone.now()).strftime("%d/%m/%Y %H:%M")
    }
    item = content_services.item_mark_unpublished(
        actor=actor, item=item, status=ContentStatus.EXPIRED, reason=reason
    )
    return _unpublished(actor, item, reason)


def publish_due(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Publish the scheduled items whose time came and expire the published ones past their
    expiry; each item in its own transaction (one refused item does not hold the others back).
    Run twice, it publishes once: an item published is no longer due, and two runs at once
    meet on the item's row lock, the second refused and skipped. Returns (published, expired)."""
    now = now or timezone.now()
    due = content_selectors.items_due(now)
    to_publish, to_expire = list(due.publish), list(due.expire)
    published = expired = 0
    for item in to_publish:
        try:
            item_publish(actor=None, item=item)
            published += 1
        except ValidationError as refused:
            logger.warning("Scheduled item %s was not published: %s", item.pk, refused.messages)
    for item in to_expire:
        try:
            item_expire(actor=None, item=item)
            expired += 1
        except ValidationError as refused:
            logger.warning("Item %s did not expire: %s", item.pk, refused.messages)
    return published, expired
