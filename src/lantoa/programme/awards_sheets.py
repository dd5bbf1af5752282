"""Awards and sheets: nominations imported from an .xlsx (every row checked as the form checks
one; a bad row saves nothing and is named by its number), the register exported."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from lantoa.core.sheets import append_row, sheet_rows
from lantoa.core.text import fold
from lantoa.orgs.audit import acting, record
from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit, Person, User

from .awards_services import nomination_check
from .models.awards import AwardLevel, AwardNomination, NominationKind

MAX_ROWS = 5000
COLUMNS = ["unit", "kind", "person", "year", "achievement", "level"]


def _headers() -> list[str]:
    return [
        _("Unit code"), _("Collective or individual"), _("Full name (individual)"), _("Year"),
        _("Achievements"), _("Proposed level"),
    ]  # fmt: skip


def _choice(enum, value) -> str | None:
    """The code a cell names: the code itself, or the label in English or Vietnamese."""
    text = fold(str(value or ""))
    for code, label in enum.choices:
        with translation.override("vi"):
            vietnamese = fold(str(label))
        if text in (fold(code), fold(str(label)), vietnamese):
            return code
    return None


def template_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Nominations")[:31]
    append_row(sheet, _headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    levels = book.create_sheet(_("Levels")[:31])
    for enum in (NominationKind, AwardLevel):
        for value, label in enum.choices:
            append_row(levels, [value, str(label)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_nominations(*, actor: User | None, data: bytes) -> list[AwardNomination]:
    """Every row of the sheet as a nomination, all or none; the nominations saved."""
    rows = list(sheet_rows(data, columns=len(COLUMNS), max_rows=MAX_ROWS))
    # The system (actor None: a command, the demo) may nominate for any unit.
    allowed = (
        OrgUnit.objects.all() if actor is None else OrgUnit.objects.restrict(actor, Action.RECORD)
    )
    units = {u.code.upper(): u for u in allowed}
    errors: list[str] = []
    nominations: list[AwardNomination] = []
    for number, row in rows:
        values = dict(zip(COLUMNS, row, strict=True))
        problems: list[str] = []
        unit = units.get(str(values["unit"] or "").strip().upper())
        if unit is None:
            problems.append(
                _("Unit “%(code)s” is not one you nominate for.") % {"code": values["unit"]}
            )
        kind = _choice(NominationKind, values["kind"])
        level = _choice(AwardLevel, values["level"])
        person = None
        name = fold(str(values["person"] or ""))
        if kind == NominationKind.INDIVIDUAL and name and unit is not None:
            people = list(Person.objects.current().filter(unit=unit, name_folded=name)[:2])
            if len(people) != 1:
                problems.append(
                    _("“%(name)s” is not (or not once) on the people list of %(unit)s.")
                    % {"name": values["person"], "unit": unit.name}
                )
            else:
                person = people[0]
        elif kind == NominationKind.COLLECTIVE and name:
            problems.append(_("A collective nomination names no person."))
        try:
            checked = nomination_check(
                unit=unit,
                kind=kind or "",
                person=person,
                year=values["year"],
                achievement=str(values["achievement"] or ""),
                proposed_level=level or "",
            )
        except ValidationError as exc:
            problems.extend(m for messages in exc.message_dict.values() for m in messages)
        if problems:
            errors.append(
                _("Row %(row)d: %(problems)s") % {"row": number, "problems": " ".join(problems)}
            )
            continue
        nominations.append(
            AwardNomination(
                unit=unit,
                kind=kind,
                person=person,
                proposed_level=level,
                created_by=actor if getattr(actor, "pk", None) else None,
                **checked,
            )
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting(actor):
        created = AwardNomination.objects.bulk_create(nominations, batch_size=500)
        if created:
            record(
                created[0],
                actor=actor,
                summary=_("%(n)d nominations imported from a sheet") % {"n": len(created)},
            )
    return created


def register_xlsx(decisions) -> bytes:
    """The register of those commended (``decisions``: a scoped queryset), one row each."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Commended")[:31]
    append_row(
        sheet,
        [
            _("Unit code"), _("Unit"), _("Collective or individual"), _("Full name"), _("Year"),
            _("Level"), _("Decision number"), _("Decision date"), _("Achievements"),
        ],
    )  # fmt: skip
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for d in decisions:
        n = d.nomination
        append_row(
            sheet,
            [
                n.unit.code,
                n.unit.name,
                str(n.get_kind_display()),
                n.person.full_name if n.person_id else "",
                n.year,
                str(d.get_level_display()),
                d.number,
                d.date,
                n.achievement,
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
