"""Telling people: a notice in their inbox in the app and, if they chose so, an e-mail.

Every app that has news for someone (a report returned or approved, a report overdue, a
deadline near, a task assigned) calls ``notify``; the inbox and the preference live here, below
every app that notifies."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .audit import acting
from .choices import ROLE_ACTIONS, Action
from .models import Membership, Notification, OrgUnit, User


def people_of(unit: OrgUnit, action: str = Action.RECORD) -> list[User]:
    """The active members of ``unit`` itself whose role allows ``action``."""
    members = Membership.objects.filter(unit=unit, user__is_active=True).select_related("user")
    people = {m.user.pk: m.user for m in members if action in ROLE_ACTIONS.get(m.role, ())}
    return list(people.values())


def notify(
    users: Iterable[User], *, kind: str, text: str, url: str = "", subject: str = ""
) -> list[Notification]:
    """A notice for each of ``users`` (each once), and an e-mail, after the transaction
    commits, to those with an address who want e-mail. Texts are in the site's language."""
    people = {user.pk: user for user in users if user is not None and user.is_active}
    if not people:
        return []
    notices = Notification.objects.bulk_create(
        Notification(user=user, kind=kind, text=text[:500], url=url[:300])
        for user in people.values()
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = subject or _("Lantoa: %(text)s") % {"text": text[:80]}
        footer = _(
            "You receive this e-mail because you chose e-mail notifications on your Lantoa "
            "profile; you can turn them off there."
        )
    base = getattr(settings, "LANTOA_SITE_URL", "").rstrip("/")
    body = text + (f"\n\n{base}{url}" if url else "") + f"\n\n-- \n{footer}"
    messages = [
        (subject, body, None, [user.email])
        for user in people.values()
        if user.email and user.email_notifications
    ]
    if messages:
        from .tasks import send_notification_mail

        payload = [[s, b, f, list(to)] for s, b, f, to in messages]
        transaction.on_commit(lambda: send_notification_mail.enqueue(payload))
    return notices


def inbox(*, user: User) -> QuerySet[Notification]:
    """The user's own notices, newest first: nobody reads another's."""
    return Notification.objects.filter(user=user)


def unread(*, user: User) -> QuerySet[Notification]:
    return inbox(user=user).filter(read_at__isnull=True)


def mark_read(*, user: User, pk: int | None = None) -> int:
    """Mark one of the user's notices (or all of them) read; another's is never touched."""
    notices = unread(user=user)
    if pk is not None:
        notices = notices.filter(pk=pk)
    return notices.update(read_at=timezone.now())


def preference_set(*, user: User, email: bool) -> User:
    """The person's own choice: the audit entry names them, whichever way they signed in."""
    with acting(user):
        user.email_notifications = bool(email)
        user.save(update_fields=["email_notifications"])
    return user
