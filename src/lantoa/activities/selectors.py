"""Reading activities: the list filtered as a person (or an indicator's trace) asks."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.http import QueryDict

from lantoa.orgs.models import OrgUnit, User

from .choices import COUNT_FIELDS, ActivityKind
from .models import Activity


def _date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text or "")
    except ValueError:
        return None


def activity_list(*, viewer: User, params: QueryDict | None = None) -> tuple[QuerySet, dict]:
    """The viewer's activities, narrowed by ``unit`` (its subtree), ``from``/``to``, ``kind``
    (repeatable) and ``field`` (only activities that count something in that field). Unknown
    or out-of-scope values are ignored, never widening the scope. Returns the queryset and the
    filters that applied, to show them."""
    activities = Activity.objects.restrict(viewer)
    params = params or QueryDict()
    applied: dict = {}
    unit_id = params.get("unit", "")
    unit = (
        OrgUnit.objects.restrict(viewer).filter(pk=unit_id).first() if unit_id.isdigit() else None
    )
    if unit is not None:
        activities = activities.filter(unit__path__startswith=unit.path)
        applied["unit"] = unit
    start, end = _date(params.get("from")), _date(params.get("to"))
    if start:
        activities = activities.filter(date__gte=start)
        applied["start"] = start
    if end:
        activities = activities.filter(date__lte=end)
        applied["end"] = end
    kinds = [k for k in params.getlist("kind") if k in ActivityKind.values]
    if kinds:
        activities = activities.filter(kind__in=kinds)
        applied["kinds"] = [ActivityKind(k).label for k in kinds]
    field = params.get("field")
    if field in COUNT_FIELDS:
        activities = activities.filter(**{f"{field}__gt": 0})
        applied["field"] = Activity._meta.get_field(field).verbose_name
    return activities, applied
