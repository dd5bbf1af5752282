"""The trainings register's .xlsx export and import (through programme.sheets)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit

from . import trainings_services as services
from .models.trainings import TrainingFormat
from .sheets import (
    SheetColumn,
    cell_bool,
    cell_choice,
    cell_date,
    cell_number,
    cell_text,
    export_xlsx,
    import_xlsx,
    template_xlsx,
)


def _columns() -> list[SheetColumn]:
    return [
        SheetColumn(_("Unit code"), "unit.code", 14),
        SheetColumn(_("Programme title"), "title", 40),
        SheetColumn(_("Topic"), "topic", 30),
        SheetColumn(_("For communication staff"), "for_communication_staff", 14),
        SheetColumn(_("Starts on"), "starts_on", 12),
        SheetColumn(_("Ends on"), "ends_on", 12),
        SheetColumn(_("Format"), lambda p: p.get_format_display(), 16),
        SheetColumn(_("Hours"), "hours", 8),
    ]


def export_programmes(programmes) -> bytes:
    return export_xlsx(programmes, _columns(), title=_("Training programmes"))


def programmes_template() -> bytes:
    return template_xlsx(
        _columns(),
        title=_("Training programmes"),
        examples=[["25405", "Bồi dưỡng kỹ năng truyền thông số", "Truyền thông NQ57", "x",
                   "01/03/2026", "05/03/2026", "in_person", 16]],
    )  # fmt: skip


def import_programmes(*, actor, data: bytes) -> list:
    """Every row a programme of a unit the actor records for; all or nothing."""
    units = {u.code.upper(): u for u in OrgUnit.objects.restrict(actor, Action.RECORD)}

    def parse(values, number):
        problems = []
        unit = units.get(str(values[0] or "").strip().upper())
        if unit is None:
            problems.append(
                _("Unit “%(code)s” is not one you report for.") % {"code": values[0] or ""}
            )
        fields = {"unit": unit, "for_communication_staff": cell_bool(values[3])}
        readers = {
            "title": lambda: cell_text(values[1], required=True, label=_("Programme title")),
            "topic": lambda: cell_text(values[2], label=_("Topic")),
            "starts_on": lambda: cell_date(values[4], required=True, label=_("Starts on")),
            "ends_on": lambda: cell_date(values[5], required=True, label=_("Ends on")),
            "format": lambda: cell_choice(values[6], TrainingFormat, label=_("Format")),
            "hours": lambda: cell_number(values[7], label=_("Hours")) or 0,
        }
        for name, read in readers.items():
            try:
                fields[name] = read()
            except ValidationError as exc:  # every problem of the row at once
                problems.extend(exc.messages)
        if problems:
            raise ValidationError(problems)
        return fields

    return import_xlsx(
        data,
        columns=8,
        parse=parse,
        create=lambda fields: services.programme_save(actor=actor, **fields),
    )
