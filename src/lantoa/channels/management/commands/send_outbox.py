"""``lantoa send-outbox``: send the outbox entries that are due (cron or a systemd timer calls it
every minute or five). Two runs at once send each entry once."""

import datetime

from django.core.management.base import BaseCommand

from lantoa.channels.services import outbox_due


class Command(BaseCommand):
    help = (
        "Send the outbox entries that are due to their channels (retries included). Safe to "
        "run twice at once: an entry is posted once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            type=datetime.datetime.fromisoformat,
            help="the moment the run is for (ISO 8601 with its offset), by default now",
        )

    def handle(self, *args, now=None, **options):
        counts = outbox_due(now)
        summary = (
            ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing due"
        )
        self.stdout.write(f"Outbox: {summary}.")
