"""Clients of the platforms a unit posts to; see :mod:`.base` for the interface.

``client_for(account)`` decrypts the account's token and returns the platform's client (a
context manager: ``with client_for(account) as client: client.post(entry)``). TikTok: its
Content Posting API needs an audited app and a user-scoped OAuth flow; no client here yet
(``NotSupported``)."""

from __future__ import annotations

from ..choices import Platform
from .base import (
    MAX_RESPONSE_BYTES,
    Client,
    NotSupported,
    PlatformError,
    Posted,
    RateLimited,
    Rejected,
    Transient,
    Unauthorized,
    empty_stats,
)
from .facebook import FacebookClient
from .youtube import YouTubeClient
from .zalo import ZaloClient

CLIENTS = {
    Platform.FACEBOOK: FacebookClient,
    Platform.ZALO: ZaloClient,
    Platform.YOUTUBE: YouTubeClient,
}

__all__ = [
    "CLIENTS",
    "MAX_RESPONSE_BYTES",
    "Client",
    "FacebookClient",
    "NotSupported",
    "PlatformError",
    "Posted",
    "RateLimited",
    "Rejected",
    "Transient",
    "Unauthorized",
    "YouTubeClient",
    "ZaloClient",
    "client_for",
    "empty_stats",
]


def client_for(account, token: str | None = None) -> Client:
    """The client of ``account``'s platform with its decrypted access token (or ``token``)."""
    from ..secrets import reveal

    cls = CLIENTS.get(account.platform)
    if cls is None:
        raise NotSupported(f"{account.platform}: no client for this platform")
    return cls(account, reveal(account.access_token) if token is None else token)
