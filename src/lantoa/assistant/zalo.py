"""Zalo Official Account: the webhook's signature and the reply through the OA API.

Zalo signs each webhook call in the ``X-ZEvent-Signature`` header as
``mac=sha256(app_id + body + timestamp + oa_secret_key)``; a reply to a user is a POST to
``/v3.0/oa/message/cs`` with the OA's ``access_token`` header, sent through the unit's Zalo OA
channel account that answers questions (``lantoa.channels``: its token encrypted, refreshed
before it lapses). The signature's app id and OA secret key stay global settings
(LANTOA_ZALO_APP_ID, LANTOA_ZALO_OA_SECRET): they belong to the Zalo app, not to an OA.

A signed call is accepted once: its timestamp must lie within ``REPLAY_WINDOW`` of now, and its
MAC and message id are remembered in the cache (shared by the workers: LANTOA_CACHE_URL) for
that long, so a captured call replayed later, or the same message delivered twice, is not
answered twice."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
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


def send_text(user_id: str, text: str, *, unit=None, oa_id: str = "") -> bool:
    """Send a text to a Zalo user through the Zalo OA account answering citizens' questions
    (the webhook's OA by its id, else ``unit``'s or its nearest ancestor's: a channel account
    with ``answers_questions``); False (logged, the token never) when there is none or Zalo
    refuses. A revoked token marks the account "needs reconnecting" and tells its
    administrators (``channels.services.with_account``)."""
    from lantoa.channels.platforms import PlatformError
    from lantoa.channels.selectors import assistant_account
    from lantoa.channels.services import with_account

    account = assistant_account(unit, str(oa_id or ""))
    if account is None:
        log.warning("Zalo reply not sent: no Zalo OA account answers questions for this unit")
        return False
    try:
        with_account(account, lambda client: client.send_text(user_id, text))
    except PlatformError as error:
        log.warning("Zalo reply failed: %s", type(error).__name__)
        return False
    return True
