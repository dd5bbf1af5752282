"""A plan's task table as .xlsx and back: officials live in Excel.

The sheet keeps each task's id in the first column, so a re-uploaded sheet updates the tasks
it lists and adds rows without an id as new tasks; nothing is deleted from a sheet. A sheet with
any bad row changes nothing, and every bad row is reported by its number.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from lantoa.core.sheets import append_row, sheet_rows
from lantoa.core.text import fold
from lantoa.orgs.models import OrgUnit

from .choices import AssignmentRole, TaskStatus, Timing
from .importer.due import due_date_of
from .matching import match_units
from .models import Plan, Task, TaskAssignment

MAX_ROWS = 5000


def _columns():
    return [
        ("id", _("ID"), 8),
        ("group", _("Group"), 8),
        ("text", _("Task"), 70),
        ("timing", _("Timing"), 18),
        ("due_year", _("Due year"), 10),
        ("lead", _("Lead unit"), 30),
        ("support", _("Coordinating units"), 30),
        ("output", _("Expected output"), 30),
        ("status", _("Status"), 14),
        # Added after the first sheets went out: at the end, so those sheets still read.
        ("due_text", _("Due date as written"), 16),
        ("due_date", _("Due date"), 12),
    ]


def export_tasks(plan: Plan) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Tasks")[:31]
    columns = _columns()
    append_row(sheet, [label for _key, label, _width in columns])
    for index, (_key, _label, width) in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
        sheet.cell(row=1, column=index).font = Font(bold=True)
    timing_label = dict(Timing.choices)
    status_label = dict(TaskStatus.choices)
    for task in plan.tasks.prefetch_related("assignments__unit"):
        lead = "; ".join(str(a) for a in task.assignments.all() if a.role == AssignmentRole.LEAD)
        support = "; ".join(
            str(a) for a in task.assignments.all() if a.role == AssignmentRole.SUPPORT
        )
        append_row(
            sheet,
            [
                task.pk,
                task.group,
                task.text,
                str(timing_label.get(task.timing, "")),
                task.due_year,
                lead,
                support,
                task.output,
                str(status_label.get(task.status, "")),
                task.due_text,
                task.due_date,
            ],
        )
    for row in sheet.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
        row[10].number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _choice(value, choices) -> str | None:
    """A choice from its value or its label in either language, accents optional."""
    text = fold(str(value or ""))
    if not text:
        return ""
    from django.utils import translation

    for code, label in choices:
        names = {fold(code)}
        for language in ("vi", "en"):
            with translation.override(language):
                names.add(fold(str(label)))
        if text in names:
            return code
    return None


@dataclass
class SheetResult:
    updated: int = 0
    created: int = 0


def _date(value) -> datetime.date | None:
    """A date cell: a date, or text as 31/12/2025 or 2025-12-31; ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return datetime.date(year, month, day)
    return datetime.date.fromisoformat(text)


def import_tasks(*, plan: Plan, data: bytes) -> SheetResult:
    keys = [key for key, _label, _width in _columns()]
    rows = list(sheet_rows(data, columns=len(keys), max_rows=MAX_ROWS + 1, first_row=1))
    header = rows.pop(0)[1] if rows and rows[0][0] == 1 else ()
    # A sheet exported before the due-date columns existed leaves the tasks' due dates alone.
    has_due = sum(1 for cell in header if cell not in (None, "")) >= len(keys)
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("The sheet has more than %(n)d rows.") % {"n": MAX_ROWS})
    existing = {t.pk: t for t in plan.tasks.prefetch_related("assignments__unit")}
    errors: list[str] = []
    changes: list[tuple[Task, bool]] = []
    for number, row in rows:
        values = dict(zip(keys, row, strict=True))
        problems = []
        text = str(values["text"] or "").strip()
        if not text:
            problems.append(_("the task is empty"))
        timing = _choice(values["timing"], Timing.choices)
        if timing is None:
            problems.append(_("unknown timing “%(value)s”") % {"value": values["timing"]})
        status = _choice(values["status"], TaskStatus.choices)
        if status is None:
            problems.append(_("unknown status “%(value)s”") % {"value": values["status"]})
        due_year = values["due_year"]
        if due_year not in (None, ""):
            try:
                due_year = int(due_year)
                if not 2000 <= due_year <= 2100:
                    raise ValueError
            except (TypeError, ValueError):
                problems.append(
                    _("the due year “%(value)s” is not a year") % {"value": values["due_year"]}
                )
        else:
            due_year = None
        due_text = " ".join(str(values["due_text"] or "").split())
        if len(due_text) > 64:
            problems.append(_("the due date as written is longer than 64 characters"))
        due_date = None
        if values["due_date"] not in (None, ""):
            try:
                due_date = _date(values["due_date"])
            except (TypeError, ValueError):
                problems.append(
                    _("the due date “%(value)s” is not a date") % {"value": values["due_date"]}
                )
        task = None
        if values["id"] not in (None, ""):
            try:
                task = existing.get(int(values["id"]))
            except (TypeError, ValueError):
                task = None
            if task is None:
                problems.append(_("no task with ID %(id)s in this plan") % {"id": values["id"]})
        if problems:
            errors.append(
                _("Row %(row)d: %(problems)s.") % {"row": number, "problems": "; ".join(problems)}
            )
            continue
        created = task is None
        task = task or Task(plan=plan, order=len(existing) + len(changes))
        task.group = str(values["group"] or "").strip()[:16]
        task.text = text
        task.timing = timing or ""
        task.due_year = due_year
        task.output = str(values["output"] or "").strip()
        if has_due:
            task.due_text, task.due_date = due_text, due_date or due_date_of(due_text)
        if status:
            task.status = status
        units = {
            AssignmentRole.LEAD: _names(values["lead"]),
            AssignmentRole.SUPPORT: _names(values["support"]),
        }
        changes.append((task, created, units))
    if errors:
        raise ValidationError(errors)
    matched = match_units(
        plan.unit,
        list(
            dict.fromkeys(n for _t, _c, units in changes for names in units.values() for n in names)
        ),
    )
    with transaction.atomic():
        for task, created, units in changes:
            task.save()
            assign_units(task, units, matched, created=created)
    return SheetResult(
        updated=sum(1 for _t, created, _u in changes if not created),
        created=sum(1 for _t, created, _u in changes if created),
    )


def _names(value) -> list[str]:
    """The units of a "Lead unit" or "Coordinating units" cell, separated by semicolons."""
    return [" ".join(n.split())[:255] for n in str(value or "").split(";") if n.strip()]


def assign_units(
    task: Task,
    units: dict[str, list[str]],
    matched: dict[str, OrgUnit | None],
    *,
    created: bool,
) -> bool:
    """The lead and coordinating units as the sheet names them; left as they are when the
    sheet names the same ones (so a unit linked by hand stays linked). ``task`` comes with
    its assignments prefetched (or is new), ``matched`` holds every name of the sheet."""
    if not created:
        current = {role: [] for role in units}
        for assignment in task.assignments.all():
            current.setdefault(assignment.role, []).append(str(assignment))
        if current == units:
            return False
        for assignment in task.assignments.all():
            assignment.delete()  # one by one: each removal is on the audit record
    for role, names in units.items():
        for name in names:
            TaskAssignment.objects.create(task=task, unit=matched.get(name), name=name, role=role)
    return True


def sheet_filename(plan: Plan) -> str:
    base = re.sub(r"[^0-9A-Za-z]+", "-", fold(plan.number or f"plan-{plan.pk}")).strip("-")
    return f"{base or 'plan'}-tasks.xlsx"
