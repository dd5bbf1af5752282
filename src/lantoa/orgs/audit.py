"""The audit trail: every write names who made it (a user, or None for the system: commands and
background tasks), what changed and from what to what.

Single-object writes are recorded by django-auditlog from the models registered in each app's
``ready()``; a service wraps its writes in :func:`acting` (or is decorated with :func:`audited`)
so the entries carry its ``actor`` even outside a web request (API tokens, commands, tasks).
Bulk writes (a sheet of 2,000 activities) are recorded as one summary entry by :func:`record`.
Submissions that must not be saved twice carry a key claimed by :func:`claim_key`.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.encoding import smart_str


@contextlib.contextmanager
def acting(actor) -> Iterator[None]:
    """Entries written inside carry ``actor``; the request's address is kept. ``None`` (the
    system) leaves the surrounding context as it is. On the way out the surrounding context
    is restored (auditlog's own ``set_actor`` leaves its value behind)."""
    if actor is None or getattr(actor, "pk", None) is None:
        yield
        return
    try:
        previous = auditlog_value.get()
    except LookupError:
        previous = None
    remote = {k: previous.get(k) for k in ("remote_addr", "remote_port")} if previous else {}
    token = auditlog_value.set(previous)
    try:
        with set_actor(actor, **remote):
            yield
    finally:
        auditlog_value.reset(token)


def audited(function):
    """Run a service inside :func:`acting` for its ``actor`` keyword argument."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with acting(kwargs.get("actor")):
            return function(*args, **kwargs)

    return wrapper


def record(
    instance: models.Model,
    *,
    actor,
    action: int = LogEntry.Action.UPDATE,
    changes: dict | None = None,
    summary: str = "",
) -> LogEntry:
    """Write one audit entry by hand: a bulk write (``summary``: "1,200 activities imported"),
    or a change made without saving the object (a status set by a conditional update)."""
    # Without a user, the live audit context (a web request's) fills in the actor and the
    # address when the entry is saved, as for every other entry; outside one, the system.
    if getattr(actor, "pk", None) is None:
        actor = None
    get_additional_data = getattr(instance, "get_additional_data", None)
    additional = dict(get_additional_data() or {}) if callable(get_additional_data) else {}
    if summary:
        additional["summary"] = summary
    pk = instance.pk
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(instance),
        object_pk=str(pk),
        object_id=pk if isinstance(pk, int) else None,
        object_repr=smart_str(instance)[:200] if pk is not None else "",
        action=action,
        changes={k: [smart_str(a), smart_str(b)] for k, (a, b) in (changes or {}).items()},
        actor=actor,
        additional_data=additional,
    )


class AlreadySaved(ValidationError):
    """The same submission came twice (a form posted again, a sheet imported again): nothing
    was written the second time. ``existing`` is what the first one saved, when known."""

    def __init__(self, message, *, existing: str = ""):
        super().__init__(message, code="duplicate")
        self.existing = existing


def claim_key(key: str, *, actor, kind: str, message: str):
    """Claim ``key`` for this write, or raise :class:`AlreadySaved` if an earlier write (even a
    parallel one, which the unique index makes wait) already claimed it. Call inside the
    write's transaction: if the write fails, the key is released with it."""
    from .models import WriteKey

    existing = WriteKey.objects.filter(key=key).first()
    if existing is None:
        try:
            with transaction.atomic():
                return WriteKey.objects.create(
                    key=key, kind=kind, user=actor if getattr(actor, "pk", None) else None
                )
        except IntegrityError:
            existing = WriteKey.objects.filter(key=key).first()
    raise AlreadySaved(message, existing=existing.result if existing else "")


def key_done(claimed, result) -> None:
    """Remember what the write produced (an object's pk), for the page that answers a repeat."""
    claimed.result = str(result)
    claimed.save(update_fields=["result"])
