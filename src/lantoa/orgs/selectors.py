"""Reads of the org tree and of people, always through the viewer's scope."""

from __future__ import annotations

import re

from auditlog.models import LogEntry
from django.db.models import QuerySet

from .choices import Action
from .models import Membership, OrgUnit, User
from .scoping import is_unrestricted, scope_paths, subtree_q


def unit_list(*, viewer: User, action: str = Action.VIEW) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.restrict(viewer, action)


def unit_scope_roots(*, viewer: User) -> QuerySet[OrgUnit]:
    """The top units of the parts of the tree the viewer covers."""
    if is_unrestricted(viewer):
        return OrgUnit.objects.get_root_nodes()
    return OrgUnit.objects.filter(path__in=scope_paths(viewer, Action.VIEW))


def unit_search(*, viewer: User, text: str, limit: int = 50) -> list[OrgUnit]:
    """Accent-insensitive search within scope; shallower units (provinces, communes) first."""
    return list(unit_list(viewer=viewer).search(text).order_by("depth", "name")[:limit])


def unit_children(*, viewer: User, unit: OrgUnit) -> QuerySet[OrgUnit]:
    return unit_list(viewer=viewer).filter(path__startswith=unit.path, depth=unit.depth + 1)


def unit_breadcrumb(*, viewer: User, unit: OrgUnit) -> list[tuple[OrgUnit, bool]]:
    """Ancestors of ``unit`` with whether the viewer may open each one."""
    ancestors = list(OrgUnit.objects.get_ancestors(unit))
    visible = set(
        unit_list(viewer=viewer)
        .filter(pk__in=[a.pk for a in ancestors])
        .values_list("pk", flat=True)
    )
    return [(ancestor, ancestor.pk in visible) for ancestor in ancestors]


def membership_list(*, viewer: User, unit: OrgUnit | None = None) -> QuerySet[Membership]:
    memberships = Membership.objects.restrict(viewer).select_related("user", "unit")
    if unit is not None:
        memberships = memberships.filter(unit=unit)
    return memberships.order_by("unit__path", "role", "user__username")


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return (
        user.memberships.filter(unit__is_active=True).select_related("unit").order_by("unit__path")
    )


def audit_list(*, viewer: User) -> QuerySet[LogEntry]:
    """Audit entries of the viewer's subtree; entries not tied to a unit are for superusers."""
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if is_unrestricted(viewer):
        return entries
    paths = scope_paths(viewer, Action.VIEW_AUDIT)
    if not paths:
        return entries.none()
    return entries.filter(subtree_q("additional_data__unit_path", paths))


def object_history(*, obj, limit: int = 50) -> list[LogEntry]:
    """The audit entries of one object and of its parts (a plan's tasks and targets, a
    report's task rows and comments), newest first, each with ``rows``: (field, from, to).
    For a page that already checked the viewer may see ``obj``."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    where = Q(content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk))
    audit_key = getattr(obj, "audit_key", None)
    if callable(audit_key):
        where |= Q(additional_data__parent=audit_key())
    entries = list(
        LogEntry.objects.filter(where)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")[:limit]
    )
    change_rows(entries)
    return entries


def change_rows(entries) -> None:
    """Give each audit entry ``rows`` (field, from, to) and ``summary``: fields by their verbose
    name, choices by their label ("Approved"), a related object by its name, read with one
    ``in_bulk`` per related model for all the entries (auditlog's changes_display_dict reads
    each one with a query of its own). A field since removed keeps its raw name and value."""
    parsed = []
    wanted: dict = {}
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type_id else None
        items = []
        for name, values in (entry.changes_dict or {}).items():
            if not isinstance(values, list | tuple):
                continue
            before, after = (_shown(v) for v in (list(values) + [None, None])[:2])
            if before is None and after is None:
                continue  # empty before and after (a blank new field, a reverse relation)
            field = _model_field(model, name)
            if field is not None and (field.many_to_one or field.one_to_one):
                ids = wanted.setdefault(field.related_model, set())
                ids.update(str(v) for v in (before, after) if v is not None)
            items.append((field, name, before, after))
        parsed.append((entry, items))
    related = {}
    for model, ids in wanted.items():
        try:
            found = model._base_manager.in_bulk(list(ids))
        except (ValueError, TypeError):  # an id of another shape: shown as written
            found = {}
        related[model] = {str(pk): obj for pk, obj in found.items()}

    def shown(field, value):
        if value is None or field is None:
            return value
        if field.is_relation and field.related_model in related:
            obj = related[field.related_model].get(str(value))
            return str(obj) if obj is not None else value
        if field.choices:
            return {str(key): label for key, label in field.flatchoices}.get(str(value), value)
        return value

    for entry, items in parsed:
        entry.rows = [
            (
                str(field.verbose_name) if field is not None else name,
                *(shown(field, v) for v in pair),
            )
            for field, name, *pair in items
        ]
        entry.summary = (entry.additional_data or {}).get("summary", "")


def _model_field(model, name):
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a field since removed
        return None
    return field if getattr(field, "concrete", False) else None


def _shown(value):
    """auditlog writes an empty value as the text "None" (and an empty relation as
    "app.Model.None"): shown as nothing."""
    if value in (None, "None", "") or re.fullmatch(r"\w+\.\w+\.None", str(value)):
        return None
    return value
