"""Reading the awards register through the reader's scope."""

from __future__ import annotations

from lantoa.orgs.choices import Action

from .models.awards import AwardDecision, AwardNomination


def nominations_for(user, *, status: str | None = None, unit=None):
    qs = AwardNomination.objects.restrict(user, Action.VIEW).select_related("unit", "person")
    if status:
        qs = qs.filter(status=status)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs


def register_for(user, *, year: int | None = None, unit=None):
    """The register of those commended: every decision the user may see."""
    qs = AwardDecision.objects.restrict(user, Action.VIEW).select_related(
        "nomination__unit", "nomination__person"
    )
    if year:
        qs = qs.filter(date__year=year)
    if unit is not None:
        qs = qs.filter(nomination__unit__path__startswith=unit.path)
    return qs
