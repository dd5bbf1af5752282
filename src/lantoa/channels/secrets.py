"""Channel tokens encrypted at rest (Fernet, from ``cryptography``).

Keys come from ``LANTOA_CHANNEL_KEYS``: comma-separated urlsafe-base64 Fernet keys (make one
with ``python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"``).
The FIRST key encrypts; every key decrypts. To rotate: put the new key first, keep the old ones
after it, run ``lantoa rotate-channel-keys`` (re-encrypts every stored token under the first
key), then remove the old keys. Without keys, a development key derived from SECRET_KEY is used
in DEBUG or the test suite only; in production the system check ``lantoa.channels.E001`` fails.

A token is never logged, never put in an exception's text, never rendered back."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "fernet:"


def configured_keys() -> list[str]:
    raw = getattr(settings, "LANTOA_CHANNEL_KEYS", "") or ""
    return [key.strip() for key in raw.split(",") if key.strip()]


def development_allowed() -> bool:
    return bool(getattr(settings, "CHANNEL_DEVELOPMENT_KEY", settings.DEBUG))


def development_key() -> bytes:
    digest = hashlib.sha256(b"lantoa-channel-tokens:" + settings.SECRET_KEY.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def fernet() -> MultiFernet:
    keys = configured_keys()
    if not keys:
        if not development_allowed():
            raise ImproperlyConfigured("LANTOA_CHANNEL_KEYS is not set")
        return MultiFernet([Fernet(development_key())])
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError:
        raise ImproperlyConfigured("LANTOA_CHANNEL_KEYS holds a malformed key") from None


def seal(token: str) -> str:
    """The stored form of a token ("" stays "")."""
    if not token:
        return ""
    return PREFIX + fernet().encrypt(token.encode()).decode()


def reveal(stored: str) -> str:
    """The token from its stored form; raises ImproperlyConfigured when no key opens it."""
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        raise ImproperlyConfigured("a channel token is stored unencrypted")
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured("no key in LANTOA_CHANNEL_KEYS opens a stored token") from None


def reseal(stored: str) -> str:
    """The same token encrypted under the first key (rotation)."""
    if not stored:
        return ""
    try:
        return PREFIX + fernet().rotate(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured("no key in LANTOA_CHANNEL_KEYS opens a stored token") from None


def check_keys(app_configs=None, **kwargs):
    """System check: production needs LANTOA_CHANNEL_KEYS, well formed."""
    from django.core.checks import Error

    keys = configured_keys()
    if not keys:
        if development_allowed():
            return []
        return [
            Error(
                "LANTOA_CHANNEL_KEYS is not set: channel tokens cannot be encrypted.",
                hint="Set one or more Fernet keys, comma-separated (the first encrypts).",
                id="lantoa.channels.E001",
            )
        ]
    for key in keys:
        try:
            Fernet(key.encode())
        except ValueError:
            return [
                Error(
                    "LANTOA_CHANNEL_KEYS holds a malformed key.",
                    hint="Each key is 32 bytes in urlsafe base64 (Fernet.generate_key()).",
                    id="lantoa.channels.E002",
                )
            ]
    return []
