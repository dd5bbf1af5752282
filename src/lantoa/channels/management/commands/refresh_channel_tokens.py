"""``lantoa refresh-channel-tokens``: refresh the channel tokens that lapse soon (cron: hourly).

Zalo OA access tokens live about 25 hours: each is exchanged with its (single-use) refresh
token before it lapses; a refusal marks the account "needs reconnecting" and tells the unit's
administrators. Safe to run twice."""

from django.core.management.base import BaseCommand

from lantoa.channels.services import accounts_refresh_due


class Command(BaseCommand):
    help = (
        "Refresh the channel accounts' tokens that lapse within LANTOA_CHANNEL_REFRESH_AHEAD_HOURS."
    )

    def handle(self, *args, **options):
        refreshed, failed = accounts_refresh_due()
        self.stdout.write(f"{refreshed} token(s) refreshed, {failed} failed.")
