"""Background work of the org app, through the Django tasks API."""

from django.core.mail import send_mass_mail
from django_tasks import task


@task()
def send_notification_mail(messages: list) -> None:
    """Send the e-mails of notices ([subject, body, sender, [address]] each) outside the request
    that made them: a slow mail server holds a worker, never an approval (EMAIL_TIMEOUT)."""
    send_mass_mail([tuple(m) for m in messages], fail_silently=True)
