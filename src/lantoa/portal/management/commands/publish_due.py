"""``lantoa publish-due``: publish the scheduled items whose time came and expire the published
ones past their expiry (cron or a systemd timer calls it every minute or five)."""

import datetime

from django.core.management.base import BaseCommand

from lantoa.portal.publishing import publish_due


class Command(BaseCommand):
    help = (
        "Publish the scheduled content items whose time came and expire those past their "
        "expiry. Safe to run twice: an item is published once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            type=datetime.datetime.fromisoformat,
            help="the moment the run is for (ISO 8601 with its offset), by default now",
        )

    def handle(self, *args, now=None, **options):
        published, expired = publish_due(now)
        self.stdout.write(f"{published} item(s) published, {expired} item(s) expired.")
