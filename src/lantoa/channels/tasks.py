"""Background work of the channels app, through the Django tasks API."""

from django_tasks import task


@task()
def refresh_channel_tokens() -> list[int]:
    """Refresh the tokens that lapse soon (``lantoa refresh-channel-tokens`` runs the same)."""
    from .services import accounts_refresh_due

    return list(accounts_refresh_due())


@task()
def outbox_send(entry_id: int) -> str | None:
    """Send one outbox entry if it is due and no other worker has it (its status after)."""
    from .outbox import outbox_send as send

    return send(entry_id)


@task()
def outbox_due() -> dict:
    """Send every due outbox entry: {status: count}."""
    from .outbox import outbox_due as run

    return run()


@task()
def engagement_pull() -> int:
    """Read the day's engagement of every post sent: the rows written."""
    from .outbox import engagement_pull as run

    return run()
