"""Writes of channel accounts: connect (verified with the platform), reconnect, disconnect,
refresh before the token lapses, and "needs reconnecting" with a notice to the administrators.

Tokens are sealed (``channels.secrets``) before they reach a model and never appear in a log
line, an exception's text, a page or the audit trail (the model's token fields are excluded
from auditlog in ``apps.py``)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.orgs.audit import audited, record
from lantoa.orgs.choices import Action, NotificationKind
from lantoa.orgs.models import OrgUnit, User
from lantoa.orgs.notifications import notify, people_of
from lantoa.orgs.scoping import require

from . import secrets
from .choices import AccountStatus, Platform
from .models import ChannelAccount

# The outbox's services (channels/outbox.py), callable from here as the app's services.
from .outbox import engagement_pull as engagement_pull
from .outbox import outbox_due as outbox_due
from .outbox import outbox_item_published as outbox_item_published
from .outbox import outbox_queue as outbox_queue
from .outbox import outbox_retry as outbox_retry
from .outbox import outbox_send as outbox_send
from .outbox import outbox_withdraw as outbox_withdraw
from .platforms import (
    CLIENTS,
    PlatformError,
    RateLimited,
    Rejected,
    Transient,
    Unauthorized,
    client_for,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

# Zalo refresh tokens live three months; Google's until revoked.
ZALO_REFRESH_LIFETIME = datetime.timedelta(days=90)
MAX_TOKEN_CHARS = 4096
MAX_LIFETIME_SECONDS = 10 * 365 * 24 * 3600


def _clean_token(value: str, label: str, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({label: _("Paste the token the platform gave.")})
    if len(value) > MAX_TOKEN_CHARS or any(ch.isspace() for ch in value):
        raise ValidationError({label: _("This does not look like a token.")})
    return value


def _verify(platform: str, unit: OrgUnit, remote_id: str, name: str, token: str) -> dict:
    """The account as the platform describes it; a refusal becomes a ValidationError."""
    stub = ChannelAccount(unit=unit, platform=platform, remote_id=remote_id, name=name)
    try:
        with CLIENTS[platform](stub, token) as client:
            return client.verify()
    except (Unauthorized, Rejected) as error:
        raise ValidationError(
            _("The platform refused the token: %(reason)s") % {"reason": str(error)[:300]}
        ) from None
    except (Transient, RateLimited):
        raise ValidationError(
            _("The platform could not be reached to check the token; try again later.")
        ) from None


def _lifetimes(platform: str, expires_in, refresh_token: str, now) -> tuple:
    if expires_in in (None, ""):
        expires_at = None
    else:
        try:
            seconds = int(expires_in)
        except (TypeError, ValueError):
            raise ValidationError({"expires_in": _("Enter a number of seconds.")}) from None
        if not 0 < seconds <= MAX_LIFETIME_SECONDS:
            raise ValidationError({"expires_in": _("Enter a number of seconds.")})
        expires_at = now + datetime.timedelta(seconds=seconds)
    refresh_at = (
        now + ZALO_REFRESH_LIFETIME if platform == Platform.ZALO and refresh_token else None
    )
    return expires_at, refresh_at


@audited
def account_connect(
    *,
    actor: User | None,
    unit: OrgUnit,
    platform: str,
    remote_id: str,
    name: str = "",
    access_token: str,
    refresh_token: str = "",
    expires_in: int | None = None,
    answers_questions: bool = False,
) -> ChannelAccount:
    """Connect (or reconnect) the unit's account after the platform confirms the token."""
    require(
        actor,
        Action.MANAGE_CHANNELS,
        unit,
        _("Only the administrator of %(unit)s connects its channel accounts.") % {"unit": unit},
    )
    if platform not in CLIENTS:
        raise ValidationError({"platform": _("Lantoa cannot post to this platform yet.")})
    remote_id = (remote_id or "").strip()
    if not remote_id or len(remote_id) > 128 or any(ch.isspace() for ch in remote_id):
        raise ValidationError({"remote_id": _("Enter the account's id on the platform.")})
    name = (name or "").strip()[:255]
    access_token = _clean_token(access_token, "access_token", required=True)
    refresh_token = _clean_token(refresh_token, "refresh_token", required=False)
    if answers_questions and platform != Platform.ZALO:
        raise ValidationError(
            {"answers_questions": _("Only a Zalo Official Account answers citizens' questions.")}
        )
    existing = ChannelAccount.objects.filter(platform=platform, remote_id=remote_id).first()
    if existing is not None and existing.unit_id != unit.pk:
        raise ValidationError(
            {
                "remote_id": _("This account is already connected by %(unit)s.")
                % {"unit": existing.unit}
            }
        )
    now = timezone.now()
    expires_at, refresh_at = _lifetimes(platform, expires_in, refresh_token, now)
    info = _verify(platform, unit, remote_id, name, access_token)
    with transaction.atomic():
        account = existing or ChannelAccount(unit=unit, platform=platform, remote_id=remote_id)
        account.name = name or info.get("name") or remote_id
        account.access_token = secrets.seal(access_token)
        account.refresh_token = secrets.seal(refresh_token)
        account.token_expires_at = expires_at
        account.refresh_expires_at = refresh_at
        account.status = AccountStatus.CONNECTED
        account.status_reason = ""
        account.answers_questions = answers_questions
        account.connected_by = actor if getattr(actor, "pk", None) else None
        account.refreshed_at = now
        account.save()
        if answers_questions:
            ChannelAccount.objects.filter(unit=unit, answers_questions=True).exclude(
                pk=account.pk
            ).update(answers_questions=False)
    return account


@audited
def account_reconnect(
    *,
    actor: User | None,
    account: ChannelAccount,
    access_token: str,
    refresh_token: str = "",
    expires_in: int | None = None,
) -> ChannelAccount:
    """New tokens for a known account (after a revocation or an expiry)."""
    return account_connect(
        actor=actor,
        unit=account.unit,
        platform=account.platform,
        remote_id=account.remote_id,
        name=account.name,
        access_token=access_token,
        refresh_token=refresh_token,
        expires_in=expires_in,
        answers_questions=account.answers_questions,
    )


@audited
def account_disconnect(*, actor: User | None, account: ChannelAccount) -> ChannelAccount:
    """Forget the tokens; the account and its posts stay (history, engagement)."""
    require(
        actor,
        Action.MANAGE_CHANNELS,
        account.unit,
        _("Only the administrator of %(unit)s connects its channel accounts.")
        % {"unit": account.unit},
    )
    account.access_token = ""
    account.refresh_token = ""
    account.token_expires_at = None
    account.refresh_expires_at = None
    account.status = AccountStatus.DISCONNECTED
    account.status_reason = ""
    account.answers_questions = False
    account.save()
    return account


def account_needs_reconnect(account: ChannelAccount, reason: str) -> bool:
    """Mark the account RECONNECT with ``reason`` and tell the unit's administrators, once per
    lapse (True when this call made the change). Its queued posts stay queued."""
    reason = (reason or "")[:500]
    with transaction.atomic():
        changed = ChannelAccount.objects.filter(
            pk=account.pk, status=AccountStatus.CONNECTED
        ).update(status=AccountStatus.RECONNECT, status_reason=reason)
        account.refresh_from_db(fields=["status", "status_reason"])
        if not changed:
            return False
        record(
            account,
            actor=None,
            changes={"status": [AccountStatus.CONNECTED, AccountStatus.RECONNECT]},
            summary=f"needs reconnecting: {reason}",
        )
        text = _(
            "%(account)s of %(unit)s must be reconnected: %(reason)s. Posts to it wait meanwhile."
        ) % {"account": account, "unit": account.unit, "reason": reason}
        notify(
            people_of(account.unit, Action.MANAGE_CHANNELS),
            kind=NotificationKind.OTHER,
            text=text,
            url=reverse("channels:account", args=[account.pk]),
        )
    log.warning("channel account %s needs reconnecting", account.pk)
    return True


def account_refresh(account: ChannelAccount) -> bool:
    """Exchange the refresh token for new tokens (both stored: Zalo's are single-use). False
    when the platform could not be reached (try again later); a refusal marks the account
    RECONNECT and tells its administrators."""
    if account.status != AccountStatus.CONNECTED:
        return False
    refresh_token = secrets.reveal(account.refresh_token)
    if not refresh_token:
        account_needs_reconnect(account, _("the token expired and there is no refresh token"))
        return False
    try:
        with client_for(account, token="") as client:
            if not hasattr(client, "refresh"):
                return False
            tokens = client.refresh(refresh_token)
    except Unauthorized as error:
        account_needs_reconnect(account, str(error))
        return False
    except PlatformError as error:
        log.warning("channel account %s: refresh failed (%s)", account.pk, type(error).__name__)
        return False
    now = timezone.now()
    with transaction.atomic():
        locked = ChannelAccount.objects.select_for_update().get(pk=account.pk)
        locked.access_token = secrets.seal(tokens["access_token"])
        locked.refresh_token = secrets.seal(tokens["refresh_token"])
        if tokens.get("expires_in"):
            locked.token_expires_at = now + datetime.timedelta(seconds=int(tokens["expires_in"]))
        if account.platform == Platform.ZALO and tokens["refresh_token"] != refresh_token:
            locked.refresh_expires_at = now + ZALO_REFRESH_LIFETIME
        locked.refreshed_at = now
        locked.save()
    account.refresh_from_db()
    return True


def accounts_refresh_due(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Refresh every connected account whose token lapses within CHANNEL_REFRESH_AHEAD;
    (refreshed, failed). An expired token without a refresh token → RECONNECT."""
    now = now or timezone.now()
    ahead = now + datetime.timedelta(seconds=settings.CHANNEL_REFRESH_AHEAD)
    due = ChannelAccount.objects.filter(
        status=AccountStatus.CONNECTED, token_expires_at__lte=ahead
    ).select_related("unit")
    refreshed = failed = 0
    for account in due:
        if not account.refresh_token:
            if account.token_expires_at <= now:
                account_needs_reconnect(account, _("the token expired"))
                failed += 1
            continue
        if account_refresh(account):
            refreshed += 1
        else:
            failed += 1
    return refreshed, failed


def with_account(account: ChannelAccount, operation: Callable) -> T:
    """Run ``operation(client)`` with the account's client. An Unauthorized answer refreshes
    the token once when the account has a refresh token and tries again; still refused, the
    account is marked RECONNECT (its administrators told) and Unauthorized is raised. The
    outbox sends through this."""
    if account.status != AccountStatus.CONNECTED:
        raise Unauthorized(f"account {account.pk} is not connected")
    try:
        with client_for(account) as client:
            return operation(client)
    except Unauthorized as error:
        reason = str(error)
    if account.refresh_token and account_refresh(account):
        try:
            with client_for(account) as client:
                return operation(client)
        except Unauthorized as error:
            reason = str(error)
    if account.status == AccountStatus.CONNECTED:
        account_needs_reconnect(account, reason)
    raise Unauthorized(reason)


def rotate_keys() -> int:
    """Re-encrypt every stored token under the first key of LANTOA_CHANNEL_KEYS; the count of
    accounts rewritten. Safe to run twice."""
    count = 0
    for pk in ChannelAccount.objects.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            account = ChannelAccount.objects.select_for_update().get(pk=pk)
            if not (account.access_token or account.refresh_token):
                continue
            ChannelAccount.objects.filter(pk=pk).update(
                access_token=secrets.reseal(account.access_token),
                refresh_token=secrets.reseal(account.refresh_token),
            )
            count += 1
    return count
