"""``lantoa rollup``: the scheduled national roll-up (cron or a systemd timer calls it)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from lantoa.analytics.rollup import rollup_period, rollup_scheduled


class Command(BaseCommand):
    help = (
        "Roll up every indicator for the current spans (this year and last, and their halves) "
        "and refresh every run that late reports made stale; or one span with --start/--end."
    )

    def add_arguments(self, parser):
        parser.add_argument("--start", type=datetime.date.fromisoformat)
        parser.add_argument("--end", type=datetime.date.fromisoformat)
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="the date the schedule runs for"
        )

    def handle(self, *args, start=None, end=None, today=None, **options):
        if (start is None) != (end is None):
            raise CommandError("Give both --start and --end, or neither.")
        if start is not None:
            if start > end:
                raise CommandError("--start is after --end.")
            runs = [rollup_period(start, end, refresh=True)]
        else:
            runs = rollup_scheduled(today)
        for run in runs:
            self.stdout.write(f"{run.start}–{run.end}: {len(run.done)} indicators")
        self.stdout.write(f"{len(runs)} run(s) rolled up.")
