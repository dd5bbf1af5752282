"""Recording activities and their evidence."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.uploads import CONTENT_TYPES, IMAGE_KINDS, sniff
from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit, User
from lantoa.orgs.scoping import require
from lantoa.plans.models import Task

from .choices import COUNT_FIELDS, ActivityKind
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
    return Task.objects.filter(
        plan__status="active", plan__unit__path__in=unit.chain_paths
    ).select_related("plan")


def _clean_counts(counts: dict) -> dict:
    cleaned, errors = {}, {}
    for field in COUNT_FIELDS:
        value = counts.get(field)
        if value in (None, ""):
            cleaned[field] = None
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            errors[field] = _("Enter a whole number.")
            continue
        if value < 0:
            errors[field] = _("A count cannot be negative.")
            continue
        cleaned[field] = value
    if (
        cleaned.get("officials") is not None
        and cleaned.get("participants") is not None
        and cleaned["officials"] > cleaned["participants"]
    ):
        errors["officials"] = _(
            "The officials are part of the participants: there cannot be more of them."
        )
    if errors:
        raise ValidationError(errors)
    return cleaned


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
) -> Activity:
    """Record an activity of ``unit``; every check passes before anything is written."""
    require(
        actor, Action.RECORD, unit, _("You cannot record activities for %(unit)s.") % {"unit": unit}
    )
    if kind not in ActivityKind.values:
        raise ValidationError({"kind": _("Choose a kind of activity.")})
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Enter what was done.")})
    if date > timezone.localdate():
        raise ValidationError(
            {"date": _("The date is in the future: record an activity once it has taken place.")}
        )
    cleaned = _clean_counts(counts or {})
    allowed = set(tasks_for_unit(unit).values_list("pk", flat=True))
    tasks = list(tasks or [])
    if any(task.pk not in allowed for task in tasks):
        raise ValidationError({"tasks": _("A chosen task is not in a plan that binds this unit.")})
    kinds = [_check_evidence(upload) for upload in files or []]
    activity = Activity.objects.create(
        unit=unit,
        kind=kind,
        date=date,
        title=title[:255],
        description=description or "",
        recorded_by=actor,
        origin=origin,
        origin_ref=origin_ref,
        **cleaned,
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
    return activity
