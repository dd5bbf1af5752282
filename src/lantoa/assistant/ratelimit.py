"""Rate limits per client on the public endpoints, counted in Django's default cache (fixed
windows): Redis in production (LANTOA_CACHE_URL), so every worker process counts together.
The client is known by a hash of its address as lantoa.core.clientip finds it behind the
trusted proxies (or by its Zalo user id): no address is stored."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from lantoa.core.clientip import client_ip


def client_key(request_or_id) -> str:
    raw = request_or_id if isinstance(request_or_id, str) else client_ip(request_or_id)
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
