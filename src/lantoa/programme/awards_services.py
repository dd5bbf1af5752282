"""Awards: a unit nominates (itself, or one person of its people list), the level above reviews
and decides; each decision may record an AWARD activity, the unit's evidence."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.activities.choices import ActivityKind
from lantoa.activities.services import EARLIEST_ACTIVITY, activity_record
from lantoa.orgs.audit import acting
from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit, Person, User
from lantoa.orgs.scoping import require

from .models.awards import (
    AwardDecision,
    AwardLevel,
    AwardNomination,
    NominationKind,
    NominationStatus,
)

MAX_ACHIEVEMENT = 4000
MAX_NUMBER = 64


def reviewing_unit(unit: OrgUnit) -> OrgUnit:
    """The unit whose focal point reviews and decides a nomination of ``unit``: the level above
    (the nation's own nominations are decided at the nation)."""
    return OrgUnit.objects.get_parent(unit) or unit


def nomination_check(
    *,
    unit: OrgUnit | None,
    kind: str,
    person: Person | None,
    year,
    achievement: str,
    proposed_level: str,
) -> dict:
    """Every check a nomination must pass, all at once (the form, the API and the sheet share
    it): the cleaned values, or a ValidationError naming each wrong field."""
    errors: dict[str, str] = {}
    if kind not in NominationKind.values:
        errors["kind"] = _("Choose collective or individual.")
    elif kind == NominationKind.INDIVIDUAL:
        if person is None:
            errors["person"] = _("Choose the person nominated from the unit's people list.")
        elif unit is not None and person.unit_id != unit.pk:
            errors["person"] = _("This person is not on the unit's people list.")
    elif person is not None:
        errors["person"] = _("A collective nomination names no person.")
    this_year = timezone.localdate().year
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = None
    if year is None or not EARLIEST_ACTIVITY.year <= year <= this_year:
        errors["year"] = _("The year must be between %(first)d and %(last)d.") % {
            "first": EARLIEST_ACTIVITY.year,
            "last": this_year,
        }
    achievement = (achievement or "").strip()
    if not achievement:
        errors["achievement"] = _("Describe the achievements the nomination rests on.")
    elif len(achievement) > MAX_ACHIEVEMENT:
        errors["achievement"] = _("At most %(n)d characters.") % {"n": MAX_ACHIEVEMENT}
    if proposed_level not in AwardLevel.values:
        errors["proposed_level"] = _("Choose a level of award.")
    if errors:
        raise ValidationError(errors)
    return {"year": year, "achievement": achievement}


@transaction.atomic
def award_nominate(
    *,
    actor: User | None,
    unit: OrgUnit,
    kind: str,
    year,
    achievement: str,
    proposed_level: str,
    person: Person | None = None,
    origin_ref: str = "",
) -> AwardNomination:
    """A unit's nomination; the unit's reporters and focal points (and those above) propose."""
    require(actor, Action.RECORD, unit, _("You cannot nominate for %(unit)s.") % {"unit": unit})
    checked = nomination_check(
        unit=unit,
        kind=kind,
        person=person,
        year=year,
        achievement=achievement,
        proposed_level=proposed_level,
    )
    if origin_ref and AwardNomination.objects.filter(unit=unit, origin_ref=origin_ref).exists():
        raise ValidationError(_("This unit has already been nominated from this source."))
    with acting(actor):
        return AwardNomination.objects.create(
            unit=unit,
            kind=kind,
            person=person if kind == NominationKind.INDIVIDUAL else None,
            proposed_level=proposed_level,
            origin_ref=origin_ref[:64],
            created_by=actor if getattr(actor, "pk", None) else None,
            **checked,
        )


def _require_reviewer(actor, nomination: AwardNomination) -> None:
    above = reviewing_unit(nomination.unit)
    require(
        actor,
        Action.APPROVE_REPORT,
        above,
        _("Only the focal point of %(unit)s reviews this nomination.") % {"unit": above},
    )


@transaction.atomic
def award_review(
    *, actor: User | None, nomination: AwardNomination, accept: bool, note: str = ""
) -> AwardNomination:
    """Accept a proposed nomination for a decision, or turn it down with a reason."""
    _require_reviewer(actor, nomination)
    nomination = AwardNomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status != NominationStatus.PROPOSED:
        raise ValidationError(_("This nomination has already been reviewed."))
    note = " ".join((note or "").split())[:1000]
    if not accept and not note:
        raise ValidationError({"review_note": _("Say why the nomination is not accepted.")})
    with acting(actor):
        nomination.status = NominationStatus.ACCEPTED if accept else NominationStatus.REJECTED
        nomination.review_note = note
        nomination.reviewed_at = timezone.now()
        nomination.reviewed_by = actor if getattr(actor, "pk", None) else None
        nomination.save()
    return nomination


def decision_check(*, number: str, date, level: str) -> dict:
    errors: dict[str, str] = {}
    number = " ".join((number or "").split())
    if not number:
        errors["number"] = _("Enter the decision's number (e.g. 123/QĐ-UBND).")
    elif len(number) > MAX_NUMBER:
        errors["number"] = _("At most %(n)d characters.") % {"n": MAX_NUMBER}
    if not isinstance(date, datetime.date):
        errors["date"] = _("Enter the decision's date.")
    elif date > timezone.localdate():
        errors["date"] = _("The decision's date is in the future.")
    elif date < EARLIEST_ACTIVITY:
        errors["date"] = _("The decision's date is before %(earliest)s.") % {
            "earliest": EARLIEST_ACTIVITY.strftime("%d/%m/%Y")
        }
    if level not in AwardLevel.values:
        errors["level"] = _("Choose a level of award.")
    if errors:
        raise ValidationError(errors)
    return {"number": number}


@transaction.atomic
def award_decide(
    *,
    actor: User | None,
    nomination: AwardNomination,
    number: str,
    date: datetime.date,
    level: str,
    record_activity: bool = True,
) -> AwardDecision:
    """Record the decision commending an accepted nomination; with ``record_activity`` the
    unit gets an AWARD activity (its evidence for the indicators and the scores)."""
    _require_reviewer(actor, nomination)
    checked = decision_check(number=number, date=date, level=level)
    nomination = AwardNomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status != NominationStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted nomination can be decided."))
    activity = None
    if record_activity:
        activity = activity_record(
            actor=actor,
            unit=nomination.unit,
            kind=ActivityKind.AWARD,
            date=date,
            title=_("%(level)s (decision %(number)s)")
            % {"level": AwardLevel(level).label, "number": checked["number"]},
            description=nomination.achievement,
            counts={"items": 1},
            origin_ref=f"award:{nomination.pk}",
        )
    with acting(actor):
        decision = AwardDecision.objects.create(
            nomination=nomination,
            number=checked["number"],
            date=date,
            level=level,
            activity=activity,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        nomination.status = NominationStatus.AWARDED
        nomination.save(update_fields=["status", "updated_at"])
    return decision
