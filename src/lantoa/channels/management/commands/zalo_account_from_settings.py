"""``lantoa zalo-account-from-settings --unit CODE --oa-id ID``: turn the global Zalo token of
old installations (LANTOA_ZALO_ACCESS_TOKEN, and LANTOA_ZALO_REFRESH_TOKEN if set) into the
unit's Zalo OA account answering citizens' questions, verified with Zalo. Afterwards remove
LANTOA_ZALO_ACCESS_TOKEN from the environment: the assistant replies through the account."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lantoa.channels.choices import Platform
from lantoa.channels.services import account_connect
from lantoa.orgs.models import OrgUnit


class Command(BaseCommand):
    help = "Make the global Zalo OA token an account of a unit that answers citizens' questions."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="the unit's code")
        parser.add_argument("--oa-id", required=True, help="the Official Account's id")
        parser.add_argument("--name", default="", help="the OA's name (by default Zalo's)")

    def handle(self, *args, unit, oa_id, name, **options):
        token = getattr(settings, "ZALO_ACCESS_TOKEN", "")
        if not token:
            raise CommandError("LANTOA_ZALO_ACCESS_TOKEN is not set: nothing to convert.")
        found = OrgUnit.objects.filter(code=unit).first()
        if found is None:
            raise CommandError(f"No unit with the code {unit}.")
        refresh = os.environ.get("LANTOA_ZALO_REFRESH_TOKEN", "")
        try:
            account = account_connect(
                actor=None,
                unit=found,
                platform=Platform.ZALO,
                remote_id=oa_id,
                name=name,
                access_token=token,
                refresh_token=refresh,
                expires_in=1 if refresh else None,  # refreshed at the next run
                answers_questions=True,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(
            f"Zalo OA {account.name} connected to {found.code} (account {account.pk})."
        )
