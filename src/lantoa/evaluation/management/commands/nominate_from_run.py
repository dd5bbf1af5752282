"""``lantoa nominate-from-run RUN --top N``: nominate the top-ranked units of a published run for
an award (the system as actor, recorded in the audit log)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lantoa.evaluation.models import ScoringRun
from lantoa.evaluation.nominations import nominations_from_run
from lantoa.programme.models.awards import AwardLevel


class Command(BaseCommand):
    help = "Nominate the top-ranked units of a published scoring run for an award."

    def add_arguments(self, parser):
        parser.add_argument("run", type=int)
        parser.add_argument("--top", type=int, default=3)
        parser.add_argument("--level", choices=AwardLevel.values, default=AwardLevel.COMMUNE_CHAIR)

    def handle(self, *args, **options):
        run = ScoringRun.objects.filter(pk=options["run"]).first()
        if run is None:
            raise CommandError(f"No scoring run {options['run']}.")
        try:
            made = nominations_from_run(
                actor=None, run=run, top_n=options["top"], level=options["level"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for nomination in made:
            self.stdout.write(f"{nomination.pk}\t{nomination.unit.code}\t{nomination.unit.name}")
        self.stdout.write(f"{len(made)} nominations.")
