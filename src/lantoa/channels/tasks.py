"""Background work of the channels app, through the Django tasks API."""

from django_tasks import task


@task()
def refresh_channel_tokens() -> list[int]:
    """Refresh the tokens that lapse soon (``lantoa refresh-channel-tokens`` runs the same)."""
    from .services import accounts_refresh_due

    return list(accounts_refresh_due())
