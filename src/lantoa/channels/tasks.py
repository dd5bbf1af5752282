"""Background work of the channels app, through the Django tasks API."""

from django_tasks import task


@task()
def refresh_channel_tokens() -> list[int]:
    """Refresh the tokens that lapse soon (``lantoa refresh-channel-tokens`` runs the same)."""
    from .services import accounts_refresh_due

    return list(accounts_refresh_due())


@task()
def bulletin_audio_make(item_id: int, actor_id: int | None, voice: str | None = None) -> None:
    """Speak a bulletin (``loudspeakers.bulletin_audio_make``); its page shows the audio once
    made. A bulletin no longer approved by then is left alone (the service refuses it)."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from lantoa.content.models import ContentItem

    from .loudspeakers import bulletin_audio_make as make

    item = ContentItem.objects.filter(pk=item_id).select_related("unit").first()
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    if item is None:
        return
    try:
        make(actor=actor, item=item, voice=voice)
    except ValidationError:
        import logging

        logging.getLogger(__name__).warning("bulletin %s not spoken", item_id, exc_info=True)


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
