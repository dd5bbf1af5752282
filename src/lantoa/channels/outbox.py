"""The outbox's services (re-exported by ``channels.services``): an item posted on the unit's
channels, once per (item × account), by background tasks that never post twice. The calls to a
platform go through the accounts' ``services.with_account`` (a refused token is refreshed once,
then the account is marked RECONNECT and its administrators told).

**Queueing** (:func:`outbox_queue`) composes the item for each account (``channels.compose``)
and stores one entry per account with a unique idempotency ``key`` (sent to the channel where
it takes one, and what ``find`` looks for).

**Sending** (:func:`outbox_send`) claims the entry with a conditional update (QUEUED or
RETRYING → SENDING: of two workers, one wins; the other sees nothing to do), then calls the
platform client. Before any resend (a second attempt, a claim left by a killed worker past
:data:`SENDING_LEASE`, a wait for a reconnection) the channel is asked whether the post is
already there (``client.find``): a timeout after the channel accepted, a worker killed between
the channel's answer and the database write, both end as one post, recorded when found.

Faults: 429 waits the channel's Retry-After (at least the backoff); 5xx, timeouts and malformed
answers retry with a capped exponential backoff (:data:`BACKOFF_BASE` doubling to
:data:`BACKOFF_MAX`) up to :data:`MAX_ATTEMPTS`, then FAILED with the reason; a refusal is
FAILED at once with the channel's reason; a 401 marks the account RECONNECT and the entry waits
(RETRYING without a time: sent by the next run after the account is reconnected, never lost).

Every send and every failure is in the audit trail (the entry's own changes, by auditlog, and a
summary line for each outcome).
"""

from __future__ import annotations

import datetime
import logging
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.content.choices import ContentStatus
from lantoa.orgs.audit import audited, record
from lantoa.orgs.choices import Action
from lantoa.orgs.scoping import require

from .choices import AccountStatus, OutboxStatus
from .compose import compose
from .models import ChannelAccount, Engagement, OutboxEntry

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6  # attempts before an entry is FAILED (429 waits count as attempts too)
BACKOFF_BASE = datetime.timedelta(seconds=30)  # the first retry's wait, doubled each attempt
BACKOFF_MAX = datetime.timedelta(hours=1)  # the longest wait between two attempts
RETRY_AFTER_MAX = datetime.timedelta(hours=6)  # a longer Retry-After is taken as this
SENDING_LEASE = datetime.timedelta(minutes=10)  # a claim older than this is a dead worker's
ERROR_MAX = 1000

OPEN = (OutboxStatus.QUEUED, OutboxStatus.RETRYING)
QUEUEABLE = (ContentStatus.PUBLISHED, ContentStatus.SCHEDULED, ContentStatus.APPROVED)


def _client(account):
    from .platforms import client_for

    return client_for(account)


def _errors():
    from .platforms import base

    return base


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the ``attempts``-th failed attempt: 30 s, 1 min, 2 min ... at most 1 h."""
    return min(BACKOFF_MAX, BACKOFF_BASE * (2 ** max(0, attempts - 1)))


# --- queueing ---------------------------------------------------------------------------------


@transaction.atomic
@audited
def outbox_queue(
    *,
    actor,
    item,
    accounts,
    send_at: datetime.datetime | None = None,
    overrides: dict | None = None,
) -> list[OutboxEntry]:
    """One entry per account for ``item``: published (sent now or at ``send_at``), or approved
    or scheduled (sent once the item is live, composed again from the live revision then). An account already holding an open or sent entry for the item is skipped
    (queueing twice posts once). ``overrides``: {account pk: {"text", "title"}}."""
    item.refresh_from_db()
    if item.status not in QUEUEABLE:
        raise ValidationError(
            _("Only an approved, scheduled or published item can be sent to the channels."),
            code="not_published",
        )
    now = timezone.now()
    if send_at is not None and send_at < now - datetime.timedelta(minutes=1):
        raise ValidationError(_("The sending time is in the past."), code="past")
    overrides = overrides or {}
    accounts = list(accounts)
    for account in accounts:
        if actor is not None:
            require(actor, Action.APPROVE_CONTENT, account.unit)
        if not item.unit.path.startswith(account.unit.path):
            raise ValidationError(
                _("%(account)s is not an account of the item's unit.") % {"account": account},
                code="foreign_account",
            )
        if account.status == AccountStatus.DISCONNECTED:
            raise ValidationError(
                _("%(account)s is disconnected.") % {"account": account}, code="disconnected"
            )
    if item.status == ContentStatus.SCHEDULED and item.go_live_at:
        send_at = max(send_at or item.go_live_at, item.go_live_at)
    revision = item.live_revision or item.latest_revision
    made = []
    for account in accounts:
        existing = (
            OutboxEntry.objects.filter(item=item, account=account, revision=revision)
            .exclude(status__in=(OutboxStatus.FAILED, OutboxStatus.WITHDRAWN))
            .first()
        )
        if existing is not None:
            made.append(existing)
            continue
        composed = compose(item, account.platform, overrides.get(account.pk))
        if not composed.ok:
            raise ValidationError(f"{account}: {composed.problem}", code="not_for_channel")
        entry = OutboxEntry.objects.create(
            item=item,
            revision=revision,
            account=account,
            title=composed.title,
            text=composed.text,
            body=composed.body,
            link=composed.link,
            asset=composed.asset,
            hashtags=composed.hashtags,
            send_at=send_at,
            key=f"lantoa-{uuid.uuid4().hex}",
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        made.append(entry)
    return made


def outbox_item_published(item) -> list[int]:
    """The item went live (``portal.publishing.item_publish``): its entries never tried yet are
    composed again from the live revision (the editor may have changed the text since queueing),
    and every open entry is sent after the commit. Returns the ids to send."""
    revision = item.live_revision
    waiting = OutboxEntry.objects.filter(item=item, status__in=OPEN).select_related("account")
    ids = []
    for entry in waiting:
        if entry.attempts == 0 and revision is not None and entry.revision_id != revision.pk:
            composed = compose(item, entry.account.platform)
            if composed.ok:
                entry.revision = revision
                entry.title, entry.text, entry.body = composed.title, composed.text, composed.body
                entry.link, entry.asset, entry.hashtags = (
                    composed.link,
                    composed.asset,
                    composed.hashtags,
                )
                entry.save()
        ids.append(entry.pk)
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return ids


def _enqueue(ids) -> None:
    from . import tasks

    for entry_id in ids:
        try:
            tasks.outbox_send.enqueue(entry_id)
        except Exception:  # the queue down: ``lantoa send-outbox`` sends it on its next run
            logger.exception("Outbox entry %s not queued for sending", entry_id)


def _editable(actor, entry: OutboxEntry):
    if actor is not None:
        require(actor, Action.APPROVE_CONTENT, entry.account.unit)


@transaction.atomic
@audited
def outbox_retry(*, actor, entry: OutboxEntry) -> OutboxEntry:
    """Send one channel's failed (or waiting) entry again, now: its attempts start over. Before
    posting, the channel is asked whether an earlier attempt got through."""
    _editable(actor, entry)
    entry = OutboxEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status not in (OutboxStatus.FAILED, OutboxStatus.RETRYING, OutboxStatus.QUEUED):
        raise ValidationError(_("Only a failed or waiting post can be retried."), code="state")
    if entry.item.status != ContentStatus.PUBLISHED:
        raise ValidationError(_("The item is no longer published."), code="not_published")
    entry.status = OutboxStatus.RETRYING
    entry.next_attempt_at = None
    # Attempts start over; one is kept when the channel may already hold the post, so the next
    # attempt asks it first.
    entry.attempts = 1 if entry.attempts else 0
    entry.error = ""
    entry.save()
    record(
        entry, actor=actor, summary=_("Retry asked for %(account)s.") % {"account": entry.account}
    )
    return entry


@audited
def outbox_withdraw(*, actor, item) -> list[OutboxEntry]:
    """Take the item's posts down: deleted where the channel allows (WITHDRAWN); where it
    cannot (no API to delete, an error), the reason stays on the entry (``withdraw_error``)
    for the editor to take it down by hand. Entries not sent yet are simply withdrawn."""
    entries = list(OutboxEntry.objects.filter(item=item).select_related("account"))
    if not entries:
        return []
    base = _errors()
    done = []
    for entry in entries:
        if entry.status == OutboxStatus.WITHDRAWN:
            continue
        if not entry.remote_id and entry.status != OutboxStatus.SENDING:
            OutboxEntry.objects.filter(pk=entry.pk).update(
                status=OutboxStatus.WITHDRAWN, withdrawn_at=timezone.now(), next_attempt_at=None
            )
            record(entry, actor=actor, summary=_("Not sent: the item was withdrawn."))
            done.append(entry)
            continue
        error = ""
        if entry.remote_id:
            try:
                with _client(entry.account) as client:
                    client.delete(entry.remote_id)
            except base.NotSupported:
                error = _("%(platform)s does not let Lantoa delete a post: remove it by hand.") % {
                    "platform": entry.account.get_platform_display()
                }
            except base.Unauthorized:
                _account_reconnect(entry.account)
                error = _("The account needs reconnecting: the post is still online.")
            except base.PlatformError as failure:
                error = _("The channel did not delete the post: %(reason)s") % {
                    "reason": str(failure)[:500]
                }
        else:
            error = _("It was being sent when the item was withdrawn: check the channel.")
        if error:
            OutboxEntry.objects.filter(pk=entry.pk).update(withdraw_error=error[:ERROR_MAX])
            record(entry, actor=actor, summary=error)
        else:
            OutboxEntry.objects.filter(pk=entry.pk).update(
                status=OutboxStatus.WITHDRAWN, withdrawn_at=timezone.now(), withdraw_error=""
            )
            record(entry, actor=actor, summary=_("Deleted from the channel."))
        done.append(entry)
    return [OutboxEntry.objects.get(pk=e.pk) for e in done]


# --- sending ----------------------------------------------------------------------------------


def _account_reconnect(account: ChannelAccount, reason: str = "") -> None:
    """Pause the account: its administrators are told to reconnect it; its entries wait."""
    from . import services as account_services  # it re-exports this module: imported late

    account_services.account_needs_reconnect(
        account, reason or _("The platform refused the token: reconnect the account.")
    )


def _with_account(account: ChannelAccount, operation):
    """``operation(client)`` through the accounts' ``with_account``: a refused token is
    refreshed once and tried again, then the account is marked RECONNECT (Unauthorized)."""
    from . import services as account_services

    return account_services.with_account(account, operation)


def _claim(entry_id: int, now: datetime.datetime) -> OutboxEntry | None:
    """Take the entry for this worker, or None when it is not due or another worker has it.
    A conditional update: on PostgreSQL and SQLite alike, one of two workers wins."""
    due = Q(status__in=OPEN) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    due &= Q(send_at__isnull=True) | Q(send_at__lte=now)
    stale = Q(status=OutboxStatus.SENDING, claimed_at__lt=now - SENDING_LEASE)
    ready = OutboxEntry.objects.filter(
        pk=entry_id, account__status=AccountStatus.CONNECTED, item__status=ContentStatus.PUBLISHED
    )
    if not ready.exists():
        return None
    # Only the row's own columns in the condition: PostgreSQL checks them again on the row
    # once the other worker's update commits, so the second update matches nothing.
    claimed = OutboxEntry.objects.filter(due | stale, pk=entry_id).update(
        status=OutboxStatus.SENDING, claimed_at=now, updated_at=now
    )
    if not claimed:
        return None
    return OutboxEntry.objects.select_related("account", "item", "asset", "account__unit").get(
        pk=entry_id
    )


def _finish(entry: OutboxEntry, now, **fields) -> bool:
    """Write the outcome if this worker still holds the claim (a lease taken over is not)."""
    return bool(
        OutboxEntry.objects.filter(
            pk=entry.pk, status=OutboxStatus.SENDING, claimed_at=entry.claimed_at
        ).update(updated_at=now, **fields)
    )


def _sent(entry, now, posted, how: str) -> None:
    if _finish(
        entry,
        now,
        status=OutboxStatus.SENT,
        remote_id=posted.remote_id[:255],
        remote_url=(posted.url or "")[:500],
        sent_at=now,
        error="",
        next_attempt_at=None,
    ):
        entry.refresh_from_db()
        record(
            entry,
            actor=None,
            changes={"status": (OutboxStatus.SENDING, OutboxStatus.SENT)},
            summary=how % {"account": entry.account, "id": posted.remote_id},
        )


def _failed_attempt(entry, now, reason: str, wait: datetime.timedelta | None) -> None:
    reason = reason[:ERROR_MAX]
    if entry.attempts >= MAX_ATTEMPTS:
        status, next_at = OutboxStatus.FAILED, None
        summary = _("Failed after %(n)s attempts: %(reason)s") % {
            "n": entry.attempts,
            "reason": reason,
        }
    else:
        status, next_at = OutboxStatus.RETRYING, now + (wait or backoff(entry.attempts))
        summary = _("Attempt %(n)s failed, retrying at %(at)s: %(reason)s") % {
            "n": entry.attempts,
            "at": timezone.localtime(next_at).strftime("%d/%m/%Y %H:%M:%S"),
            "reason": reason,
        }
    if _finish(entry, now, status=status, next_attempt_at=next_at, error=reason):
        record(
            entry, actor=None, changes={"status": (OutboxStatus.SENDING, status)}, summary=summary
        )


def outbox_send(entry_id: int, now: datetime.datetime | None = None) -> str | None:
    """Send one entry if it is due and no other worker has it; returns its status after, or
    None when there was nothing to do. Never posts an entry twice (see the module)."""
    now = now or timezone.now()
    base = _errors()
    entry = _claim(entry_id, now)
    if entry is None:
        return None
    # The attempt this is (counted before the call: a worker killed mid-call still counted it).
    OutboxEntry.objects.filter(pk=entry.pk).update(attempts=entry.attempts + 1)
    entry.attempts += 1
    doubt = entry.attempts > 1

    def operation(client):
        if doubt:
            found = client.find(entry)
            if found is not None:
                return found, True
        return client.post(entry), False

    try:
        posted, found = _with_account(entry.account, operation)
    except base.Unauthorized as failure:
        entry.account.refresh_from_db()
        if entry.account.status == AccountStatus.CONNECTED:
            _account_reconnect(entry.account, str(failure)[:500])
        reason = _("The account needs reconnecting: %(reason)s") % {"reason": str(failure)[:500]}
        # Not an attempt of its own: it waits for the account (kept above 0, so the next
        # attempt asks the channel first).
        if _finish(
            entry,
            now,
            status=OutboxStatus.RETRYING,
            next_attempt_at=None,
            error=reason[:ERROR_MAX],
            attempts=max(1, entry.attempts - 1),
        ):
            record(entry, actor=None, summary=reason)
        return OutboxStatus.RETRYING
    except base.RateLimited as failure:
        wait = backoff(entry.attempts)
        if failure.retry_after is not None:
            wait = max(wait, min(RETRY_AFTER_MAX, datetime.timedelta(seconds=failure.retry_after)))
        reason = _("The channel asked to wait (rate limit): %(reason)s") % {"reason": failure}
        _failed_attempt(entry, now, reason, wait)
    except base.Rejected as failure:
        reason = _("The channel refused the post: %(reason)s") % {"reason": str(failure)}
        if _finish(entry, now, status=OutboxStatus.FAILED, error=reason[:ERROR_MAX]):
            record(entry, actor=None, summary=reason)
    except base.PlatformError as failure:  # Transient, NotSupported and any other
        _failed_attempt(entry, now, str(failure) or type(failure).__name__, None)
    except Exception as failure:
        # Not the channel's answer (a token no key opens, a file gone, a bug): retried later
        # like a fault (the post may have been made: the next attempt asks first), logged.
        logger.exception("Sending outbox entry %s failed", entry.pk)
        _failed_attempt(entry, now, type(failure).__name__ + ": " + str(failure)[:500], None)
    else:
        if found:
            _sent(entry, now, posted, _("Found already posted on %(account)s (%(id)s)."))
        else:
            _sent(entry, now, posted, _("Posted on %(account)s (%(id)s)."))
    return OutboxEntry.objects.filter(pk=entry.pk).values_list("status", flat=True).first()


def due_entries(now: datetime.datetime | None = None):
    """Ids of the entries to send now: open and due, of a connected account and a live item,
    and the claims left by dead workers."""
    now = now or timezone.now()
    due = Q(status__in=OPEN) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    due &= Q(send_at__isnull=True) | Q(send_at__lte=now)
    stale = Q(status=OutboxStatus.SENDING, claimed_at__lt=now - SENDING_LEASE)
    return list(
        OutboxEntry.objects.filter(due | stale)
        .filter(account__status=AccountStatus.CONNECTED, item__status=ContentStatus.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def outbox_due(now: datetime.datetime | None = None) -> dict[str, int]:
    """Send every due entry (each on its own: one channel's fault holds no other back). Two runs
    at once send each entry once (the claim). Returns counts by status after."""
    counts: dict[str, int] = {}
    for entry_id in due_entries(now):
        try:
            status = outbox_send(entry_id, now)
        except Exception:  # a bug must not stop the other channels; the lease brings it back
            logger.exception("Sending outbox entry %s failed", entry_id)
            continue
        if status:
            counts[status] = counts.get(status, 0) + 1
    return counts


# --- engagement -------------------------------------------------------------------------------

STAT_FIELDS = ("reach", "reactions", "shares", "views", "comments")


def engagement_pull(date: datetime.date | None = None) -> int:
    """Ask each channel for the figures of every post sent (and not withdrawn) and keep them as
    the day's row (one per post and day: a second pull the same day updates it). A channel that
    fails is skipped (logged) and asked again next time. Returns the rows written."""
    base = _errors()
    date = date or timezone.localdate()
    written = 0
    entries = OutboxEntry.objects.filter(status=OutboxStatus.SENT).exclude(remote_id="")
    entries = entries.filter(account__status=AccountStatus.CONNECTED).select_related("account")
    for entry in entries.order_by("pk"):
        try:
            with _client(entry.account) as client:
                stats = client.stats(entry.remote_id)
        except base.Unauthorized:
            _account_reconnect(entry.account)
            continue
        except base.PlatformError as failure:
            logger.warning("Engagement of outbox entry %s not read: %s", entry.pk, failure)
            continue
        values = {}
        for field in STAT_FIELDS:
            value = stats.get(field)
            values[field] = max(0, int(value)) if isinstance(value, (int, float)) else None
        Engagement.objects.update_or_create(entry=entry, date=date, defaults=values)
        written += 1
    return written
