"""Writes of the trainings register. Every write names its actor (audit), checks everything
before writing (nothing half-saved) and is refused outside the actor's units.

Register and activities, no double counting: a session held may record ONE activity of kind
TRAINING (:func:`session_record_activity`): the evidence that it took place, with the session's
attended trainees as the activity's sign-in sheet (activities.attendance). The indicators count
*people*, never attendances: "communication staff trained" counts distinct ``Person`` rows that
either attended a training activity or are trainees of a register session in the period, so a
trainee of a session whose activity was recorded is the same person in both and is counted
once. "Training programmes held" counts the register's programmes with a session in the period
plus the TRAINING activities that are NOT a register session's activity
(``training_session`` is null), so a session's activity never adds a second programme.
``TrainingSession.activity`` is one-to-one: a session records at most one activity."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.activities.attendance import attendance_set
from lantoa.activities.choices import ActivityKind
from lantoa.activities.services import activity_record
from lantoa.indicators.services import rollup_mark_stale
from lantoa.orgs.audit import audited
from lantoa.orgs.choices import Action, PersonKind
from lantoa.orgs.models import OrgUnit, Person, User
from lantoa.orgs.scoping import require

from .models.trainings import Trainee, TrainingFormat, TrainingProgramme, TrainingSession

TITLE_MAX = 255
MAX_HOURS = Decimal("10000")
MAX_TRAINEES = 2000


def _require(actor, unit: OrgUnit) -> None:
    require(
        actor,
        Action.RECORD,
        unit,
        _("You cannot change the trainings register of %(unit)s.") % {"unit": unit},
    )


def _text(value) -> str:
    return " ".join(str(value or "").split())


def programme_check(
    *, title, topic="", starts_on, ends_on, format=TrainingFormat.IN_PERSON, hours=0
) -> dict:
    """The cleaned fields of a programme, or ValidationError naming every bad field."""
    errors: dict[str, str] = {}
    title, topic = _text(title), _text(topic)
    if not title:
        errors["title"] = _("Enter the programme's title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("The title is too long.")
    if len(topic) > TITLE_MAX:
        errors["topic"] = _("The topic is too long.")
    if not isinstance(starts_on, datetime.date):
        errors["starts_on"] = _("Enter the start date.")
    if not isinstance(ends_on, datetime.date):
        errors["ends_on"] = _("Enter the end date.")
    elif isinstance(starts_on, datetime.date) and ends_on < starts_on:
        errors["ends_on"] = _("The programme ends before it starts.")
    if format not in TrainingFormat.values:
        errors["format"] = _("Choose a format.")
    try:
        hours = Decimal(str(hours if hours not in (None, "") else 0))
        if not hours.is_finite() or hours < 0 or hours > MAX_HOURS:
            raise InvalidOperation
    except InvalidOperation:
        errors["hours"] = _("Enter the hours as a number between 0 and 10,000.")
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "topic": topic,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "format": format,
        "hours": hours.quantize(Decimal("0.1")),
    }


@audited
@transaction.atomic
def programme_save(
    *,
    actor: User | None,
    unit: OrgUnit,
    programme: TrainingProgramme | None = None,
    title: str,
    topic: str = "",
    for_communication_staff: bool = True,
    starts_on: datetime.date,
    ends_on: datetime.date,
    format: str = TrainingFormat.IN_PERSON,
    hours=0,
) -> TrainingProgramme:
    """Create a programme of ``unit`` or correct one."""
    _require(actor, unit)
    if programme is not None:
        _require(actor, programme.unit)
    checked = programme_check(
        title=title, topic=topic, starts_on=starts_on, ends_on=ends_on, format=format, hours=hours
    )
    if programme is not None and programme.pk:
        outside = programme.sessions.exclude(date__range=(starts_on, ends_on)).first()
        if outside is not None:
            raise ValidationError(
                {
                    "starts_on": _("The session of %(date)s falls outside these dates.")
                    % {"date": f"{outside.date:%d/%m/%Y}"}
                }
            )
    programme = programme or TrainingProgramme(
        created_by=actor if getattr(actor, "pk", None) else None
    )
    programme.unit = unit
    programme.for_communication_staff = bool(for_communication_staff)
    for field, value in checked.items():
        setattr(programme, field, value)
    programme.save()
    rollup_mark_stale(programme.starts_on, programme.ends_on)
    return programme


@audited
@transaction.atomic
def session_save(
    *,
    actor: User | None,
    programme: TrainingProgramme,
    session: TrainingSession | None = None,
    date: datetime.date,
    place: str = "",
    trainer: str = "",
) -> TrainingSession:
    """Add a session to a programme or correct one; its date lies within the programme's."""
    _require(actor, programme.unit)
    errors = {}
    place, trainer = _text(place), _text(trainer)
    if not isinstance(date, datetime.date):
        errors["date"] = _("Enter the session's date.")
    elif not programme.starts_on <= date <= programme.ends_on:
        errors["date"] = _("The session's date is outside the programme (%(start)s – %(end)s).") % {
            "start": f"{programme.starts_on:%d/%m/%Y}",
            "end": f"{programme.ends_on:%d/%m/%Y}",
        }
    if len(place) > TITLE_MAX:
        errors["place"] = _("The place is too long.")
    if len(trainer) > TITLE_MAX:
        errors["trainer"] = _("The trainer's name is too long.")
    if errors:
        raise ValidationError(errors)
    if session is not None and session.programme_id != programme.pk:
        raise ValidationError(_("This session is not part of the programme."))
    session = session or TrainingSession(programme=programme)
    session.date, session.place, session.trainer = date, place, trainer
    session.save()
    rollup_mark_stale(date)
    return session


def eligible_people(programme: TrainingProgramme):
    """Who may be a trainee: the current people lists of the organiser unit and units below."""
    return Person.objects.filter(unit__path__startswith=programme.unit.path, is_active=True)


@audited
@transaction.atomic
def trainees_set(
    *,
    actor: User | None,
    session: TrainingSession,
    person_ids: list[int],
    completed_ids: list[int] | None = None,
    absent_ids: list[int] | None = None,
) -> int:
    """Record the session's trainees, replacing what was recorded: each person once (a person
    listed twice is refused by name, nothing saved), taken from the people lists of the
    organiser unit and the units below. ``completed_ids`` completed the session, ``absent_ids``
    were enrolled but did not attend. Returns the number of trainees."""
    programme = session.programme
    _require(actor, programme.unit)
    ids = [int(pk) for pk in person_ids]
    completed = {int(pk) for pk in completed_ids or []}
    absent = {int(pk) for pk in absent_ids or []}
    if len(ids) > MAX_TRAINEES:
        raise ValidationError(_("A session has at most %(n)d trainees.") % {"n": MAX_TRAINEES})
    people = {p.pk: p for p in eligible_people(programme).filter(pk__in=ids)}
    errors = []
    seen: set[int] = set()
    for pk in ids:
        if pk not in people:
            errors.append(
                _("A chosen person is not on the people lists of %(unit)s.")
                % {"unit": programme.unit}
            )
        elif pk in seen:
            errors.append(
                _("%(name)s is listed twice in this session: each trainee is counted once.")
                % {"name": people[pk].full_name}
            )
        seen.add(pk)
    if (completed | absent) - seen:
        errors.append(_("A person marked completed or absent is not among the trainees."))
    if completed & absent:
        errors.append(_("A trainee who did not attend cannot have completed the session."))
    if errors:
        raise ValidationError(errors)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    Trainee.objects.filter(session=session).exclude(person_id__in=seen).delete()
    existing = {t.person_id: t for t in Trainee.objects.filter(session=session)}
    for pk in ids:
        wanted = (pk not in absent, pk in completed)
        trainee = existing.get(pk)
        if trainee is None:
            Trainee.objects.create(
                session=session, person_id=pk, attended=wanted[0], completed=wanted[1]
            )
        elif (trainee.attended, trainee.completed) != wanted:
            trainee.attended, trainee.completed = wanted
            trainee.save()
    if session.activity_id:
        attended = [pk for pk in ids if pk not in absent]
        if attended:
            attendance_set(actor=actor, activity=session.activity, person_ids=attended)
    rollup_mark_stale(session.date)
    return len(ids)


@audited
@transaction.atomic
def trainee_add(
    *, actor: User | None, session: TrainingSession, person: Person, attended=True, completed=False
) -> Trainee:
    """Add one trainee; the same person twice in a session is refused."""
    _require(actor, session.programme.unit)
    if not eligible_people(session.programme).filter(pk=person.pk).exists():
        raise ValidationError(
            _("%(name)s is not on the people lists of %(unit)s.")
            % {"name": person.full_name, "unit": session.programme.unit}
        )
    if Trainee.objects.filter(session=session, person=person).exists():
        raise ValidationError(
            _("%(name)s is already a trainee of this session: each trainee is counted once.")
            % {"name": person.full_name}
        )
    if completed and not attended:
        raise ValidationError(_("A trainee who did not attend cannot have completed the session."))
    trainee = Trainee.objects.create(
        session=session, person=person, attended=bool(attended), completed=bool(completed)
    )
    rollup_mark_stale(session.date)
    return trainee


@audited
@transaction.atomic
def session_record_activity(*, actor: User | None, session: TrainingSession):
    """Record the held session as one TRAINING activity of the organiser unit (evidence), its
    attended trainees as the sign-in sheet. Refused a second time (one activity per session)
    and before the session's date."""
    session = (
        TrainingSession.objects.select_for_update()
        .select_related("programme__unit")
        .get(pk=session.pk)
    )
    programme = session.programme
    _require(actor, programme.unit)
    if session.activity_id:
        raise ValidationError(_("This session's activity is already recorded."))
    from django.utils import timezone

    if session.date > timezone.localdate():
        raise ValidationError(_("A session can be recorded as an activity once it has been held."))
    attended = list(session.trainees.filter(attended=True).select_related("person"))
    staff = sum(1 for t in attended if t.person.kind == PersonKind.COMMUNICATION)
    activity = activity_record(
        actor=actor,
        unit=programme.unit,
        kind=ActivityKind.TRAINING,
        date=session.date,
        title=f"{programme.title} ({session.place})" if session.place else programme.title,
        description=_("Session of the training programme “%(title)s”, trainer: %(trainer)s.")
        % {"title": programme.title, "trainer": session.trainer or "—"},
        counts={"participants": len(attended) or None, "staff_trained": staff or None},
    )
    if attended:
        attendance_set(actor=actor, activity=activity, person_ids=[t.person_id for t in attended])
    session.activity = activity
    session.save(update_fields=["activity"])
    return activity


@audited
@transaction.atomic
def programme_delete(*, actor: User | None, programme: TrainingProgramme) -> None:
    """Remove a programme, its sessions and trainees (the activities recorded stay)."""
    _require(actor, programme.unit)
    start, end = programme.starts_on, programme.ends_on
    programme.delete()
    rollup_mark_stale(start, end)
