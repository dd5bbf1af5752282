"""Nominations drawn from the scores: the top-ranked units of a published run are nominated for
an award through the programme's awards services (evaluation sits above programme)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.programme.awards_services import award_nominate
from lantoa.programme.models.awards import AwardLevel, AwardNomination, NominationKind

from .choices import RunStatus
from .models import ScoringRun, UnitScore

MAX_TOP = 50


@transaction.atomic
def nominations_from_run(
    *, actor, run: ScoringRun, top_n: int, level: str = AwardLevel.COMMUNE_CHAIR
) -> list[AwardNomination]:
    """A collective nomination for each unit ranked within the first ``top_n`` (ties included)
    of a published run; a unit already nominated from this run is skipped."""
    run = ScoringRun.objects.select_related("criteria_set").get(pk=run.pk)
    if run.status != RunStatus.PUBLISHED:
        raise ValidationError(_("Nominations are drawn only from published scores."))
    if not 1 <= int(top_n) <= MAX_TOP:
        raise ValidationError(_("Nominate between 1 and %(n)d units.") % {"n": MAX_TOP})
    origin = f"scoring-run:{run.pk}"
    made = []
    scores = UnitScore.objects.filter(run=run, rank__isnull=False, rank__lte=int(top_n))
    for score in scores.select_related("unit").order_by("rank", "unit__path"):
        if AwardNomination.objects.filter(unit=score.unit, origin_ref=origin).exists():
            continue
        made.append(
            award_nominate(
                actor=actor,
                unit=score.unit,
                kind=NominationKind.COLLECTIVE,
                year=run.criteria_set.year,
                achievement=_(
                    "Ranked %(rank)d with %(total)s points in “%(set)s” (published scores)."
                )
                % {"rank": score.rank, "total": score.total, "set": run.criteria_set.title},
                proposed_level=level,
                origin_ref=origin,
            )
        )
    return made
