"""Background work of the channels: sending one outbox entry, the due entries, the engagement."""

from django_tasks import task


@task()
def outbox_send(entry_id: int) -> str | None:
    """Send one outbox entry if it is due and no other worker has it (its status after)."""
    from .services import outbox_send as send

    return send(entry_id)


@task()
def outbox_due() -> dict:
    """Send every due outbox entry: {status: count}."""
    from .services import outbox_due as run

    return run()


@task()
def engagement_pull() -> int:
    """Read the day's engagement of every post sent: the rows written."""
    from .services import engagement_pull as run

    return run()
