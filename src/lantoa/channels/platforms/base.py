"""What every platform client shares: the interface, the typed errors, bounded HTTP.

A client is made for one account with its (decrypted) access token::

    client = client_for(account)          # lantoa.channels.platforms.client_for
    posted = client.post(entry)           # Posted(remote_id, url)
    client.find(entry)                    # Posted | None: was this entry already posted?
    client.delete(remote_id)              # True; False when already gone; NotSupported
    client.stats(remote_id)               # {"reach", "reactions", "shares", "views", "comments"}
    client.verify()                       # {"id", "name"} of the account, checks the token

``entry`` is an :class:`~lantoa.channels.models.OutboxEntry` (or any object with ``key``,
``text``, ``link``, ``hashtags``, ``asset``, ``item.title`` and ``created_at``).

Errors: :class:`RateLimited` (``retry_after`` seconds), :class:`Unauthorized` (the token is
expired or revoked: the account must be reconnected), :class:`Transient` (5xx, timeout, dropped
connection, malformed body: the post may or may not have been made, ask ``find`` before
resending), :class:`Rejected` (permanent, with the platform's reason), :class:`NotSupported`.
Tokens travel in headers (never in a URL, which ``httpx`` logs at INFO) and never appear in an
error message."""

from __future__ import annotations

import json
from dataclasses import dataclass

import httpx
from django.conf import settings

# A platform's answer is JSON of a few kilobytes; anything larger is refused unread.
MAX_RESPONSE_BYTES = 1024 * 1024


class PlatformError(Exception):
    """Base of the errors a client raises; the message never carries a token."""


class RateLimited(PlatformError):
    def __init__(self, message="rate limited", retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class Unauthorized(PlatformError):
    """The token is expired, revoked or lacks a permission: reconnect the account."""


class Transient(PlatformError):
    """Worth retrying later; the channel may have acted (ask ``find`` first)."""


class Rejected(PlatformError):
    """The channel refuses this request for good (its reason is the message)."""


class NotSupported(PlatformError):
    """The channel offers no way to do this (e.g. delete)."""


@dataclass(frozen=True)
class Posted:
    remote_id: str
    url: str = ""


def empty_stats() -> dict:
    return {"reach": None, "reactions": None, "shares": None, "views": None, "comments": None}


def count(value, default=None) -> int | None:
    """A count in a platform's answer, never below 0; ``default`` when it is not a number."""
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return default


def counted(stats: dict, numbers: dict, keys) -> dict:
    """``stats`` with each ``(field, key)`` of ``keys`` read from ``numbers`` (a field the
    answer gives no number for is left as it was)."""
    for field, key in keys:
        stats[field] = count(numbers.get(key), stats[field])
    return stats


def refreshed(data: dict, refresh_token: str, expires_in: int | None) -> dict:
    """A token refresh's answer: the new access token, the refresh token (a new one where the
    platform rotates it, else the one used) and the access token's life in seconds."""
    return {
        "access_token": str(data["access_token"]),
        "refresh_token": str(data.get("refresh_token") or refresh_token),
        "expires_in": expires_in,
    }


def timeout() -> httpx.Timeout:
    seconds = float(getattr(settings, "LANTOA_CHANNEL_TIMEOUT", 20))
    return httpx.Timeout(seconds, connect=min(seconds, 10.0))


def retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


class Client:
    """An httpx client for one account: explicit timeouts, bounded reading, typed errors."""

    platform = ""

    def __init__(self, account, token: str, *, http: httpx.Client | None = None):
        self.account = account
        self.token = token
        self.http = http or httpx.Client(timeout=timeout(), follow_redirects=False)

    def close(self):
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- the interface ------------------------------------------------------------------------
    def verify(self) -> dict:
        raise NotImplementedError

    def post(self, entry) -> Posted:
        raise NotImplementedError

    def find(self, entry) -> Posted | None:
        raise NotImplementedError

    def delete(self, remote_id: str) -> bool:
        raise NotSupported(f"{self.platform} posts cannot be deleted through its API")

    def stats(self, remote_id: str) -> dict:
        return empty_stats()

    # -- HTTP ---------------------------------------------------------------------------------
    def send(self, method: str, url: str, **kwargs) -> tuple[httpx.Response, bytes]:
        """The response and its body read up to ``MAX_RESPONSE_BYTES``; network faults become
        :class:`Transient` (the exception's type only: its text may quote the request)."""
        try:
            with self.http.stream(method, url, **kwargs) as response:
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > MAX_RESPONSE_BYTES:
                        raise Transient(f"{self.platform}: answer larger than allowed")
                return response, bytes(body)
        except httpx.TimeoutException as error:
            raise Transient(f"{self.platform}: timed out ({type(error).__name__})") from None
        except httpx.HTTPError as error:
            raise Transient(
                f"{self.platform}: connection failed ({type(error).__name__})"
            ) from None

    def parse(self, body: bytes) -> dict:
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            raise Transient(f"{self.platform}: malformed answer") from None
        if not isinstance(data, dict):
            raise Transient(f"{self.platform}: malformed answer")
        return data


def compose(entry) -> str:
    """The text as posted: the entry's text, then its hashtags unless the text has them."""
    text = (entry.text or "").strip()
    tags = (getattr(entry, "hashtags", "") or "").strip()
    if tags and tags not in text:
        text = f"{text}\n\n{tags}" if text else tags
    return text


def entry_title(entry) -> str:
    # The title the outbox composed for the channel (cut between words to its limit), if any.
    composed = (getattr(entry, "title", "") or "").strip()
    if composed:
        return composed[:150]
    item = getattr(entry, "item", None)
    title = getattr(item, "title", "") if item is not None else ""
    return (title or (entry.text or "").strip().split("\n", 1)[0])[:150]


def is_image(asset) -> bool:
    return asset is not None and (asset.content_type or "").startswith("image/")


def is_video(asset) -> bool:
    return asset is not None and (asset.content_type or "").startswith("video/")
