"""The one scoping mechanism: a membership (user, unit, role) covers the unit's subtree.

Every scoped model's queryset has ``restrict(user, action)``, which turns the user's
memberships into one predicate on a materialised path ("path starts with P1 or P2 ..."),
indexed on PostgreSQL by the path column's pattern index. Base views and API classes call it;
views never filter by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from .choices import ROLE_ACTIONS, Action

if TYPE_CHECKING:
    from .models import OrgUnit, User

_CACHE_ATTR = "_lantoa_scope_paths"


def minimal_prefixes(paths: Iterable[str]) -> tuple[str, ...]:
    """Drop every path already covered by a shorter one (sorted order puts prefixes first)."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return tuple(kept)


def scope_paths(user: User, action: str = Action.VIEW) -> tuple[str, ...]:
    """The tree paths under which ``user`` may perform ``action``; cached on the user object."""
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        from .models import Membership

        cache = {}
        rows = Membership.objects.filter(user=user, unit__is_active=True).values_list(
            "unit__path", "role"
        )
        by_action: dict[str, list[str]] = {}
        for path, role in rows:
            for allowed in ROLE_ACTIONS.get(role, ()):
                by_action.setdefault(allowed, []).append(path)
        cache = {name: minimal_prefixes(paths) for name, paths in by_action.items()}
        setattr(user, _CACHE_ATTR, cache)
    return cache.get(action, ())


def forget_scope(user: User) -> None:
    """Drop the cached scope after the user's memberships changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def subtree_q(field: str, paths: Iterable[str]) -> Q:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


def is_unrestricted(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def can(user, action: str, unit: OrgUnit) -> bool:
    """May ``user`` perform ``action`` on ``unit`` (and so on anything in its subtree)?"""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return any(unit.path.startswith(path) for path in scope_paths(user, action))


def require(actor, action: str, unit: OrgUnit, message: str | None = None) -> None:
    """Raise PermissionDenied unless ``actor`` may do ``action`` on ``unit``; an actor of None
    is the system itself (commands, the demo loader, background tasks)."""
    if actor is not None and not can(actor, action, unit):
        raise PermissionDenied(
            message or _("You do not have permission to do this for %(unit)s.") % {"unit": unit}
        )


def actions_on(user, unit: OrgUnit) -> frozenset[str]:
    """Every action ``user`` holds over ``unit``."""
    return frozenset(action for action in Action.values if can(user, action, unit))


class ScopedQuerySet(models.QuerySet):
    """Base queryset for everything that belongs to a unit of the org tree.

    ``scope_field`` names the path the row is scoped by: ``"unit__path"`` for rows with a
    ``unit`` foreign key, ``"path"`` for the units themselves.
    """

    scope_field = "unit__path"

    def restrict(self, user, action: str = Action.VIEW):
        if is_unrestricted(user):
            return self
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        paths = scope_paths(user, action)
        if not paths:
            return self.none()
        return self.filter(subtree_q(self.scope_field, paths))


STEPLEN = 4  # OrgUnit.steplen: materialised paths grow four characters a level


def path_chain(path: str) -> list[str]:
    """The paths of the root, every ancestor and the node itself, root first."""
    return [path[:end] for end in range(STEPLEN, len(path) + 1, STEPLEN)]


def ancestor_paths(paths: Iterable[str]) -> set[str]:
    """Every strict ancestor path of ``paths``."""
    return {ancestor for path in paths for ancestor in path_chain(path)[:-1]}


class ChainScopedQuerySet(ScopedQuerySet):
    """For documents that bind the units below their issuer (plans and their tasks): viewing
    also reaches what the user's ancestors issued, so a school sees its commune's plan. Every
    other action stays within the user's subtree."""

    def restrict(self, user, action: str = Action.VIEW):
        if (
            action != Action.VIEW
            or is_unrestricted(user)
            or not (user and user.is_authenticated and user.is_active)
        ):
            return super().restrict(user, action)
        paths = scope_paths(user, action)
        if not paths:
            return self.none()
        return self.filter(
            subtree_q(self.scope_field, paths)
            | Q(**{f"{self.scope_field}__in": ancestor_paths(paths)})
        )
