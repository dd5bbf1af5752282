"""Recording, editing and withdrawing activities and their evidence; evidence renditions."""

from __future__ import annotations

import datetime
import hashlib
import io
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.uploads import CONTENT_TYPES, IMAGE_KINDS, sniff, storage_name
from lantoa.indicators.services import rollup_mark_stale
from lantoa.orgs.audit import AlreadySaved, claim_key, key_done, record
from lantoa.orgs.audit import acting as _acting
from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit, User
from lantoa.orgs.scoping import require
from lantoa.plans.models import Task

from .choices import COUNT_FIELDS, ActivityKind, ActivityOrigin
from .models import MAX_COUNT, Activity, Evidence

EVIDENCE_KINDS = IMAGE_KINDS | {"pdf", "docx", "xlsx"}
# Resolution 57-NQ/TW is of December 2024: nothing done for it predates 2024.
EARLIEST_ACTIVITY = datetime.date(2024, 1, 1)


# Reporting sits above activities: it tells them, as it starts (``reports.apps``), which
# activities a report that may no longer change holds. Each check takes (unit, date) and answers
# None, or why the activity must stay as it was reported.
_report_checks: list[Callable[[OrgUnit, datetime.date], str | None]] = []


def report_check_register(check: Callable[[OrgUnit, datetime.date], str | None]) -> None:
    if check not in _report_checks:
        _report_checks.append(check)


def require_unreported(unit: OrgUnit, date: datetime.date) -> None:
    """Refuse to change an activity that a submitted or approved report counts."""
    for check in _report_checks:
        reason = check(unit, date)
        if reason:
            raise ValidationError(reason, code="reported")


@dataclass
class UploadedEvidence:
    name: str
    data: bytes


def tasks_for_unit(unit: OrgUnit):
    """The tasks an activity of ``unit`` may serve: those of the plans in force issued by the
    unit or by one of its ancestors (the plans that bind it)."""
    return (
        Task.objects.in_force().filter(plan__unit__path__in=unit.chain_paths).select_related("plan")
    )


def activity_check(
    *,
    unit: OrgUnit,
    kind: str,
    date: datetime.date,
    title: str,
    counts: dict | None = None,
    task_ids: list[int] | None = None,
    allowed_task_ids: set[int] | None = None,
    within: tuple[datetime.date, datetime.date] | None = None,
) -> dict:
    """Every check an activity must pass, all at once: the cleaned title and counts, or a
    ValidationError naming each wrong field. The form, the API and the sheet import share it;
    a caller checking many rows passes the unit's ``allowed_task_ids`` once."""
    errors: dict[str, str] = {}
    if kind not in ActivityKind.values:
        errors["kind"] = _("Choose a kind of activity.")
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = _("Enter what was done.")
    if date > timezone.localdate():
        errors["date"] = _("The date is in the future: record an activity once it has taken place.")
    elif date < EARLIEST_ACTIVITY:
        errors["date"] = _(
            "The date is before %(earliest)s: activities for Resolution 57 start in 2024."
        ) % {"earliest": EARLIEST_ACTIVITY.strftime("%d/%m/%Y")}
    elif within and not within[0] <= date <= within[1]:
        errors["date"] = _(
            "The date is outside the report's period (%(start)s – %(end)s): this activity "
            "belongs to another report."
        ) % {"start": within[0].strftime("%d/%m/%Y"), "end": within[1].strftime("%d/%m/%Y")}
    cleaned: dict[str, int | None] = {}
    for field in COUNT_FIELDS:
        value = (counts or {}).get(field)
        if value in (None, ""):
            cleaned[field] = None
            continue
        try:
            number = int(value)
            if isinstance(value, float) and value != number:
                raise ValueError
        except (TypeError, ValueError, OverflowError):
            number = -1
        if number < 0:
            errors[field] = _("A count must be a whole number, not negative.")
        elif number > MAX_COUNT:
            errors[field] = _("This count is too large: at most %(max)s.") % {
                "max": f"{MAX_COUNT:,}".replace(",", ".")
            }
        cleaned[field] = number if 0 <= number <= MAX_COUNT else None
    officials, participants = cleaned.get("officials"), cleaned.get("participants")
    if officials is not None and participants is not None and officials > participants:
        errors["officials"] = _(
            "The officials are part of the participants: there cannot be more of them."
        )
    if task_ids:
        if allowed_task_ids is None:
            allowed_task_ids = set(tasks_for_unit(unit).values_list("pk", flat=True))
        if any(task_id not in allowed_task_ids for task_id in task_ids):
            errors["tasks"] = _("A chosen task is not in a plan that binds this unit.")
    if errors:
        raise ValidationError(errors)
    return {"title": title[:255], "counts": cleaned}


def _check_evidence(upload: UploadedEvidence) -> str:
    limit = settings.EVIDENCE_MAX_BYTES
    if len(upload.data) > limit:
        raise ValidationError(
            {
                "files": _("%(name)s is larger than %(limit)d MB.")
                % {"name": upload.name, "limit": max(1, limit // 2**20)}
            }
        )
    kind = sniff(upload.data)
    if kind not in EVIDENCE_KINDS:
        raise ValidationError(
            {
                "files": _("%(name)s is not a photo, a PDF, a Word or an Excel file.")
                % {"name": upload.name}
            }
        )
    return kind


def _save_evidence(
    activity: Activity, links: list[str], files: list[UploadedEvidence], kinds: list[str]
) -> None:
    for url in links or []:
        if url.strip():
            Evidence.objects.create(activity=activity, url=url.strip()[:500])
    for upload, file_kind in zip(files or [], kinds, strict=True):
        evidence = Evidence(
            activity=activity,
            content_type=CONTENT_TYPES.get(file_kind, ""),
            original_name=(upload.name or "")[:255],
        )
        evidence.file.save(
            storage_name(upload.name, file_kind), ContentFile(upload.data), save=False
        )
        evidence.save()


@transaction.atomic
def activity_record(
    *,
    actor: User | None,
    unit: OrgUnit,
    kind: str,
    date: datetime.date,
    title: str,
    description: str = "",
    counts: dict | None = None,
    tasks: list[Task] | None = None,
    links: list[str] | None = None,
    files: list[UploadedEvidence] | None = None,
    origin: str = ActivityOrigin.RECORDED,
    origin_ref: str = "",
    within: tuple[datetime.date, datetime.date] | None = None,
    key: str | None = None,
    fingerprint: str = "",
) -> Activity:
    """Record an activity of ``unit``; every check passes before anything is written. ``key``
    (the form's hidden key, the API's Idempotency-Key) makes a repeat raise
    :class:`~lantoa.orgs.audit.AlreadySaved` instead of recording the activity twice; the key is
    the actor's own. ``fingerprint`` (a digest of the API request's body) refuses the same key
    sent with another body."""
    require(
        actor, Action.RECORD, unit, _("You cannot record activities for %(unit)s.") % {"unit": unit}
    )
    tasks = list(tasks or [])
    checked = activity_check(
        unit=unit,
        kind=kind,
        date=date,
        title=title,
        counts=counts,
        task_ids=[t.pk for t in tasks],
        within=within,
    )
    kinds = [_check_evidence(upload) for upload in files or []]
    claimed = _claim_activity_key(actor, key, fingerprint) if key else None
    with _acting(actor):
        activity = Activity.objects.create(
            unit=unit,
            kind=kind,
            date=date,
            title=checked["title"],
            description=description or "",
            recorded_by=actor,
            origin=origin,
            origin_ref=origin_ref,
            **checked["counts"],
        )
        activity.tasks.set(tasks)
        _save_evidence(activity, links or [], files or [], kinds)
    if claimed is not None:
        key_done(claimed, f"{activity.pk}#{fingerprint}" if fingerprint else activity.pk)
    rollup_mark_stale(date)
    return activity


def _claim_activity_key(actor, key: str, fingerprint: str):
    """Claim the caller's own key (two people may choose the same one). Sent again with the
    same body: AlreadySaved, naming the first activity; with another body: refused."""
    try:
        return claim_key(
            f"activity:{getattr(actor, 'pk', None) or 0}:{key}",
            actor=actor,
            kind="activity-form",
            message=_("This activity was already saved: it was not recorded a second time."),
        )
    except AlreadySaved as repeat:
        existing, _sep, first_fingerprint = repeat.existing.partition("#")
        if fingerprint and first_fingerprint and fingerprint != first_fingerprint:
            raise ValidationError(
                _(
                    "This Idempotency-Key was already used for a different activity: send a "
                    "new key for a new activity, or the same body to repeat the first one."
                ),
                code="key_reused",
            ) from None
        raise AlreadySaved(repeat.messages[0], existing=existing) from None


def activity_held_for_change(
    actor: User | None, activity: Activity, *, withdrawn: str, denied: str | None = None
) -> Activity:
    """The activity's row, locked, once ``actor`` may change it: it is not withdrawn (the
    ``withdrawn`` message otherwise) and no submitted report covers it. Editing, withdrawing
    and recording attendance all start here."""
    activity = Activity.objects.select_for_update().select_related("unit").get(pk=activity.pk)
    require(
        actor,
        Action.RECORD,
        activity.unit,
        (denied or _("You cannot change the activities of %(unit)s.")) % {"unit": activity.unit},
    )
    if activity.is_withdrawn:
        raise ValidationError(withdrawn)
    require_unreported(activity.unit, activity.date)
    return activity


@transaction.atomic
def activity_edit(
    *,
    actor: User | None,
    activity: Activity,
    unit: OrgUnit,
    kind: str,
    date: datetime.date,
    title: str,
    description: str = "",
    counts: dict | None = None,
    tasks: list[Task] | None = None,
    links: list[str] | None = None,
    files: list[UploadedEvidence] | None = None,
    remove_evidence: list[int] | None = None,
) -> Activity:
    """Correct an activity through the same checks as recording it; new links and files are
    added, the evidence named in ``remove_evidence`` removed. Written to the audit log with the
    actor. The caller refreshes the report drafts (reports.services)."""
    activity = activity_held_for_change(
        actor, activity, withdrawn=_("This activity was withdrawn and can no longer be changed.")
    )
    if unit.pk != activity.unit_id:
        require(
            actor,
            Action.RECORD,
            unit,
            _("You cannot record activities for %(unit)s.") % {"unit": unit},
        )
    if (unit.pk, date) != (activity.unit_id, activity.date):
        require_unreported(unit, date)
    tasks = list(tasks or [])
    checked = activity_check(
        unit=unit,
        kind=kind,
        date=date,
        title=title,
        counts=counts,
        task_ids=[t.pk for t in tasks],
    )
    kinds = [_check_evidence(upload) for upload in files or []]
    before = activity.date
    activity.unit = unit
    activity.kind = kind
    activity.date = date
    activity.title = checked["title"]
    activity.description = description or ""
    for field, value in checked["counts"].items():
        setattr(activity, field, value)
    with _acting(actor):
        activity.save()
        activity.tasks.set(tasks)
        removed = Evidence.objects.filter(activity=activity, pk__in=remove_evidence or [])
        for evidence in removed:
            _delete_evidence_files(evidence)
        removed.delete()
        _save_evidence(activity, links or [], files or [], kinds)
    rollup_mark_stale(min(before, date), max(before, date))
    return activity


@transaction.atomic
def activity_withdraw(*, actor: User | None, activity: Activity, reason: str) -> Activity:
    """Withdraw an activity recorded by mistake: it stays on the record, with who withdrew it,
    when and why, and counts in no figure, list or report draft from then on."""
    activity = activity_held_for_change(
        actor, activity, withdrawn=_("This activity was already withdrawn.")
    )
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the activity is withdrawn.")})
    activity.withdrawn_at = timezone.now()
    activity.withdrawn_by = actor if getattr(actor, "is_authenticated", False) else None
    activity.withdrawn_reason = reason[:500]
    with _acting(actor):
        activity.save(
            update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason", "updated_at"]
        )
    rollup_mark_stale(activity.date)
    return activity


@transaction.atomic
def activity_sheet_import(*, actor: User, data: bytes) -> list[Activity]:
    """Record the activities of a filled-in sheet, all or none, and return them. The sheet's
    SHA-256 is remembered: the same sheet imported again is refused, not counted twice. Each
    unit's history gets one entry saying how many activities the sheet brought."""
    from collections import Counter

    from . import spreadsheets

    digest = hashlib.sha256(data).hexdigest()
    claimed = claim_key(
        f"activity-sheet:{digest}",
        actor=actor,
        kind="activity-sheet",
        message=_(
            "This sheet was already imported: its activities were not recorded a second time."
        ),
    )
    created = spreadsheets.import_activity_rows(actor=actor, data=data)
    key_done(claimed, len(created))
    per_unit = Counter(activity.unit for activity in created)
    with _acting(actor):
        for unit, n in per_unit.items():
            record(
                unit,
                actor=actor,
                changes={"activities": (0, n)},
                summary=_("%(n)d activities imported from a sheet (SHA-256 %(digest)s).")
                % {"n": n, "digest": digest[:12]},
            )
    return created


# Renditions of uploaded evidence: a small thumbnail and a larger preview, JPEG, made once and
# kept next to the files. Images by Pillow, a PDF's first page by pdftoppm, both bounded.
RENDITIONS = {"thumb": 320, "preview": 1280}
MAX_PIXELS = 100_000_000  # a JPEG, decoded at 1/8 scale at most
MAX_DECODED_PIXELS = 25_000_000  # PNG, GIF, TIFF, WebP: about 2 s and 100 MB at this size
PDFTOPPM_SECONDS = 15


def _rendition_name(evidence: Evidence, size: str) -> str:
    return f"renditions/evidence-{evidence.pk}-{size}.jpg"


def _delete_evidence_files(evidence: Evidence) -> None:
    if not evidence.file:
        return
    storage = evidence.file.storage
    for size in RENDITIONS:
        name = _rendition_name(evidence, size)
        if storage.exists(name):
            transaction.on_commit(lambda name=name: storage.delete(name))
    transaction.on_commit(lambda name=evidence.file.name: storage.delete(name))


def _read(evidence: Evidence) -> bytes:
    with evidence.file.open("rb") as handle:
        return handle.read(settings.EVIDENCE_MAX_BYTES + 1)


def _image_rendition(data: bytes, box: int) -> bytes | None:
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as image:
            pixels = image.width * image.height
            # A JPEG decodes at a reduced scale (draft); other formats decode whole.
            if pixels > (MAX_PIXELS if image.format == "JPEG" else MAX_DECODED_PIXELS):
                return None
            image.draft("RGB", (box, box))  # JPEG: decode at a reduced scale
            image = ImageOps.exif_transpose(image)
            image.thumbnail((box, box))
            if image.mode not in ("RGB", "L"):
                background = Image.new("RGB", image.size, "white")
                background.paste(image.convert("RGBA"), mask=image.convert("RGBA"))
                image = background
            out = io.BytesIO()
            image.save(out, "JPEG", quality=82, optimize=True)
            return out.getvalue()
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        return None


def _pdf_rendition(data: bytes, box: int) -> bytes | None:
    """The first page, scaled to fit ``box`` pixels whatever the page's size, by pdftoppm
    under a time limit."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(data)
        command = [pdftoppm, "-f", "1", "-l", "1", "-singlefile", "-scale-to", str(box)]
        command += ["-jpeg", "-jpegopt", "quality=82", str(source), str(Path(folder) / "out")]
        try:
            subprocess.run(  # noqa: S603 - a fixed tool on our own temporary file
                command, check=True, capture_output=True, timeout=PDFTOPPM_SECONDS
            )
        except (subprocess.SubprocessError, OSError):
            return None
        out = Path(folder) / "out.jpg"
        return out.read_bytes() if out.exists() else None


def evidence_rendition(evidence: Evidence, size: str = "thumb") -> bytes | None:
    """A JPEG of the evidence (an image or a PDF's first page) fitting ``size``'s box, made on
    first request and kept; None when the file cannot be shown as a picture."""
    if size not in RENDITIONS or not evidence.has_thumbnail:
        return None
    storage = evidence.file.storage
    name = _rendition_name(evidence, size)
    if storage.exists(name):
        with storage.open(name, "rb") as handle:
            return handle.read()
    try:
        data = _read(evidence)
    except OSError:
        return None
    if evidence.is_pdf:
        rendition = _pdf_rendition(data, RENDITIONS[size])
    else:
        rendition = _image_rendition(data, RENDITIONS[size])
    if rendition:
        storage.save(name, ContentFile(rendition))
    return rendition
