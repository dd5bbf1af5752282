"""Rate limits per client on the public endpoints, counted in Django's cache (fixed windows).
The client is known by a hash of its address (or Zalo user id): no address is stored."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def client_key(request_or_id) -> str:
    raw = (
        request_or_id
        if isinstance(request_or_id, str)
        else request_or_id.META.get("REMOTE_ADDR", "")
    )
    return hashlib.sha256(f"{settings.SECRET_KEY}:{raw}".encode()).hexdigest()[:24]


def allow(client: str, *, limit: int | None = None, window: int = 60) -> bool:
    """True while ``client`` asked fewer than ``limit`` questions in the current window."""
    limit = limit or settings.ASSISTANT_RATE_PER_MINUTE
    key = f"assistant-rate:{client}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
    return count <= limit
