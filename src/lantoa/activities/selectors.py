"""Reading activities: the list filtered as a person (or an indicator's trace) asks."""

from __future__ import annotations

import datetime

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from lantoa.orgs.models import OrgUnit, User

from .choices import COUNT_FIELDS, ActivityKind
from .models import Activity, Evidence


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
    params = params or QueryDict()
    withdrawn = params.get("withdrawn") == "1"
    activities = Activity.objects.restrict(viewer).listed(withdrawn)
    applied: dict = {"withdrawn": True} if withdrawn else {}
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


def activity_history(activity: Activity) -> list[dict]:
    """The activity's record as its page shows it to those who may see the activity: who
    recorded, changed or withdrew it, and its evidence added or removed, each change as
    (label, from, to), oldest first. Rows are built here so no field name (``items``) can
    shadow anything in a template."""
    activity_type = ContentType.objects.get_for_model(Activity)
    evidence_type = ContentType.objects.get_for_model(Evidence)
    key = str(activity.pk)
    entries = (
        LogEntry.objects.filter(
            Q(content_type=activity_type, object_pk=key)
            | Q(content_type=evidence_type)
            & (Q(changes__activity__0=key) | Q(changes__activity__1=key))
        )
        .select_related("actor")
        .order_by("timestamp", "pk")
    )
    labels = {
        f.name: f.verbose_name for f in Activity._meta.get_fields() if hasattr(f, "verbose_name")
    }
    kinds = dict(ActivityKind.choices)
    rows = []
    for entry in entries:
        if entry.content_type_id == evidence_type.pk:
            what = (
                _("Evidence added")
                if entry.action == LogEntry.Action.CREATE
                else (
                    _("Evidence removed")
                    if entry.action == LogEntry.Action.DELETE
                    else _("Evidence changed")
                )
            )
            rows.append({"entry": entry, "what": f"{what}: {entry.object_repr}", "changes": []})
            continue
        changes = []
        for field, change in (entry.changes_dict or {}).items():
            if field in ("id", "unit_id", "recorded_by", "withdrawn_by", "origin", "origin_ref"):
                continue
            if isinstance(change, dict):  # many-to-many (tasks)
                objects = ", ".join(change.get("objects", []))
                verb = {"add": "+", "delete": "−", "clear": "∅"}.get(change.get("operation"), "")
                changes.append((labels.get(field, field), "", f"{verb} {objects}".strip()))
                continue
            old, new = (list(change) + ["", ""])[:2]
            if field == "kind":
                old, new = kinds.get(old, old), kinds.get(new, new)
            changes.append((labels.get(field, field), _none(old), _none(new)))
        what = {
            LogEntry.Action.CREATE: _("Recorded"),
            LogEntry.Action.UPDATE: _("Changed"),
            LogEntry.Action.DELETE: _("Deleted"),
        }.get(entry.action, "")
        if entry.action == LogEntry.Action.CREATE:
            changes = []  # the page shows what it holds
        withdrawn = (entry.changes_dict or {}).get("withdrawn_at")
        if isinstance(withdrawn, list) and _none(withdrawn[-1]):
            what = _("Withdrawn")
            changes = [c for c in changes if c[0] != labels["withdrawn_at"]]
        rows.append({"entry": entry, "what": what, "changes": changes})
    return rows


def _none(value) -> str:
    return "" if value in (None, "None") else str(value)
