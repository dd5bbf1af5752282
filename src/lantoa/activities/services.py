"""Recording activities and their evidence."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.uploads import CONTENT_TYPES, IMAGE_KINDS, sniff
from lantoa.orgs.audit import audited, claim_key, key_done, record
from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit, User
from lantoa.orgs.scoping import require
from lantoa.plans.models import Task

from .choices import COUNT_FIELDS, ActivityKind, ActivityOrigin
from .models import Activity, Evidence

EVIDENCE_KINDS = IMAGE_KINDS | {"pdf", "docx", "xlsx"}
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


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
        except (TypeError, ValueError):
            number = -1
        if number < 0:
            errors[field] = _("A count must be a whole number, not negative.")
        cleaned[field] = number if number >= 0 else None
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
    if len(upload.data) > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {
                "files": _("%(name)s is larger than %(limit)d MB.")
                % {"name": upload.name, "limit": EVIDENCE_MAX_BYTES // 2**20}
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


@transaction.atomic
@audited
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
    origin: str = "recorded",
    origin_ref: str = "",
    within: tuple[datetime.date, datetime.date] | None = None,
    key: str | None = None,
) -> Activity:
    """Record an activity of ``unit``; every check passes before anything is written. ``key``
    (the form's hidden key, the API's Idempotency-Key) makes a repeat raise
    :class:`~lantoa.orgs.audit.AlreadySaved` instead of recording the activity twice."""
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
    claimed = (
        claim_key(
            f"activity:{key}",
            actor=actor,
            kind="activity-form",
            message=_("This activity was already saved: it was not recorded a second time."),
        )
        if key
        else None
    )
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
    for url in links or []:
        if url.strip():
            Evidence.objects.create(activity=activity, url=url.strip()[:500])
    for upload, file_kind in zip(files or [], kinds, strict=True):
        evidence = Evidence(
            activity=activity,
            content_type=CONTENT_TYPES.get(file_kind, ""),
            original_name=upload.name[:255],
        )
        evidence.file.save(upload.name, ContentFile(upload.data), save=False)
        evidence.save()
    if claimed is not None:
        key_done(claimed, activity.pk)
    return activity


@transaction.atomic
@audited
def activity_sheet_import(*, actor: User, data: bytes) -> int:
    """Record the activities of a filled-in sheet, all or none. The sheet's SHA-256 is
    remembered: the same sheet imported again is refused, not counted twice. Each unit's
    history gets one entry saying how many activities the sheet brought."""
    from django.db.models import Count

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
    last = Activity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    count = spreadsheets.import_activities(actor=actor, data=data)
    key_done(claimed, count)
    per_unit = (
        Activity.objects.filter(pk__gt=last, origin=ActivityOrigin.IMPORTED, recorded_by=actor)
        .values("unit")
        .annotate(n=Count("pk"))
        .order_by()
    )
    units = OrgUnit.objects.in_bulk([row["unit"] for row in per_unit])
    for row in per_unit:
        record(
            units[row["unit"]],
            actor=actor,
            changes={"activities": (0, row["n"])},
            summary=_("%(n)d activities imported from a sheet (SHA-256 %(digest)s).")
            % {"n": row["n"], "digest": digest[:12]},
        )
    return count
