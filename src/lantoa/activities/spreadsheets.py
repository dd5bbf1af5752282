"""Activities from an .xlsx sheet: every row checked as the form checks one activity; a sheet
with any bad row saves nothing and names each bad row; a good sheet is saved in one go."""

from __future__ import annotations

import datetime
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from lantoa.core.sheets import append_row, sheet_rows
from lantoa.core.text import fold
from lantoa.indicators.services import rollup_mark_stale
from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit, User

from .choices import COUNT_FIELDS, ActivityKind, ActivityOrigin
from .models import Activity
from .services import activity_check, tasks_for_unit

MAX_ROWS = 20000
COLUMNS = ["unit", "kind", "date", "title", *COUNT_FIELDS, "task"]


def _headers() -> list[str]:
    return [
        _("Unit code"), _("Kind"), _("Date"), _("What was done"), _("Participants"), _("Of whom officials"),
        _("Communication staff trained"), _("Audience reached"), _("Items produced"), _("Minutes aired"), _("Task ID"),
    ]  # fmt: skip


def template_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Activities")[:31]
    append_row(sheet, _headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    kinds = book.create_sheet(_("Kinds")[:31])
    for value, label in ActivityKind.choices:
        append_row(kinds, [value, str(label)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _kind(value) -> str | None:
    text = fold(str(value or ""))
    for code, label in ActivityKind.choices:
        if text in (code, fold(str(label))):
            return code
    return None


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def import_activities(*, actor: User, data: bytes) -> int:
    """How many activities the sheet recorded (see :func:`import_activity_rows`)."""
    return len(import_activity_rows(actor=actor, data=data))


def import_activity_rows(*, actor: User, data: bytes) -> list:
    """Record every row of the sheet as an activity, all or none; the activities recorded."""
    # Read to the end (and refused past MAX_ROWS) before anything is checked against the database.
    rows = list(sheet_rows(data, columns=len(COLUMNS), max_rows=MAX_ROWS))
    units = {u.code.upper(): u for u in OrgUnit.objects.restrict(actor, Action.RECORD)}
    allowed_tasks: dict[int, dict[int, object]] = {}
    today = timezone.localdate()
    errors: list[str] = []
    activities: list[tuple[Activity, object]] = []
    for number, row in rows:
        values = dict(zip(COLUMNS, row, strict=True))
        problems = []
        unit = units.get(str(values["unit"] or "").strip().upper())
        if unit is None:
            problems.append(
                _("Unit “%(code)s” is not one you report for.") % {"code": values["unit"]}
            )
        kind = _kind(values["kind"])
        if kind is None:
            problems.append(_("Unknown kind “%(value)s”.") % {"value": values["kind"]})
        date = _date(values["date"])
        if date is None:
            problems.append(_("The date “%(value)s” is not a date.") % {"value": values["date"]})
        task_ids = None
        if values["task"] not in (None, "") and unit is not None:
            if unit.pk not in allowed_tasks:
                allowed_tasks[unit.pk] = set(tasks_for_unit(unit).values_list("pk", flat=True))
            try:
                task_ids = [int(values["task"])]
            except (TypeError, ValueError):
                task_ids = [0]
        try:
            # A value already refused above is replaced by a harmless one, so the row's other
            # fields are still checked and every problem of the row is named at once.
            checked = activity_check(
                unit=unit,
                kind=kind or ActivityKind.values[0],
                date=date or today,
                title=str(values["title"] or ""),
                counts={field: values[field] for field in COUNT_FIELDS},
                task_ids=task_ids,
                allowed_task_ids=allowed_tasks.get(getattr(unit, "pk", None)),
            )
        except ValidationError as exc:
            problems.extend(
                message for messages in exc.message_dict.values() for message in messages
            )
        if problems:
            errors.append(
                _("Row %(row)d: %(problems)s") % {"row": number, "problems": " ".join(problems)}
            )
            continue
        activities.append(
            (
                Activity(
                    unit=unit,
                    kind=kind,
                    date=date,
                    title=checked["title"],
                    recorded_by=actor,
                    origin=ActivityOrigin.IMPORTED,
                    **checked["counts"],
                ),
                task_ids[0] if task_ids else None,
            )
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        created = Activity.objects.bulk_create([a for a, _t in activities], batch_size=1000)
        links = [
            Activity.tasks.through(activity_id=activity.pk, task_id=task_id)
            for activity, (_a, task_id) in zip(created, activities, strict=True)
            if task_id is not None
        ]
        Activity.tasks.through.objects.bulk_create(links, batch_size=1000)
        if created:
            rollup_mark_stale(min(a.date for a in created), max(a.date for a in created))
    return created
