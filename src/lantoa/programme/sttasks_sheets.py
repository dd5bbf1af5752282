"""The S&T task register as an .xlsx: export, an empty template, and the all-or-nothing import
(every bad row named by its number), through the programme's one sheet helper."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.orgs.models import OrgUnit

from . import sttasks_services as services
from .sheets import (
    SheetColumn,
    cell_bool,
    cell_choice,
    cell_date,
    cell_text,
    export_xlsx,
    import_xlsx,
    template_xlsx,
)
from .sttasks_choices import STTaskLevel, STTaskStatus

COLUMNS = [
    SheetColumn(gettext_lazy("Task code"), "code", 16),
    SheetColumn(gettext_lazy("Title"), "title", 50),
    SheetColumn(gettext_lazy("Level"), "get_level_display", 16),
    SheetColumn(gettext_lazy("Host organisation"), "host_organisation", 30),
    SheetColumn(gettext_lazy("Lead researcher"), "lead_researcher", 24),
    SheetColumn(gettext_lazy("Budget (VND)"), "budget", 18),
    SheetColumn(gettext_lazy("Start year"), "start_year", 10),
    SheetColumn(gettext_lazy("End year"), "end_year", 10),
    SheetColumn(gettext_lazy("Status"), "get_status_display", 16),
    SheetColumn(gettext_lazy("Registered"), "registered", 10),
    SheetColumn(gettext_lazy("Registration number"), "registration_number", 18),
    SheetColumn(gettext_lazy("Registration date"), "registration_date", 14),
    SheetColumn(gettext_lazy("State secret"), "secret", 10),
]


def sttasks_export(tasks) -> bytes:
    """The tasks given (already scoped by the caller) as a sheet."""
    return export_xlsx(tasks, COLUMNS, title=_("S&T tasks"))


def sttasks_template() -> bytes:
    return template_xlsx(
        COLUMNS,
        title=_("S&T tasks"),
        examples=[
            [
                "ĐTCS.2025.01",
                "Ứng dụng IoT trong tưới tiêu cà phê",
                str(STTaskLevel.PROVINCIAL.label),
                "Viện Khoa học Kỹ thuật Nông lâm nghiệp Tây Nguyên",
                "Nguyễn Văn A",
                850000000,
                2025,
                2026,
                str(STTaskStatus.IN_PROGRESS.label),
                "x",
                "2025-64-001",
                "15/03/2025",
                "",
            ]
        ],
    )


def _parse(values: tuple, number: int) -> dict:
    (code, title, level, host, lead, budget, start, end, status, registered, reg_no, reg_date,
     secret) = values  # fmt: skip
    return {
        "code": cell_text(code, required=True, label=_("Task code"), max_length=64),
        "title": cell_text(title, required=True, label=_("Title"), max_length=500),
        "level": cell_choice(level, STTaskLevel, label=_("Level")),
        "host_organisation": cell_text(host, label=_("Host organisation")),
        "lead_researcher": cell_text(lead, label=_("Lead researcher")),
        "budget": budget,
        "start_year": start,
        "end_year": end,
        "status": cell_choice(status, STTaskStatus, label=_("Status"), required=False)
        or STTaskStatus.PROPOSED,
        "registered": cell_bool(registered),
        "registration_number": cell_text(reg_no, label=_("Registration number"), max_length=64),
        "registration_date": cell_date(reg_date, label=_("Registration date")),
        "secret": cell_bool(secret),
    }


def sttasks_import(*, actor, unit: OrgUnit, data: bytes) -> list:
    """Every row of the sheet saved as a task of ``unit``, or none (ValidationError naming each
    bad row by its number)."""
    return import_xlsx(
        data,
        columns=len(COLUMNS),
        parse=lambda values, number: services.sttask_check(_parse(values, number)),
        create=lambda values: services.sttask_create(actor=actor, unit=unit, values=values),
    )
