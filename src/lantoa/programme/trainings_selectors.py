"""Reads of the trainings register, scoped to what the user may see."""

from __future__ import annotations

from django.db.models import Count, Q

from lantoa.core.text import fold
from lantoa.orgs.choices import Action, PersonKind
from lantoa.orgs.models import OrgUnit, Person

from .models.trainings import Trainee, TrainingProgramme


def programmes_for(user, query: str = ""):
    """The programmes ``user`` may see, searched without diacritics on title and topic."""
    programmes = (
        TrainingProgramme.objects.restrict(user, Action.VIEW)
        .select_related("unit")
        .annotate(session_count=Count("sessions", distinct=True))
    )
    words = fold(query or "").split()[:8]
    for word in words:
        programmes = programmes.filter(search__contains=word)
    return programmes.order_by("-starts_on", "pk")


def units_to_record(user):
    return OrgUnit.objects.restrict(user, Action.RECORD).order_by("path")


def distinct_trained(unit: OrgUnit, start=None, end=None, *, communication_only=True) -> dict:
    """People of ``unit`` and units below who attended a register session (each once, however
    many sessions or programmes) over the communication staff on the current lists."""
    people = Person.objects.filter(unit__path__startswith=unit.path)
    if communication_only:
        people = people.filter(kind=PersonKind.COMMUNICATION)
    sessions = Q(trainings__attended=True)
    if start:
        sessions &= Q(trainings__session__date__gte=start)
    if end:
        sessions &= Q(trainings__session__date__lte=end)
    trained = people.filter(sessions).distinct().count()
    on_list = people.filter(is_active=True).count()
    return {"trained": trained, "total": on_list}


def trainees_of(session):
    return Trainee.objects.filter(session=session).select_related("person__unit")
