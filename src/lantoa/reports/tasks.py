"""Background work of reporting."""

from django_tasks import task


@task()
def send_reminders() -> int:
    from .reminders import reminders_send

    return reminders_send()
