"""Reads of evaluation, scoped to what the user may see."""

from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit

from .choices import RunStatus, SetStatus
from .models import CriteriaSet, ScoringRun, UnitScore
from .services import MANAGE, PEERS


def sets_for(user):
    """The sets of the user's units and of the units above them (which score them)."""
    return CriteriaSet.objects.restrict(user).select_related("unit", "adopts")


def owning_units(user):
    """The units the user may define criteria sets for."""
    return OrgUnit.objects.restrict(user, MANAGE).filter(kind__in=list(PEERS)).order_by("path")


def adoptable(user):
    return CriteriaSet.objects.restrict(user).filter(status=SetStatus.ACTIVE)


def my_scores(user):
    """The scores of the user's own units (a commune sees its draft score)."""
    return (
        UnitScore.objects.restrict(user, Action.VIEW)
        .select_related("unit", "run__criteria_set")
        .order_by("-run__criteria_set__year", "unit__path")
    )


def published_runs():
    """Published, locked runs: what the public scorecard shows."""
    return ScoringRun.objects.filter(status=RunStatus.PUBLISHED).select_related(
        "criteria_set__unit"
    )
