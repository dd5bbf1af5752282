"""``lantoa rotate-channel-keys``: re-encrypt every stored channel token under the first key
of LANTOA_CHANNEL_KEYS. Rotation: put the new key first (keep the old after it), run this,
then remove the old key."""

from django.core.management.base import BaseCommand

from lantoa.channels.services import rotate_keys


class Command(BaseCommand):
    help = "Re-encrypt every channel token under the first key of LANTOA_CHANNEL_KEYS."

    def handle(self, *args, **options):
        count = rotate_keys()
        self.stdout.write(f"{count} account(s) re-encrypted under the first key.")
