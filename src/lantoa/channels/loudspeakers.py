"""The commune's loudspeakers (truyền thanh cơ sở): clusters, bulletins and their audio, the
broadcast schedule and the operator's log.

- A **bulletin** is a content item of kind ``LOUDSPEAKER``, written and reviewed through the
  content desk's services; its script is the revision's text (title, summary, body). Only an
  approved or published revision is spoken or broadcast (:func:`bulletin_revision`).
- Its **audio** is synthesised (``speech.voices``) or a recorded reading, kept in the unit's
  library (``media.services.asset_upload``, kind AUDIO) and recorded as a
  :class:`~.models.BulletinAudio` of that revision.
- A **broadcast** schedules a bulletin on clusters at a time. The operator's **log** (aired or
  not, minutes, clusters, note) makes each aired broadcast one BROADCAST activity with its
  minutes (``activities.services``, origin BROADCAST, ``origin_ref`` ``broadcast:<pk>``): the
  indicator "broadcast_minutes" sums them. Editing the log edits that activity; "not aired"
  withdraws it. A report already submitted holds its activity: the log can no longer change.

Clusters, the schedule and the log need the RECORD action on the unit (the people who record
its activities); bulletins and their audio need EDIT_CONTENT (the content desk's).
"""

from __future__ import annotations

import datetime
import html
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.activities import services as activity_services
from lantoa.activities.choices import ActivityKind, ActivityOrigin
from lantoa.activities.models import Activity
from lantoa.content import services as content_services
from lantoa.content.choices import ContentKind, ContentStatus
from lantoa.content.html import plain_text
from lantoa.content.models import ContentItem, Revision
from lantoa.media import services as media_services
from lantoa.media.choices import AssetKind, Licence
from lantoa.orgs.audit import audited
from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import require

from .models import Broadcast, BulletinAudio, LoudspeakerCluster
from .speech.voices import VOICES, synthesise

MAX_MINUTES = 600
MAX_NOTE = 500
MAX_ITEMS = 20
EXCERPT = 800
USAGE_OWNER = "channels.bulletin"


# -- clusters -------------------------------------------------------------------------------


def _cluster_fields(name, place, speakers) -> dict:
    errors = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = _("Enter the cluster's name.")
    elif len(name) > 255:
        errors["name"] = _("The name is too long: at most 255 characters.")
    place = " ".join((place or "").split())[:255]
    if speakers in ("", None):
        speakers = None
    else:
        try:
            speakers = int(speakers)
        except (TypeError, ValueError):
            speakers = -1
        if not 0 <= speakers <= 100_000:
            errors["speakers"] = _("Enter the number of loudspeakers (0 to 100,000).")
    if errors:
        raise ValidationError(errors)
    return {"name": name, "place": place, "speakers": speakers}


@audited
@transaction.atomic
def cluster_create(
    *, actor, unit: OrgUnit, name: str, place: str = "", speakers=None, is_active: bool = True
) -> LoudspeakerCluster:
    require(
        actor,
        Action.RECORD,
        unit,
        _("You cannot manage the loudspeakers of %(unit)s.") % {"unit": unit},
    )
    fields = _cluster_fields(name, place, speakers)
    return LoudspeakerCluster.objects.create(unit=unit, is_active=bool(is_active), **fields)


@audited
@transaction.atomic
def cluster_edit(
    *,
    actor,
    cluster: LoudspeakerCluster,
    name: str,
    place: str = "",
    speakers=None,
    is_active: bool = True,
) -> LoudspeakerCluster:
    cluster = LoudspeakerCluster.objects.select_for_update().get(pk=cluster.pk)
    require(
        actor,
        Action.RECORD,
        cluster.unit,
        _("You cannot manage the loudspeakers of %(unit)s.") % {"unit": cluster.unit},
    )
    for field, value in _cluster_fields(name, place, speakers).items():
        setattr(cluster, field, value)
    cluster.is_active = bool(is_active)
    cluster.save()
    return cluster


# -- bulletins ------------------------------------------------------------------------------


def bulletin_revision(item: ContentItem) -> Revision | None:
    """The revision that may be spoken and broadcast: the working copy once approved (or
    scheduled), else the live (published) one; None for a bulletin not approved yet."""
    if item.kind != ContentKind.LOUDSPEAKER:
        return None
    state = content_services.workflow_status(item)
    if state in (ContentStatus.APPROVED, ContentStatus.SCHEDULED) and item.latest_revision_id:
        return item.latest_revision
    if item.status == ContentStatus.PUBLISHED and item.live_revision_id:
        return item.live_revision
    return None


def bulletin_script(revision: Revision) -> str:
    """What is read: the title, the summary, then the body, one paragraph a line."""
    lines = [revision.title, revision.summary or "", *_blocks(revision.body or "")]
    return "\n".join(line.strip() for line in lines if line and line.strip())


class _Blocks(HTMLParser):
    BLOCKS = {"p", "h2", "h3", "h4", "li", "blockquote", "figcaption", "tr", "br", "hr", "div"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def _blocks(body: str) -> list[str]:
    parser = _Blocks()
    parser.feed(body)
    parser.close()
    return [" ".join(part.split()) for part in "".join(parser.parts).split("\n")]


def _require_bulletin(item: ContentItem) -> None:
    if item.kind != ContentKind.LOUDSPEAKER:
        raise ValidationError(_("This item is not a loudspeaker bulletin."))


@audited
def bulletin_from_items(*, actor, unit: OrgUnit, items, title: str) -> ContentItem:
    """A new bulletin (DRAFT, to be reviewed) whose script reads the chosen published items:
    each one's title and summary (or the beginning of its text)."""
    items = list(items or [])
    if not items:
        raise ValidationError({"items": _("Choose the published items the bulletin reads.")})
    if len(items) > MAX_ITEMS:
        raise ValidationError({"items": _("At most %(n)d items.") % {"n": MAX_ITEMS}})
    visible = set(
        ContentItem.objects.restrict(actor, Action.VIEW)
        .filter(pk__in=[i.pk for i in items], status=ContentStatus.PUBLISHED)
        .values_list("pk", flat=True)
    )
    if any(item.pk not in visible for item in items):
        raise ValidationError({"items": _("A chosen item is not published or not yours to see.")})
    parts = []
    for item in items:
        live = item.live_revision
        said = (live.summary or "").strip() or plain_text(live.body)[:EXCERPT]
        parts.append(f"<h2>{html.escape(live.title)}</h2>")
        if said:
            parts.append(f"<p>{html.escape(said)}</p>")
    return content_services.item_create(
        actor=actor,
        unit=unit,
        kind=ContentKind.LOUDSPEAKER,
        title=title,
        body="".join(parts),
        tasks=list(
            content_services.tasks_for_unit(unit)
            .filter(pk__in=[t.pk for item in items for t in item.tasks.all()])
            .distinct()
        ),
    )


def _audio_record(actor, item, revision, asset, voice: str) -> BulletinAudio:
    audio = BulletinAudio.objects.create(item=item, revision=revision, asset=asset, voice=voice)
    media_services.usage_set(
        owner=USAGE_OWNER,
        owner_id=item.pk,
        assets=list({a.asset_id: a.asset for a in item.audio.select_related("asset")}.values()),
        label=item.title[:255],
        actor=actor,
    )
    return audio


def _upload(actor, item: ContentItem, data: bytes, name: str, title: str):
    try:
        return media_services.asset_upload(
            actor=actor,
            unit=item.unit,
            name=name,
            data=data,
            title=title,
            licence=Licence.OWN,
            tags=["truyền thanh cơ sở"],
        )
    except media_services.DuplicateAsset as same:
        return same.existing  # the same audio made again: the library keeps one copy


@audited
def bulletin_audio_make(*, actor, item: ContentItem, voice: str | None = None) -> BulletinAudio:
    """Speak the bulletin's approved or live revision (MP3), add it to the unit's library and
    record it. Slow (seconds to minutes): run it as the task ``tasks.bulletin_audio_make``."""
    _require_bulletin(item)
    require(
        actor,
        Action.EDIT_CONTENT,
        item.unit,
        _("You cannot write content for %(unit)s.") % {"unit": item.unit},
    )
    voice = (voice or "espeak").lower()
    if voice not in VOICES:
        raise ValidationError({"voice": _("Choose a voice.")})
    revision = bulletin_revision(item)
    if revision is None:
        raise ValidationError(_("Only an approved or published bulletin is spoken."))
    with tempfile.TemporaryDirectory(prefix="lantoa-bulletin-") as folder:
        out = synthesise(bulletin_script(revision), Path(folder) / "bulletin.mp3", voice=voice)
        data = out.read_bytes()
    with transaction.atomic():
        asset = _upload(
            actor,
            item,
            data,
            f"{item.slug or 'ban-tin'}-{revision.number}.mp3",
            _("Bulletin: %(title)s") % {"title": revision.title},
        )
        return _audio_record(actor, item, revision, asset, voice)


@audited
def bulletin_audio_upload(*, actor, item: ContentItem, data, name: str) -> BulletinAudio:
    """A recorded reading of the bulletin's approved or live revision, uploaded instead of a
    synthesised voice; refused unless its content is audio."""
    _require_bulletin(item)
    require(
        actor,
        Action.EDIT_CONTENT,
        item.unit,
        _("You cannot write content for %(unit)s.") % {"unit": item.unit},
    )
    revision = bulletin_revision(item)
    if revision is None:
        raise ValidationError(_("Only an approved or published bulletin is broadcast."))
    inspected = media_services.asset_inspect(name=name, data=data)
    if inspected.detected.kind != AssetKind.AUDIO:
        raise ValidationError(
            {"file": _("This file is not audio: upload an MP3, OGG, M4A, WAV or FLAC recording.")}
        )
    if hasattr(data, "seek"):
        data.seek(0)
    with transaction.atomic():
        asset = _upload(
            actor, item, data, name, _("Recorded bulletin: %(title)s") % {"title": revision.title}
        )
        return _audio_record(actor, item, revision, asset, "")


# -- broadcasts -----------------------------------------------------------------------------


def _minutes(value, *, required: bool, field: str) -> int | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("Enter the minutes.")})
        return None
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        minutes = -1
    if not 1 <= minutes <= MAX_MINUTES:
        raise ValidationError({field: _("Enter the minutes: 1 to %(n)d.") % {"n": MAX_MINUTES}})
    return minutes


def _clusters_of(unit: OrgUnit, clusters, field: str) -> list[LoudspeakerCluster]:
    clusters = list(clusters or [])
    if any(c.unit_id != unit.pk for c in clusters):
        raise ValidationError({field: _("A chosen cluster is not this unit's.")})
    return clusters


@audited
@transaction.atomic
def broadcast_schedule(
    *, actor, item: ContentItem, clusters, starts_at: datetime.datetime, planned_minutes=None
) -> Broadcast:
    """Schedule an approved or published bulletin on clusters of its unit."""
    _require_bulletin(item)
    require(
        actor,
        Action.RECORD,
        item.unit,
        _("You cannot schedule broadcasts for %(unit)s.") % {"unit": item.unit},
    )
    if bulletin_revision(item) is None:
        raise ValidationError(_("Only an approved or published bulletin is broadcast."))
    clusters = _clusters_of(item.unit, clusters, "clusters")
    errors = {}
    if not clusters:
        errors["clusters"] = _("Choose the clusters that air it.")
    elif any(not c.is_active for c in clusters):
        errors["clusters"] = _("A chosen cluster is no longer in use.")
    if starts_at is None:
        errors["starts_at"] = _("Enter when it airs.")
    if errors:
        raise ValidationError(errors)
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    planned = _minutes(planned_minutes, required=False, field="planned_minutes")
    broadcast = Broadcast.objects.create(
        unit=item.unit,
        item=item,
        starts_at=starts_at,
        planned_minutes=planned,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    broadcast.clusters.set(clusters)
    return broadcast


def broadcast_ref(broadcast: Broadcast) -> str:
    return f"broadcast:{broadcast.pk}"


def broadcast_activity(broadcast: Broadcast) -> Activity | None:
    """The activity an aired broadcast counts as (not withdrawn), if any."""
    return (
        Activity.objects.filter(
            origin=ActivityOrigin.BROADCAST,
            origin_ref=broadcast_ref(broadcast),
            withdrawn_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )


def _activity_fields(broadcast: Broadcast, minutes: int, clusters, note: str) -> dict:
    allowed = set(activity_services.tasks_for_unit(broadcast.unit).values_list("pk", flat=True))
    names = ", ".join(c.name for c in clusters)
    description = _("Loudspeaker bulletin aired on: %(clusters)s.") % {"clusters": names}
    if note:
        description += f"\n{note}"
    return {
        "unit": broadcast.unit,
        "kind": ActivityKind.BROADCAST,
        "title": (_("Loudspeaker broadcast: %(title)s") % {"title": broadcast.item.title})[:255],
        "description": description,
        "counts": {"items": 1, "minutes": minutes},
        "tasks": [t for t in broadcast.item.tasks.all() if t.pk in allowed],
    }


@audited
@transaction.atomic
def broadcast_log(
    *,
    actor,
    broadcast: Broadcast,
    aired: bool,
    minutes=None,
    clusters=(),
    note: str = "",
    after_activity=None,
) -> Broadcast:
    """The operator's log of a broadcast. Aired: one BROADCAST activity with its minutes
    (recorded, or the one already recorded brought up to date); not aired: that activity is
    withdrawn. Refused, and nothing changed, when a submitted report holds the activity.
    ``after_activity`` (reporting's ``drafts_refresh_after_activity``, given to the page by
    ``lantoa.urls``) is called with the activity changed, as the activity pages do."""
    broadcast = (
        Broadcast.objects.select_for_update().select_related("unit", "item").get(pk=broadcast.pk)
    )
    require(
        actor,
        Action.RECORD,
        broadcast.unit,
        _("You cannot log the broadcasts of %(unit)s.") % {"unit": broadcast.unit},
    )
    note = " ".join((note or "").split())
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _("The note is too long: at most 500 characters.")})
    if aired is None:
        raise ValidationError({"aired": _("Say whether it aired.")})
    aired = bool(aired)
    scheduled = list(broadcast.clusters.all())
    clusters = _clusters_of(broadcast.unit, clusters, "clusters")
    if aired:
        minutes = _minutes(minutes, required=True, field="minutes")
        if not clusters:
            raise ValidationError({"clusters": _("Choose the clusters that aired it.")})
        if any(c.pk not in {s.pk for s in scheduled} for c in clusters):
            raise ValidationError({"clusters": _("A chosen cluster was not scheduled.")})
        if broadcast.starts_at > timezone.now():
            raise ValidationError(_("This broadcast is still to come: log it once it aired."))
    else:
        minutes, clusters = None, []
    activity = broadcast_activity(broadcast)
    if aired:
        fields = _activity_fields(broadcast, minutes, clusters, note)
        if activity is None:
            date = timezone.localtime(broadcast.starts_at).date()
            date = min(max(date, activity_services.EARLIEST_ACTIVITY), timezone.localdate())
            changed = activity_services.activity_record(
                actor=actor,
                date=date,
                origin=ActivityOrigin.BROADCAST,
                origin_ref=broadcast_ref(broadcast),
                **fields,
            )
        else:
            changed = activity_services.activity_edit(
                actor=actor, activity=activity, date=activity.date, **fields
            )
    elif activity is not None:
        changed = activity_services.activity_withdraw(
            actor=actor, activity=activity, reason=_("The broadcast did not air.")
        )
    else:
        changed = None
    broadcast.aired = aired
    broadcast.aired_minutes = minutes
    broadcast.log_note = note
    broadcast.logged_by = actor if getattr(actor, "pk", None) else None
    broadcast.logged_at = timezone.now()
    broadcast.save()
    broadcast.aired_clusters.set(clusters)
    if changed is not None and after_activity is not None:
        after_activity(changed)
    return broadcast
