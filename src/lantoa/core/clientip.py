"""The client's address, the one way every limit and record knows who is asking.

Behind ``LANTOA_TRUSTED_PROXIES`` = N reverse proxies (nginx, a load balancer), each proxy
appends the address it saw to ``X-Forwarded-For``; the client's address is then the Nth from the
right, and whatever a client wrote further left is its own word and ignored. With no proxy
configured (the default) the header counts for nothing and the connection's address is used.
Used by the login lockout (django-axes), the API's token throttle, the assistant's rate limit
and the audit log.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _address(text: str) -> str | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The address of the client that made ``request`` (a Django or DRF request)."""
    meta = request.META
    remote = meta.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "LANTOA_TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return remote
    forwarded = [a for a in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if len(forwarded) < proxies:
        return remote
    return _address(forwarded[-proxies]) or remote
