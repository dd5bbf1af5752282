"""A national synthetic dataset for benchmarks: 34 provinces, 3,321 communes, ~20 units under
each commune, unit facts, a commune plan for most communes, and a few years of activities and
submissions. Deterministic (seeded) and written in bulk; refuses to run twice on one database."""

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lantoa.activities.choices import ActivityKind, ActivityOrigin
from lantoa.activities.models import Activity
from lantoa.indicators.models import UnitFact
from lantoa.orgs.choices import UnitKind
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.national import append_children, load_national_tree
from lantoa.plans.choices import DocumentKind
from lantoa.plans.models import Plan, ReportDeadline
from lantoa.reports.choices import SubmissionStatus
from lantoa.reports.models import Submission
from lantoa.reports.periods import periods_ensure

KINDS = [
    ActivityKind.MEETING,
    ActivityKind.TRAINING,
    ActivityKind.ARTICLE,
    ActivityKind.BULLETIN,
    ActivityKind.BROADCAST,
    ActivityKind.SOCIAL_POST,
    ActivityKind.EVENT,
]
SUB_KINDS = [
    UnitKind.OFFICE,
    UnitKind.SCHOOL,
    UnitKind.VILLAGE,
    UnitKind.MASS_ORGANISATION,
    UnitKind.SERVICE_CENTRE,
]


class Command(BaseCommand):
    help = "Generate a national synthetic dataset (for `make bench`)."

    def add_arguments(self, parser):
        parser.add_argument("--units-per-commune", type=int, default=20)
        parser.add_argument("--activities-per-unit-year", type=int, default=4)
        parser.add_argument("--years", type=int, nargs="+", default=[2025, 2026])
        parser.add_argument("--seed", type=int, default=57)

    def handle(self, *args, units_per_commune, activities_per_unit_year, years, seed, **options):
        if Activity.objects.filter(origin_ref="synthetic").exists():
            raise CommandError("This database already holds the synthetic dataset.")
        rng = random.Random(seed)
        load_national_tree()
        with transaction.atomic():
            for commune in OrgUnit.objects.filter(depth=3).iterator():
                append_children(
                    commune,
                    [
                        OrgUnit(
                            code=f"{commune.code}-S{i:02d}",
                            name=f"Đơn vị {i} {commune.name}",
                            kind=SUB_KINDS[i % len(SUB_KINDS)],
                        )
                        for i in range(units_per_commune)
                    ],
                )
        units = list(OrgUnit.objects.filter(depth__gte=3).only("pk", "depth"))
        UnitFact.objects.bulk_create(
            [
                UnitFact(unit_id=u.pk, key="officials_total", value=rng.randint(10, 60))
                for u in units
            ]
            + [
                UnitFact(unit_id=u.pk, key="website_section", value=rng.random() < 0.7)
                for u in units
                if u.depth == 3
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
        root = OrgUnit.objects.get(depth=1)
        national = Plan.objects.create(
            unit=root,
            number="1169/QĐ-TTg",
            kind=DocumentKind.DECISION,
            issuer_name="Thủ tướng Chính phủ",
            title="Chương trình truyền thông NQ57",
        )
        for day, month in ((10, 6), (10, 12)):
            ReportDeadline.objects.create(plan=national, day=day, month=month)
        communes = [u for u in units if u.depth == 3]
        Plan.objects.bulk_create(
            [
                Plan(unit_id=c.pk, number=f"{rng.randint(1, 200)}/KH-UBND", title="Kế hoạch")
                for c in communes
                if rng.random() < 0.85
            ],
            batch_size=5000,
        )
        batch = []
        for year in years:
            for unit in units:
                for _ in range(activities_per_unit_year):
                    participants = rng.randint(5, 80)
                    batch.append(
                        Activity(
                            unit_id=unit.pk,
                            kind=rng.choice(KINDS),
                            date=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                            title="Hoạt động truyền thông",
                            participants=participants,
                            officials=rng.randint(0, participants),
                            audience=rng.randint(0, 2000),
                            items=rng.randint(0, 5),
                            origin=ActivityOrigin.IMPORTED,
                            origin_ref="synthetic",
                        )  # fmt: skip
                    )
                if len(batch) >= 20000:
                    Activity.objects.bulk_create(batch, batch_size=5000)
                    batch = []
        Activity.objects.bulk_create(batch, batch_size=5000)
        provinces = list(OrgUnit.objects.filter(depth=2))
        for year in years:
            for period in periods_ensure(national, year):
                Submission.objects.bulk_create(
                    [
                        Submission(period=period, unit=p, status=SubmissionStatus.APPROVED)
                        for p in provinces
                    ],
                    ignore_conflicts=True,
                )
        self.stdout.write(
            f"{OrgUnit.objects.count()} units, {Activity.objects.count()} activities, {Plan.objects.count()} plans."
        )
