"""The public section's cache version: one number per unit, bumped on every publish or
unpublish of an item of the unit or of any unit below it (a province's and the nation's pages
gather their subtree's items).

Cached public pages name the version of their unit in their key, so a publish makes every page
of the unit and its ancestors miss the cache at once, without deleting a key. A version lost by
the cache (evicted, restarted) starts again from the clock, never from a number an old page
was stored under."""

from __future__ import annotations

import time

from django.core.cache import cache

from lantoa.orgs.scoping import path_chain

TIMEOUT = None  # versions are kept until evicted


def _key(path: str) -> str:
    return f"content:public:version:{path}"


def _fresh() -> int:
    return time.time_ns() // 1000


def version(unit) -> int:
    """The unit's current version (made on first use)."""
    key = _key(unit.path)
    value = cache.get(key)
    if value is None:
        cache.add(key, _fresh(), TIMEOUT)
        value = cache.get(key)
    return int(value or 0)


def bump(unit) -> None:
    """A publish or unpublish in ``unit``: the unit and every ancestor get a new version."""
    for path in path_chain(unit.path):
        key = _key(path)
        try:
            cache.incr(key)
        except ValueError:  # missing: start from the clock, above any number used before
            cache.set(key, _fresh(), TIMEOUT)
