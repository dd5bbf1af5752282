"""Recording and correcting state-funded S&T tasks, one at a time or from a sheet. The form, the
API, the sheet import and the demo call the same checks and the same writes."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.activities.models import Activity
from lantoa.content.models import ContentItem
from lantoa.core.text import fold
from lantoa.indicators.services import rollup_mark_stale
from lantoa.orgs.audit import acting
from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import require

from .models import STTask
from .sttasks_choices import EARLIEST_YEAR, LATEST_YEAR, MAX_AMOUNT, STTaskLevel, STTaskStatus

FIELDS = (
    "code",
    "title",
    "level",
    "host_organisation",
    "lead_researcher",
    "budget",
    "start_year",
    "end_year",
    "status",
    "registered",
    "registration_number",
    "registration_date",
    "secret",
)


def amount_error(value) -> tuple[int | None, str | None]:
    """(the amount as whole đồng, None) or (None, why it is refused). Empty is (None, None)."""
    if value in (None, ""):
        return None, None
    try:
        if isinstance(value, str):
            value = value.strip().replace(".", "").replace(",", "").replace(" ", "")
        number = int(value)
        if isinstance(value, float) and value != number:
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        return None, _("Enter an amount in whole đồng.")
    if number < 0:
        return None, _("An amount cannot be negative.")
    if number > MAX_AMOUNT:
        return None, _("This amount is too large: at most %(max)s đồng.") % {
            "max": f"{MAX_AMOUNT:,}".replace(",", ".")
        }
    return number, None


def year_error(value) -> tuple[int | None, str | None]:
    try:
        year = int(value)
        if isinstance(value, float) and value != year:
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        return None, _("Enter a year.")
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return None, _("The year must be between %(first)s and %(last)s.") % {
            "first": EARLIEST_YEAR,
            "last": LATEST_YEAR,
        }
    return year, None


def _text(value, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def sttask_check(values: dict) -> dict:
    """Every check a task must pass, all at once: the cleaned fields, or a ValidationError
    naming each wrong field."""
    errors: dict[str, str] = {}
    cleaned: dict = {}
    for name, limit in (
        ("code", 64),
        ("title", 500),
        ("host_organisation", 255),
        ("lead_researcher", 255),
        ("registration_number", 64),
    ):
        raw = " ".join(str(values.get(name) or "").split())
        if len(raw) > limit:
            errors[name] = _("At most %(n)s characters.") % {"n": limit}
        cleaned[name] = raw[:limit]
    for name, message in (
        ("code", _("Enter the task's code.")),
        ("title", _("Enter the task's title.")),
        ("host_organisation", _("Enter the host organisation.")),
    ):
        if not cleaned[name] and name not in errors:
            errors[name] = message
    level = values.get("level")
    if level not in STTaskLevel.values:
        errors["level"] = _("Choose the task's level.")
    cleaned["level"] = level
    status = values.get("status") or STTaskStatus.PROPOSED
    if status not in STTaskStatus.values:
        errors["status"] = _("Choose the task's status.")
    cleaned["status"] = status
    budget, problem = amount_error(values.get("budget"))
    if problem:
        errors["budget"] = problem
    cleaned["budget"] = budget
    for name in ("start_year", "end_year"):
        year, problem = year_error(values.get(name))
        if problem:
            errors[name] = problem
        cleaned[name] = year
    if (
        cleaned["start_year"]
        and cleaned["end_year"]
        and "end_year" not in errors
        and cleaned["end_year"] < cleaned["start_year"]
    ):
        errors["end_year"] = _("The end year is before the start year.")
    cleaned["registered"] = bool(values.get("registered"))
    cleaned["secret"] = bool(values.get("secret"))
    date = values.get("registration_date") or None
    if date is not None and not isinstance(date, datetime.date):
        errors["registration_date"] = _("Enter a date as dd/mm/yyyy.")
        date = None
    if isinstance(date, datetime.datetime):
        date = date.date()
    if date and date > timezone.localdate():
        errors["registration_date"] = _("The registration date is in the future.")
    cleaned["registration_date"] = date
    if cleaned["registered"]:
        if not cleaned["registration_number"] and "registration_number" not in errors:
            errors["registration_number"] = _(
                "A registered task needs the number of its registration certificate."
            )
        if not date and "registration_date" not in errors:
            errors["registration_date"] = _("A registered task needs its registration date.")
    else:
        cleaned["registration_number"], cleaned["registration_date"] = "", None
    if errors:
        raise ValidationError(errors)
    return cleaned


def folded(values: dict) -> str:
    """What the search matches: code, title and host, without accents."""
    return fold(f"{values['code']} {values['title']} {values['host_organisation']}")[:900]


def _links(actor, unit: OrgUnit, content_items, activities):
    """The content items and events a task links to, each one the actor may see (the system
    links anything)."""
    items, events = list(content_items or []), list(activities or [])
    if actor is not None:
        seen_items = set(
            ContentItem.objects.restrict(actor)
            .filter(pk__in=[i.pk for i in items])
            .values_list("pk", flat=True)
        )
        seen_events = set(
            Activity.objects.restrict(actor)
            .filter(pk__in=[a.pk for a in events])
            .values_list("pk", flat=True)
        )
        if len(seen_items) < len({i.pk for i in items}) or len(seen_events) < len(
            {a.pk for a in events}
        ):
            raise ValidationError(
                _("A linked content item or event is outside your part of the tree.")
            )
    return items, events


def _code_taken(unit: OrgUnit, code: str, exclude: int | None = None) -> bool:
    tasks = STTask.objects.filter(unit=unit, code__iexact=code)
    if exclude:
        tasks = tasks.exclude(pk=exclude)
    return tasks.exists()


def sttask_create(*, actor, unit: OrgUnit, values: dict, content_items=(), activities=()) -> STTask:
    require(actor, Action.RECORD, unit)
    cleaned = sttask_check(values)
    if _code_taken(unit, cleaned["code"]):
        raise ValidationError({"code": _("This unit already has a task with this code.")})
    items, events = _links(actor, unit, content_items, activities)
    with acting(actor), transaction.atomic():
        task = STTask.objects.create(
            unit=unit,
            folded=folded(cleaned),
            recorded_by=actor if getattr(actor, "pk", None) else None,
            **cleaned,
        )
        task.content_items.set(items)
        task.activities.set(events)
    rollup_mark_stale()  # the registered and communicated shares may change
    return task


def sttask_edit(
    *,
    actor,
    task: STTask,
    unit: OrgUnit | None = None,
    values: dict,
    content_items=None,
    activities=None,
) -> STTask:
    require(actor, Action.RECORD, task.unit)
    unit = unit or task.unit
    require(actor, Action.RECORD, unit)
    merged = {name: getattr(task, name) for name in FIELDS} | values
    cleaned = sttask_check(merged)
    if _code_taken(unit, cleaned["code"], exclude=task.pk):
        raise ValidationError({"code": _("This unit already has a task with this code.")})
    items, events = _links(
        actor,
        unit,
        task.content_items.all() if content_items is None else content_items,
        task.activities.all() if activities is None else activities,
    )
    with acting(actor), transaction.atomic():
        for name, value in cleaned.items():
            setattr(task, name, value)
        task.unit = unit
        task.folded = folded(cleaned)
        task.save()
        task.content_items.set(items)
        task.activities.set(events)
    rollup_mark_stale()  # the registered and communicated shares may change
    return task
