"""Criteria sets and scoring runs: define, score from evidence, review, contest, lock, reopen,
publish. Every write checks before it writes, inside one transaction, and names its actor."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.activities.models import Activity
from lantoa.analytics.computation import value_of, values_all
from lantoa.indicators.catalogue import DEFINITIONS
from lantoa.orgs.audit import audited, record
from lantoa.orgs.choices import Action, UnitKind
from lantoa.orgs.models import Membership, OrgUnit
from lantoa.orgs.scoping import require

from .choices import ContestStatus, RunStatus, Scale, ScoringMethod, SetStatus, TieRule
from .models import (
    CriteriaSet,
    Criterion,
    CriterionGroup,
    CriterionScore,
    ScoringRun,
    UnitScore,
)

MANAGE = Action.APPROVE_REPORT  # the focal point's action: sets, review, lock, publish
MAX_CRITERIA = 200
MAX_BANDS = 20
# The units a set's owner ranks: provinces of the nation, communes of a province.
PEERS = {
    UnitKind.NATIONAL: (UnitKind.PROVINCE, UnitKind.CITY),
    UnitKind.PROVINCE: (UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE),
    UnitKind.CITY: (UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE),
}


def _fmt(number) -> str:
    return format(Decimal(number).normalize(), "f").replace(".", ",")


def _decimal(value, label) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(field)s must be a number.") % {"field": label}) from None
    if not number.is_finite() or number < 0 or number > Decimal("1e9"):
        raise ValidationError(_("%(field)s must be a number of 0 or more.") % {"field": label})
    return number


def _editable(criteria_set: CriteriaSet) -> None:
    if ScoringRun.objects.filter(criteria_set=criteria_set).exists():
        raise ValidationError(
            _("This criteria set already has a scoring run: create a new version to change it.")
        )


def peer_units(unit: OrgUnit):
    """The units a set owned by ``unit`` scores and ranks."""
    kinds = PEERS.get(unit.kind)
    if not kinds:
        return OrgUnit.objects.none()
    return OrgUnit.objects.get_children(unit).filter(kind__in=kinds).order_by("path")


# --- Sets --------------------------------------------------------------------------------


@audited
@transaction.atomic
def set_create(
    *,
    actor,
    unit: OrgUnit,
    year: int,
    title: str,
    adopts: CriteriaSet | None = None,
    total_points=Decimal(100),
    tie_rule: str = TieRule.SHARED,
    tie_breakers: list[str] | None = None,
    contest_from: datetime.date | None = None,
    contest_until: datetime.date | None = None,
) -> CriteriaSet:
    require(actor, MANAGE, unit)
    if unit.kind not in PEERS:
        raise ValidationError(
            _("Only the national focal point, a province or a city defines criteria sets.")
        )
    title = (title or "").strip()[:255]
    if not title:
        raise ValidationError(_("A criteria set needs a title."))
    if not 2000 <= int(year) <= 2100:
        raise ValidationError(_("The year must be between 2000 and 2100."))
    if adopts is not None:
        _check_adoption(unit, int(year), adopts)
    if tie_rule not in TieRule.values:
        raise ValidationError(_("Unknown tie rule."))
    _check_window(contest_from, contest_until)
    version = CriteriaSet.objects.filter(unit=unit, year=year).order_by("-version").first()
    return CriteriaSet.objects.create(
        unit=unit,
        year=year,
        version=version.version + 1 if version else 1,
        title=title,
        adopts=adopts,
        total_points=_decimal(total_points, _("Total points")),
        tie_rule=tie_rule,
        tie_breakers=list(tie_breakers or [])[:10],
        contest_from=contest_from,
        contest_until=contest_until,
    )


def _check_adoption(unit: OrgUnit, year: int, adopts: CriteriaSet) -> None:
    if not unit.path.startswith(adopts.unit.path) or adopts.unit.path == unit.path:
        raise ValidationError(_("A set may adopt only a set of a unit above its own."))
    if adopts.status != SetStatus.ACTIVE:
        raise ValidationError(_("Only an active criteria set may be adopted."))
    if adopts.year != year:
        raise ValidationError(
            _("The adopted set is for %(other)s, this set for %(year)s.")
            % {"other": adopts.year, "year": year}
        )


def _check_window(start, end) -> None:
    if start and end and end < start:
        raise ValidationError(_("The contest window closes before it opens."))


@audited
@transaction.atomic
def set_edit(*, actor, criteria_set: CriteriaSet, **fields) -> CriteriaSet:
    """Change a draft set's title, total, tie rule, tie-breakers or contest window."""
    require(actor, MANAGE, criteria_set.unit)
    _editable(criteria_set)
    allowed = {"title", "total_points", "tie_rule", "tie_breakers", "contest_from", "contest_until"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("Unknown field: %(name)s.") % {"name": ", ".join(sorted(unknown))})
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()[:255]
        if not fields["title"]:
            raise ValidationError(_("A criteria set needs a title."))
    if "total_points" in fields:
        fields["total_points"] = _decimal(fields["total_points"], _("Total points"))
    if "tie_rule" in fields and fields["tie_rule"] not in TieRule.values:
        raise ValidationError(_("Unknown tie rule."))
    if "tie_breakers" in fields:
        fields["tie_breakers"] = [str(c).strip()[:32] for c in fields["tie_breakers"] or []][:10]
    _check_window(
        fields.get("contest_from", criteria_set.contest_from),
        fields.get("contest_until", criteria_set.contest_until),
    )
    for name, value in fields.items():
        setattr(criteria_set, name, value)
    if criteria_set.status == SetStatus.ACTIVE:
        check_weights(criteria_set)
    criteria_set.save()
    return criteria_set


@audited
@transaction.atomic
def group_add(*, actor, criteria_set: CriteriaSet, title: str, order: int = 0) -> CriterionGroup:
    require(actor, MANAGE, criteria_set.unit)
    _editable(criteria_set)
    title = (title or "").strip()[:255]
    if not title:
        raise ValidationError(_("A group needs a title."))
    return CriterionGroup.objects.create(criteria_set=criteria_set, title=title, order=order)


def _check_criterion(criteria_set: CriteriaSet, data: dict) -> dict:
    code = (data.get("code") or "").strip()[:32]
    title = (data.get("title") or "").strip()[:500]
    if not code or not title:
        raise ValidationError(_("A criterion needs a code and a title."))
    max_points = _decimal(data.get("max_points"), _("Maximum points"))
    if max_points <= 0:
        raise ValidationError(_("A criterion's maximum points must be more than 0."))
    method = data.get("method")
    if method not in ScoringMethod.values:
        raise ValidationError(_("Choose how the criterion is scored."))
    clean = {
        "code": code,
        "title": title,
        "max_points": max_points,
        "method": method,
        "order": int(data.get("order") or 0),
        "guidance": (data.get("guidance") or "")[:5000],
        "indicator": "",
        "indicator_year": None,
        "scale": "",
        "bands": [],
        "target": None,
    }
    if method == ScoringMethod.REVIEW:
        return clean
    indicator = data.get("indicator") or ""
    if indicator not in DEFINITIONS:
        raise ValidationError(_("Choose an indicator of the catalogue."))
    year = data.get("indicator_year") or criteria_set.year
    if int(year) != criteria_set.year:
        raise ValidationError(
            _(
                "Criterion %(code)s reads the indicator for %(other)s, but the set scores %(year)s:"
                " an indicator must be read for the set's own year."
            )
            % {"code": code, "other": year, "year": criteria_set.year}
        )
    scale = data.get("scale")
    if scale not in Scale.values:
        raise ValidationError(_("Choose bands or linear for criterion %(code)s.") % {"code": code})
    clean.update(indicator=indicator, indicator_year=int(year), scale=scale)
    if scale == Scale.LINEAR:
        target = data.get("target")
        if target in (None, ""):
            raise ValidationError(_("Criterion %(code)s needs a target.") % {"code": code})
        target = _decimal(target, _("Target"))
        if target <= 0:
            raise ValidationError(_("Criterion %(code)s needs a target.") % {"code": code})
        clean["target"] = target
    else:
        bands = []
        for row in list(data.get("bands") or [])[: MAX_BANDS + 1]:
            threshold, points = row
            bands.append((_decimal(threshold, _("Threshold")), _decimal(points, _("Points"))))
        if not bands or len(bands) > MAX_BANDS:
            raise ValidationError(
                _("Criterion %(code)s needs between 1 and %(max)s bands.")
                % {"code": code, "max": MAX_BANDS}
            )
        bands.sort()
        for _threshold, points in bands:
            if points > max_points:
                raise ValidationError(
                    _(
                        "A band of criterion %(code)s gives %(points)s points, above its maximum %(max)s."
                    )
                    % {"code": code, "points": _fmt(points), "max": _fmt(max_points)}
                )
        clean["bands"] = [[str(t), str(p)] for t, p in bands]
    return clean


@audited
@transaction.atomic
def criterion_add(*, actor, group: CriterionGroup, **data) -> Criterion:
    criteria_set = group.criteria_set
    require(actor, MANAGE, criteria_set.unit)
    _editable(criteria_set)
    clean = _check_criterion(criteria_set, data)
    codes = {c.code for c in criteria_set.all_criteria()}
    if clean["code"] in codes:
        raise ValidationError(_("Code %(code)s is already used in this set.") % clean)
    if len(codes) >= MAX_CRITERIA:
        raise ValidationError(_("A set holds at most %(max)s criteria.") % {"max": MAX_CRITERIA})
    criterion = Criterion.objects.create(group=group, **clean)
    if criteria_set.status == SetStatus.ACTIVE:
        check_weights(criteria_set)
    return criterion


@audited
@transaction.atomic
def criterion_edit(*, actor, criterion: Criterion, **data) -> Criterion:
    criteria_set = criterion.group.criteria_set
    require(actor, MANAGE, criteria_set.unit)
    _editable(criteria_set)
    current = {
        f: getattr(criterion, f)
        for f in ("code", "title", "max_points", "method", "order", "guidance", "indicator")
    }
    current.update(
        indicator_year=criterion.indicator_year,
        scale=criterion.scale,
        bands=criterion.bands,
        target=criterion.target,
    )
    group = data.pop("group", None)
    if group is not None and group.criteria_set_id != criteria_set.pk:
        raise ValidationError(_("This group is not in the criteria set."))
    current.update(data)
    clean = _check_criterion(criteria_set, current)
    if clean["code"] != criterion.code and clean["code"] in {
        c.code for c in criteria_set.all_criteria()
    }:
        raise ValidationError(_("Code %(code)s is already used in this set.") % clean)
    for name, value in clean.items():
        setattr(criterion, name, value)
    if group is not None:
        criterion.group = group
    criterion.save()
    if criteria_set.status == SetStatus.ACTIVE:
        check_weights(criteria_set)
    return criterion


@audited
@transaction.atomic
def criterion_remove(*, actor, criterion: Criterion) -> None:
    criteria_set = criterion.group.criteria_set
    require(actor, MANAGE, criteria_set.unit)
    _editable(criteria_set)
    criterion.delete()
    if criteria_set.status == SetStatus.ACTIVE:
        check_weights(criteria_set)


def check_weights(criteria_set: CriteriaSet) -> None:
    """The rule: the maximum points of every criterion (adopted ones included) add up to the
    set's total points."""
    criteria = criteria_set.all_criteria()
    if not criteria:
        raise ValidationError(_("A criteria set needs at least one criterion."))
    total = sum((c.max_points for c in criteria), Decimal(0))
    if total != criteria_set.total_points:
        raise ValidationError(
            _(
                "The criteria's maximum points add up to %(sum)s, but the set's total is %(total)s"
                " (%(count)s criteria)."
            )
            % {
                "sum": _fmt(total),
                "total": _fmt(criteria_set.total_points),
                "count": len(criteria),
            }
        )
    codes = {c.code for c in criteria}
    missing = [c for c in criteria_set.tie_breakers if c not in codes]
    if missing:
        raise ValidationError(
            _("Tie-breaking criterion %(code)s is not in the set.") % {"code": missing[0]}
        )
    for c in criteria:
        if c.method == ScoringMethod.INDICATOR and c.indicator_year != criteria_set.year:
            raise ValidationError(
                _(
                    "Criterion %(code)s reads the indicator for %(other)s, but the set scores"
                    " %(year)s: an indicator must be read for the set's own year."
                )
                % {"code": c.code, "other": c.indicator_year, "year": criteria_set.year}
            )


@audited
@transaction.atomic
def set_activate(*, actor, criteria_set: CriteriaSet) -> CriteriaSet:
    require(actor, MANAGE, criteria_set.unit)
    check_weights(criteria_set)
    criteria_set.status = SetStatus.ACTIVE
    criteria_set.save(update_fields=["status", "updated_at"])
    return criteria_set


# --- Scoring -----------------------------------------------------------------------------


def points_for(criterion: Criterion, value: Decimal | None) -> Decimal:
    """An indicator criterion's points for ``value``: the band reached, or linear to target."""
    if value is None:
        return Decimal(0)
    if criterion.scale == Scale.LINEAR:
        share = min(value / criterion.target, Decimal(1)) if criterion.target else Decimal(0)
        return (criterion.max_points * share).quantize(Decimal("0.01"))
    points = Decimal(0)
    for threshold, band_points in criterion.bands:
        if value >= Decimal(threshold):
            points = Decimal(band_points)
    return min(points, criterion.max_points)


def _require_draft(run: ScoringRun) -> None:
    run.refresh_from_db(fields=["status"])  # the stored status, not a page's stale copy
    if run.status != RunStatus.DRAFT:
        raise ValidationError(
            _("The scores are locked: reopen the run, on the record, to change them.")
        )


def _compute(run: ScoringRun) -> None:
    """Every peer unit's indicator criteria read from the evidence; review points kept."""
    criteria_set = run.criteria_set
    owner = criteria_set.unit
    criteria = criteria_set.all_criteria()
    indicator_criteria = [c for c in criteria if c.method == ScoringMethod.INDICATOR]
    codes = sorted({c.indicator for c in indicator_criteria})
    units = list(peer_units(owner))
    found = {}
    if codes and units:
        start = datetime.date(criteria_set.year, 1, 1)
        end = datetime.date(criteria_set.year, 12, 31)
        found = values_all(codes, start, end, [owner.depth + 1], under=owner)
    for unit in units:
        unit_score, _created = UnitScore.objects.get_or_create(run=run, unit=unit)
        existing = {s.criterion_id: s for s in unit_score.criteria.all()}
        for criterion in criteria:
            score = existing.get(criterion.pk) or CriterionScore(
                unit_score=unit_score, criterion=criterion
            )
            if criterion.method == ScoringMethod.INDICATOR:
                value = value_of(criterion.indicator, found[criterion.indicator].get(unit.path))
                score.value = value.value
                score.value_display = value.display[:64]
                score.points = points_for(criterion, value.value)
            score.save()
        _total(unit_score)
    UnitScore.objects.filter(run=run).exclude(unit__in=units).delete()
    run.computed_at = timezone.now()
    run.save(update_fields=["computed_at"])
    rank(run)


def _total(unit_score: UnitScore) -> None:
    unit_score.total = sum((s.points or Decimal(0) for s in unit_score.criteria.all()), Decimal(0))
    unit_score.save(update_fields=["total"])


def rank(run: ScoringRun) -> None:
    """Rank the run's units by total; equal totals per the set's tie rule (competition
    ranking: 1, 1, 3)."""
    criteria_set = run.criteria_set
    scores = list(run.scores.prefetch_related("criteria__criterion"))
    breakers = criteria_set.tie_breakers if criteria_set.tie_rule == TieRule.BY_CRITERIA else []

    def key(s: UnitScore):
        points = {c.criterion.code: c.points or Decimal(0) for c in s.criteria.all()}
        return (s.total, *(points.get(code, Decimal(0)) for code in breakers))

    scores.sort(key=key, reverse=True)
    previous, previous_rank = None, 0
    for position, s in enumerate(scores, start=1):
        k = key(s)
        s.rank = previous_rank if k == previous else position
        previous, previous_rank = k, s.rank
    UnitScore.objects.bulk_update(scores, ["rank"])


@audited
@transaction.atomic
def scoring_run(*, actor, criteria_set: CriteriaSet) -> ScoringRun:
    """Start (or recompute, while a draft) the set's scoring run from the evidence."""
    require(actor, MANAGE, criteria_set.unit)
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if criteria_set.status != SetStatus.ACTIVE:
        raise ValidationError(_("Activate the criteria set before scoring with it."))
    check_weights(criteria_set)
    run = ScoringRun.objects.filter(criteria_set=criteria_set).first()
    if run is None:
        run = ScoringRun.objects.create(criteria_set=criteria_set)
    else:
        _require_draft(run)
    _compute(run)
    return run


@audited
@transaction.atomic
def criterion_review(
    *, actor, criterion_score: CriterionScore, points, note: str = ""
) -> CriterionScore:
    """The focal point scores a review criterion (or settles an accepted contest)."""
    unit_score = criterion_score.unit_score
    run = unit_score.run
    require(actor, MANAGE, run.criteria_set.unit)
    _require_draft(run)
    if (
        actor is not None
        and Membership.objects.filter(
            user=actor, unit__path__startswith=unit_score.unit.path
        ).exists()
    ):
        raise ValidationError(
            _("You belong to %(unit)s: a reviewer may not score their own unit.")
            % {"unit": unit_score.unit}
        )
    criterion = criterion_score.criterion
    points = _decimal(points, _("Points"))
    if points > criterion.max_points:
        raise ValidationError(
            _("Criterion %(code)s is worth at most %(max)s points, not %(points)s.")
            % {"code": criterion.code, "max": _fmt(criterion.max_points), "points": _fmt(points)}
        )
    if criterion.method != ScoringMethod.REVIEW and criterion_score.contest_status != (
        ContestStatus.ACCEPTED
    ):
        raise ValidationError(
            _(
                "Criterion %(code)s is scored from its indicator; only an accepted contest changes it."
            )
            % {"code": criterion.code}
        )
    criterion_score.points = points
    criterion_score.note = (note or "")[:5000]
    criterion_score.reviewer = actor if getattr(actor, "pk", None) else None
    criterion_score.reviewed_at = timezone.now()
    criterion_score.save()
    _total(unit_score)
    rank(run)
    return criterion_score


def _in_window(criteria_set: CriteriaSet, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    start, end = criteria_set.contest_from, criteria_set.contest_until
    if not start or not end or not start <= today <= end:
        raise ValidationError(
            _("Evidence and contests are taken from %(start)s to %(end)s only.")
            % {
                "start": start.strftime("%d/%m/%Y") if start else "—",
                "end": end.strftime("%d/%m/%Y") if end else "—",
            }
        )


@audited
@transaction.atomic
def evidence_add(
    *,
    actor,
    criterion_score: CriterionScore,
    activities: list[Activity] | None = None,
    url: str = "",
    today: datetime.date | None = None,
) -> CriterionScore:
    """The scored unit attaches evidence to a criterion, within the window of a draft run."""
    unit = criterion_score.unit_score.unit
    require(actor, Action.RECORD, unit)
    run = criterion_score.unit_score.run
    _require_draft(run)
    _in_window(run.criteria_set, today)
    activities = list(activities or [])
    foreign = [a for a in activities if not a.unit.path.startswith(unit.path)]
    if foreign:
        raise ValidationError(_("Evidence must be activities of %(unit)s.") % {"unit": unit})
    url = (url or "").strip()[:500]
    if url and not url.startswith(("https://", "http://")):
        raise ValidationError(_("An evidence link starts with https:// or http://."))
    if url:
        criterion_score.evidence_url = url
        criterion_score.save(update_fields=["evidence_url"])
    if activities:
        criterion_score.evidence_activities.add(*activities)
    return criterion_score


@audited
@transaction.atomic
def contest_open(
    *, actor, criterion_score: CriterionScore, text: str, today: datetime.date | None = None
) -> CriterionScore:
    require(actor, Action.RECORD, criterion_score.unit_score.unit)
    run = criterion_score.unit_score.run
    _require_draft(run)
    _in_window(run.criteria_set, today)
    text = (text or "").strip()[:5000]
    if not text:
        raise ValidationError(_("Say why the criterion's score is contested."))
    criterion_score.contest = text
    criterion_score.contest_status = ContestStatus.OPEN
    criterion_score.contest_answer = ""
    criterion_score.save(update_fields=["contest", "contest_status", "contest_answer"])
    return criterion_score


@audited
@transaction.atomic
def contest_answer(
    *, actor, criterion_score: CriterionScore, accepted: bool, answer: str
) -> CriterionScore:
    run = criterion_score.unit_score.run
    require(actor, MANAGE, run.criteria_set.unit)
    _require_draft(run)
    if criterion_score.contest_status != ContestStatus.OPEN:
        raise ValidationError(_("This criterion is not contested."))
    answer = (answer or "").strip()[:5000]
    if not answer:
        raise ValidationError(_("Answer the contest."))
    criterion_score.contest_status = ContestStatus.ACCEPTED if accepted else ContestStatus.REFUSED
    criterion_score.contest_answer = answer
    criterion_score.save(update_fields=["contest_status", "contest_answer"])
    return criterion_score


@audited
@transaction.atomic
def run_recompute(*, actor, run: ScoringRun) -> ScoringRun:
    require(actor, MANAGE, run.criteria_set.unit)
    _require_draft(run)
    _compute(run)
    return run


@audited
@transaction.atomic
def run_lock(*, actor, run: ScoringRun) -> ScoringRun:
    """Freeze the figures: every value is kept as read; nothing changes them until reopened."""
    run = ScoringRun.objects.select_for_update().get(pk=run.pk)
    require(actor, MANAGE, run.criteria_set.unit)
    _require_draft(run)
    scores = CriterionScore.objects.filter(unit_score__run=run)
    open_contests = scores.filter(contest_status=ContestStatus.OPEN).count()
    if open_contests:
        raise ValidationError(
            _("%(count)s contests are still open: answer them before locking.")
            % {"count": open_contests}
        )
    unreviewed = scores.filter(criterion__method=ScoringMethod.REVIEW, points=None).count()
    if unreviewed:
        raise ValidationError(
            _("%(count)s review criteria are not scored yet: score them before locking.")
            % {"count": unreviewed}
        )
    _compute(run)  # the last reading of the evidence is the one kept
    run.status = RunStatus.LOCKED
    run.locked_at = timezone.now()
    run.locked_by = actor if getattr(actor, "pk", None) else None
    run.save(update_fields=["status", "locked_at", "locked_by"])
    return run


@audited
@transaction.atomic
def run_reopen(*, actor, run: ScoringRun, reason: str) -> ScoringRun:
    run = ScoringRun.objects.select_for_update().get(pk=run.pk)
    require(actor, MANAGE, run.criteria_set.unit)
    reason = (reason or "").strip()[:500]
    if not reason:
        raise ValidationError(_("Say why the scores are reopened."))
    if run.status == RunStatus.DRAFT:
        raise ValidationError(_("The scores are not locked."))
    before = run.status
    run.status = RunStatus.DRAFT
    run.reopened_at = timezone.now()
    run.reopened_reason = reason
    run.published_at = None
    run.save(update_fields=["status", "reopened_at", "reopened_reason", "published_at"])
    record(
        run,
        actor=actor,
        changes={"status": (before, RunStatus.DRAFT)},
        summary=_("Scores reopened: %(reason)s") % {"reason": reason},
    )
    _compute(run)
    return run


@audited
@transaction.atomic
def run_publish(*, actor, run: ScoringRun) -> ScoringRun:
    run = ScoringRun.objects.select_for_update().get(pk=run.pk)
    require(actor, MANAGE, run.criteria_set.unit)
    if run.status != RunStatus.LOCKED:
        raise ValidationError(_("Lock the scores before publishing them."))
    run.status = RunStatus.PUBLISHED
    run.published_at = timezone.now()
    run.save(update_fields=["status", "published_at"])
    return run
