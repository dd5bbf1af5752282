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
    for entry in entries:
        try:
            # Field names as the user knows them, choices by their label ("Approved").
            changes = entry.changes_display_dict
        except Exception:  # noqa: BLE001 - a model since removed: the raw names and values
            changes = entry.changes_dict
        rows = [
            (field, *(_shown(v) for v in (list(values) + [None, None])[:2]))
            for field, values in (changes or {}).items()
            if isinstance(values, list | tuple)
        ]
        # A field empty before and after (a blank field of a new object, a reverse relation)
        # says nothing.
        entry.rows = [row for row in rows if row[1] is not None or row[2] is not None]
        entry.summary = (entry.additional_data or {}).get("summary", "")
    return entries


def _shown(value):
    """auditlog writes an empty value as the text "None" (and an empty relation as
    "app.Model.None"): shown as nothing."""
    if value in (None, "None", "") or re.fullmatch(r"\w+\.\w+\.None", str(value)):
        return None
    return value
