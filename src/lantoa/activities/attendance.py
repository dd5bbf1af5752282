"""Who attended an activity: the sign-in sheet (an .xlsx or a list of names) matched to the
people lists of the activity's unit and the units below it, or "the whole unit"."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.core.text import fold
from lantoa.indicators.services import rollup_mark_stale
from lantoa.orgs.models import Person, User
from lantoa.orgs.people import read_rows

from .models import Activity, Attendance
from .services import activity_held_for_change

MAX_ATTENDEES = 5000
HEADER_WORDS = ("ho va ten", "ho ten", "stt", "danh sach", "ky ten", "chu ky")


def _names_from_sheet(data: bytes) -> list[tuple[int, str]]:
    """(row number, name): in each row the first cell that is text, not a number (sign-in
    sheets often start with a serial number); header rows are skipped."""
    found = []
    for number, row in read_rows(data, max_rows=MAX_ATTENDEES + 10):
        for cell in row:
            if isinstance(cell, str) and cell.strip() and not cell.strip().isdigit():
                name = " ".join(cell.split())
                if not any(word in fold(name) for word in HEADER_WORDS):
                    found.append((number, name))
                break
    return found


def attendance_people(activity: Activity):
    """The people who may have attended: the current lists of the unit and the units below."""
    return Person.objects.filter(unit__path__startswith=activity.unit.path, is_active=True)


@transaction.atomic
def attendance_set(
    *,
    actor: User | None,
    activity: Activity,
    names: list[str] | None = None,
    data: bytes | None = None,
    whole_unit: bool = False,
    person_ids: list[int] | None = None,
) -> int:
    """Record who attended, replacing what was recorded: the people ticked on the lists and
    those the sign-in sheet (or the names typed) names. Every name must match one person on the
    lists (accents optional); otherwise each name that does not is reported by its line and
    nothing is saved. Returns the number of people. Two sheets sent at once for one activity
    are written one after the other (the activity's row is held)."""
    activity = activity_held_for_change(
        actor,
        activity,
        withdrawn=_("This activity was withdrawn: its attendance can no longer change."),
        denied=_("You cannot record activities for %(unit)s."),
    )
    people = list(attendance_people(activity))
    if whole_unit:
        if not people:
            raise ValidationError(
                _("%(unit)s has no people list yet: import it first.") % {"unit": activity.unit}
            )
        chosen = {p.pk for p in people}
    else:
        if data is not None:
            lines = _names_from_sheet(data)
        else:
            lines = [
                (number, " ".join(name.split()))
                for number, name in enumerate(names or [], start=1)
                if name.strip()
            ]
        ticked = {int(pk) for pk in person_ids or []}
        if ticked - {p.pk for p in people}:
            raise ValidationError(_("A ticked person is not on the people lists."))
        if not lines and not ticked:
            raise ValidationError(_("The sign-in sheet lists nobody."))
        if len(lines) > MAX_ATTENDEES:
            raise ValidationError(
                _("The sign-in sheet has more than %(n)d names.") % {"n": MAX_ATTENDEES}
            )
        by_name: dict[str, list[Person]] = {}
        for person in people:
            by_name.setdefault(person.name_folded, []).append(person)
        errors, chosen = [], set(ticked)
        for number, name in lines:
            matches = by_name.get(fold(name), [])
            if not matches:
                errors.append(
                    _("Line %(row)d: “%(name)s” is not on the people list.")
                    % {"row": number, "name": name}
                )
            elif len(matches) > 1:
                errors.append(
                    _("Line %(row)d: several people are named “%(name)s”: tick them on the list.")
                    % {"row": number, "name": name}
                )
            else:
                chosen.add(matches[0].pk)
        if errors:
            raise ValidationError(errors)
    before = list(
        activity.attendance.order_by("person__full_name").values_list(
            "person__full_name", flat=True
        )
    )
    Attendance.objects.filter(activity=activity).delete()
    Attendance.objects.bulk_create(
        Attendance(activity=activity, person_id=pk) for pk in sorted(chosen)
    )
    after = list(
        activity.attendance.order_by("person__full_name").values_list(
            "person__full_name", flat=True
        )
    )
    if before != after:  # one audit row for the sheet: who was there, from what to what
        LogEntry.objects.log_create(
            activity,
            force_log=True,
            action=LogEntry.Action.UPDATE,
            changes={"attendance": ["; ".join(before)[:2000], "; ".join(after)[:2000]]},
            **({"actor": actor} if getattr(actor, "pk", None) else {}),
        )
    rollup_mark_stale(activity.date)
    return len(chosen)
