"""``lantoa pull-engagement``: read back each sent post's engagement for the day (reach on the
platform, reactions, shares, views, comments); cron calls it once a day."""

import datetime

from django.core.management.base import BaseCommand

from lantoa.channels.services import engagement_pull


class Command(BaseCommand):
    help = "Read the engagement of every post sent to the channels, one row per post and day."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="the day the figures are recorded for (YYYY-MM-DD), by default today",
        )

    def handle(self, *args, date=None, **options):
        written = engagement_pull(date)
        self.stdout.write(f"{written} post(s) read.")
