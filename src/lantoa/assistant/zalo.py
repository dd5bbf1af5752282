"""Zalo Official Account: the webhook's signature and the reply through the OA API.

Zalo signs each webhook call in the ``X-ZEvent-Signature`` header as
``mac=sha256(app_id + body + timestamp + oa_secret_key)``; a reply to a user is a POST to
``/v3.0/oa/message/cs`` with the OA's ``access_token`` header. The API's address is a setting
so tests (and a staging OA) point it at a server of their own.

A signed call is accepted once: its timestamp must lie within ``REPLAY_WINDOW`` of now, and its
MAC and message id are remembered in the cache (shared by the workers: LANTOA_CACHE_URL) for
that long, so a captured call replayed later, or the same message delivered twice, is not
answered twice."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)

# How far a call's timestamp may be from now (either way: clocks drift), and how long its MAC and
# message id are remembered.
REPLAY_WINDOW = timedelta(minutes=5)


def timestamp_fresh(timestamp) -> bool | None:
    """True when Zalo's timestamp (milliseconds since the epoch) is within the window; False when
    outside; None when it is not a number at all."""
    try:
        stamp = int(str(timestamp).strip())
    except ValueError:
        return None
    seconds = stamp / 1000 if stamp > 10**11 else stamp  # seconds, from an older client
    return abs(time.time() - seconds) <= REPLAY_WINDOW.total_seconds()


def call_digest(body: bytes) -> str:
    """What a verified call is remembered by: its body (signed, with its timestamp, by the MAC),
    never the signature header as sent, which can be spelled several ways."""
    return hashlib.sha256(body).hexdigest()


def first_delivery(digest: str, message_id: str) -> bool:
    """True the first time a call (by ``call_digest``) and a message (by its id) are seen in
    the window."""
    window = int(REPLAY_WINDOW.total_seconds()) * 2  # the window is on both sides of now
    keys = [f"zalo-seen:mac:{digest}"]
    if message_id:
        keys.append(f"zalo-seen:msg:{hashlib.sha256(message_id.encode()).hexdigest()}")
    fresh = [cache.add(key, 1, timeout=window) for key in keys]
    return all(fresh)


def signature_ok(body: bytes, header: str, timestamp: str) -> bool:
    secret, app_id = settings.ZALO_OA_SECRET, settings.ZALO_APP_ID
    if not secret or not app_id or not header:
        return False
    expected = hashlib.sha256(
        app_id.encode() + body + str(timestamp).encode() + secret.encode()
    ).hexdigest()
    header = header.strip()
    given = header.split("=", 1)[1] if header.startswith("mac=") else header
    return hmac.compare_digest(expected, given.strip())


def send_text(user_id: str, text: str) -> bool:
    """Send a text to a Zalo user; False (logged, token never logged) when Zalo refuses."""
    payload = json.dumps(
        {"recipient": {"user_id": user_id}, "message": {"text": text[:2000]}}, ensure_ascii=False
    ).encode()
    url = settings.ZALO_API_URL.rstrip("/") + "/v3.0/oa/message/cs"
    if not url.startswith(("https://", "http://")):
        log.warning("Zalo reply not sent: ZALO_API_URL is not an http(s) address")
        return False
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=payload,
        method="POST",
        headers={"Content-Type": "application/json", "access_token": settings.ZALO_ACCESS_TOKEN},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.ZALO_TIMEOUT) as response:  # noqa: S310
            answer = json.loads(response.read() or b"{}")
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        log.warning("Zalo reply failed: %s", type(error).__name__)
        return False
    if answer.get("error", 0) != 0:
        log.warning("Zalo refused the reply: error %s", answer.get("error"))
        return False
    return True
