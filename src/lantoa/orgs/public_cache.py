"""The version of each unit's public section, for caching its pages.

A public page of a unit (``/u/<code>/``, its feeds) shows the unit's items and its subtree's
(a province gathers its communes'): its cache key carries :func:`version` of the unit, and
every publish, expiry or withdrawal in a unit :func:`bump` s the unit and all its ancestors,
so every page that could show the item is rebuilt on its next request; nothing else is
invalidated. Versions live in Django's cache (shared by the web processes); a lost key
starts again at a fresh value, which only costs one rebuild.
"""

from __future__ import annotations

import time

from django.core.cache import cache

from lantoa.orgs.scoping import path_chain

_PREFIX = "lantoa:public:v:"
_TIMEOUT = None  # versions never expire on their own


def _key(path: str) -> str:
    return f"{_PREFIX}{path}"


def _fresh() -> int:
    # Distinct from any value an earlier lost key had: the time in microseconds.
    return time.time_ns() // 1000


def version(unit) -> int:
    """The current version of ``unit``'s public pages (a number that changes on every bump
    of the unit or of any unit below it)."""
    return version_of_path(unit.path)


def versions(unit) -> str:
    """One string naming the version of ``unit`` and of every ancestor: for a page that shows
    what its ancestors publish too."""
    return ".".join(str(version_of_path(path)) for path in path_chain(unit.path))


def version_of_path(path: str) -> int:
    key = _key(path)
    value = cache.get(key)
    if value is None:
        value = _fresh()
        if not cache.add(key, value, _TIMEOUT):
            value = cache.get(key, value)
    return int(value)


def bump(unit) -> None:
    """Something public changed in ``unit``: its pages and every ancestor's are stale."""
    for path in path_chain(unit.path):
        key = _key(path)
        try:
            cache.incr(key)
        except ValueError:  # not in the cache (never read, or evicted)
            cache.set(key, _fresh(), _TIMEOUT)
