"""Budget estimates as an .xlsx: export (with execution) and the all-or-nothing import."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.orgs import selectors as org_selectors
from lantoa.orgs.choices import Action
from lantoa.plans.models import Task

from . import budget_services as services
from .sheets import SheetColumn, cell_text, export_xlsx, import_xlsx, template_xlsx
from .sttasks_services import amount_error, year_error

COLUMNS = [
    SheetColumn(gettext_lazy("Unit code"), "estimate.unit.code", 12),
    SheetColumn(gettext_lazy("Plan task number"), "estimate.task_id", 10),
    SheetColumn(gettext_lazy("Plan task"), lambda line: line.estimate.task.text[:300], 50),
    SheetColumn(gettext_lazy("Year"), "estimate.year", 8),
    SheetColumn(gettext_lazy("Estimate (VND)"), "estimate.amount", 18),
    SheetColumn(gettext_lazy("Note"), "estimate.note", 24),
    SheetColumn(gettext_lazy("Allocated (VND)"), "allocated", 18),
    SheetColumn(gettext_lazy("Spent (VND)"), "spent", 18),
    SheetColumn(gettext_lazy("Over the allocation"), "over", 10),
]
IMPORTED = 6  # the import reads the first six columns; the rest is what the export adds


def budget_export(lines) -> bytes:
    return export_xlsx(lines, COLUMNS, title=_("Budget"))


def budget_template() -> bytes:
    return template_xlsx(
        COLUMNS[:IMPORTED], title=_("Budget"), examples=[["GL", 1, "", 2026, 150000000, ""]]
    )


def budget_import(*, actor, data: bytes) -> list:
    """Every row an estimate (unit by code, plan task by number), all or none."""
    units = org_selectors.unit_list(viewer=actor, action=Action.RECORD) if actor else None

    def parse(values, number):
        code, task_id, _text, year, amount, note = values
        code = cell_text(code, required=True, label=_("Unit code"), max_length=32)
        found = units.filter(code__iexact=code).first() if units is not None else None
        if found is None:
            raise ValidationError(
                _("No unit with the code %(code)s in your part of the tree.") % {"code": code}
            )
        try:
            task = Task.objects.select_related("plan").get(pk=int(task_id))
        except (TypeError, ValueError, OverflowError, Task.DoesNotExist):
            raise ValidationError(_("No plan task with this number.")) from None
        # The amount and year checked here too, so every bad row is named at once.
        amount, problem = amount_error(amount)
        year, year_problem = year_error(year)
        if problem or year_problem or amount is None:
            raise ValidationError(
                " ".join(p for p in (problem, year_problem) if p)
                or _("Enter an amount in whole đồng.")
            )
        return {
            "unit": found,
            "task": task,
            "year": year,
            "amount": amount,
            "note": cell_text(note, label=_("Note"), max_length=500),
        }

    return import_xlsx(
        data,
        columns=IMPORTED,
        parse=parse,
        create=lambda kwargs: services.estimate_save(actor=actor, **kwargs),
    )
