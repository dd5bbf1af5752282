"""What the public scorecards show, read from published runs only (a draft, or a locked run not
yet published, never shows): a unit's score by criterion, its rank among its peers, its trend
over the years; the ranking of a set's units. No person is named: no reviewer, no note, no
contest text. Publishing or reopening a run bumps the public version of every unit it scored
(``lantoa.orgs.public_cache``), so the cached pages are rebuilt."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models.signals import post_save
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from lantoa.core.sheets import append_row
from lantoa.orgs import public_cache
from lantoa.orgs.models import OrgUnit
from lantoa.plans.models import Plan

from .choices import RunStatus, ScoringMethod
from .models import CriterionScore, ScoringRun, UnitScore


@dataclass
class Row:
    code: str
    title: str
    group: str
    max_points: Decimal
    points: Decimal | None
    value: str = ""
    target: str = ""

    @property
    def percent(self) -> int:
        if not self.max_points or self.points is None:
            return 0
        return int(min(100, max(0, self.points * 100 / self.max_points)))


@dataclass
class Card:
    unit: OrgUnit
    year: int | None = None
    set_title: str = ""
    total: Decimal | None = None
    max_total: Decimal | None = None
    rank: int | None = None
    peers: int = 0
    rows: list[Row] = field(default_factory=list)
    trend: list[dict] = field(default_factory=list)
    plan_issued: bool = False
    reports: tuple[int, int] | None = None


def published_scores(unit: OrgUnit):
    """The unit's scores of published runs, one per year (the latest version of that year)."""
    scores = (
        UnitScore.objects.filter(unit=unit, run__status=RunStatus.PUBLISHED)
        .select_related("run__criteria_set")
        .order_by("run__criteria_set__year", "run__criteria_set__version", "pk")
    )
    by_year = {}
    for score in scores:
        by_year[score.run.criteria_set.year] = score
    return [by_year[year] for year in sorted(by_year)]


def _peers(run: ScoringRun) -> int:
    return UnitScore.objects.filter(run=run).count()


def _target(criterion) -> str:
    if criterion.method != ScoringMethod.INDICATOR:
        return ""
    if criterion.target is not None:
        return f"{criterion.target.normalize():f}"
    if criterion.bands:
        return str(criterion.bands[-1][0])
    return ""


def card(unit: OrgUnit, *, reports_on_time=None) -> Card:
    """The unit's scorecard from its latest published score, with its trend over the years."""
    result = Card(unit=unit)
    result.plan_issued = Plan.objects.in_force().filter(unit=unit).exists()
    scores = published_scores(unit)
    result.trend = [
        {
            "year": s.run.criteria_set.year,
            "total": s.total,
            "rank": s.rank,
            "peers": _peers(s.run),
        }
        for s in scores
    ]
    if not scores:
        return result
    latest = scores[-1]
    criteria_set = latest.run.criteria_set
    result.year = criteria_set.year
    result.set_title = criteria_set.title
    result.total, result.rank = latest.total, latest.rank
    result.max_total = criteria_set.total_points
    result.peers = _peers(latest.run)
    for cs in (
        CriterionScore.objects.filter(unit_score=latest)
        .select_related("criterion__group")
        .order_by("criterion__group__order", "criterion__group__pk", "criterion__order", "pk")
    ):
        c = cs.criterion
        result.rows.append(
            Row(
                code=c.code,
                title=c.title,
                group=c.group.title,
                max_points=c.max_points,
                points=cs.points,
                value=cs.value_display,
                target=_target(c),
            )
        )
    if reports_on_time is not None:
        result.reports = reports_on_time(unit, criteria_set.year)
    return result


def ranking(owner: OrgUnit) -> tuple[ScoringRun | None, list[UnitScore]]:
    """The latest published run of a set owned by ``owner`` and its units, best first."""
    run = (
        ScoringRun.objects.filter(criteria_set__unit=owner, status=RunStatus.PUBLISHED)
        .select_related("criteria_set")
        .order_by("-criteria_set__year", "-criteria_set__version")
        .first()
    )
    if run is None:
        return None, []
    return run, list(
        UnitScore.objects.filter(run=run).select_related("unit").order_by("rank", "unit__path")
    )


def card_xlsx(result: Card) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Scorecard")[:31]
    append_row(sheet, [_("Unit"), result.unit.name, result.unit.code])
    append_row(sheet, [_("Year"), result.year])
    append_row(sheet, [_("Total"), result.total, result.max_total])
    append_row(sheet, [_("Rank"), result.rank, result.peers])
    append_row(sheet, [])
    append_row(
        sheet,
        [_("Code"), _("Criterion"), _("Group"), _("Points"), _("Maximum"), _("Value"), _("Target")],
    )
    sheet[sheet.max_row][0].font = Font(bold=True)
    for row in result.rows:
        append_row(
            sheet,
            [row.code, row.title, row.group, row.points, row.max_points, row.value, row.target],
        )
    trend = book.create_sheet(_("Trend")[:31])
    append_row(trend, [_("Year"), _("Total"), _("Rank"), _("Units ranked")])
    for point in result.trend:
        append_row(trend, [point["year"], point["total"], point["rank"], point["peers"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _bump_on_save(sender, instance: ScoringRun, **kwargs) -> None:
    """A run saved (published, reopened, locked): every scored unit's public pages (and their
    ancestors', the owner's among them) are stale."""
    public_cache.bump(instance.criteria_set.unit)
    for unit in OrgUnit.objects.filter(evaluation_scores__run=instance):
        public_cache.bump(unit)


def connect() -> None:
    post_save.connect(_bump_on_save, sender=ScoringRun, dispatch_uid="scorecard-bump")
