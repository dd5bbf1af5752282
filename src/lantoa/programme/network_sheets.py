"""The communication network's .xlsx export and import (through programme.sheets). The export
carries contacts only for members who consented, and only to those who manage their unit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit

from . import network_services as services
from .models.network import MemberKind
from .network_selectors import contact_of
from .sheets import (
    SheetColumn,
    cell_choice,
    cell_date,
    cell_text,
    export_xlsx,
    import_xlsx,
    template_xlsx,
)


def _columns(user=None) -> list[SheetColumn]:
    return [
        SheetColumn(_("Unit code"), "unit.code", 14),
        SheetColumn(_("Kind"), lambda m: m.get_kind_display() if user else m.kind, 24),
        SheetColumn(_("Name"), "name", 30),
        SheetColumn(_("Organisation"), "organisation", 30),
        SheetColumn(_("Field"), "field", 24),
        SheetColumn(_("Phone"), lambda m: contact_of(user, m)["phone"] if user else m.phone, 16),
        SheetColumn(_("Email"), lambda m: contact_of(user, m)["email"] if user else m.email, 26),
        SheetColumn(_("Consent given on"), "consent_on", 14),
        SheetColumn(_("Consent withdrawn on"), "consent_withdrawn_on", 14),
    ]


def export_members(user, members) -> bytes:
    return export_xlsx(members, _columns(user), title=_("Communication network"))


def members_template() -> bytes:
    return template_xlsx(
        _columns(),
        title=_("Communication network"),
        examples=[["25405", "expert", "TS. Nguyễn Văn An", "Viện Khoa học", "Nông nghiệp số",
                   "0912345678", "an@example.vn", "01/03/2026", ""]],
    )  # fmt: skip


def import_members(*, actor, data: bytes) -> list:
    units = {u.code.upper(): u for u in OrgUnit.objects.restrict(actor, Action.RECORD)}

    def parse(values, number):
        problems = []
        unit = units.get(str(values[0] or "").strip().upper())
        if unit is None:
            problems.append(
                _("Unit “%(code)s” is not one you report for.") % {"code": values[0] or ""}
            )
        fields = {"unit": unit}
        readers = {
            "kind": lambda: cell_choice(values[1], MemberKind, label=_("Kind")),
            "name": lambda: cell_text(values[2], required=True, label=_("Name"), max_length=200),
            "organisation": lambda: cell_text(values[3], label=_("Organisation")),
            "field": lambda: cell_text(values[4], label=_("Field")),
            "phone": lambda: cell_text(values[5], label=_("Phone"), max_length=20),
            "email": lambda: cell_text(values[6], label=_("Email"), max_length=254),
            "consent_on": lambda: cell_date(values[7], label=_("Consent given on")),
            "consent_withdrawn_on": lambda: cell_date(values[8], label=_("Consent withdrawn on")),
        }
        for name, read in readers.items():
            try:
                fields[name] = read()
            except ValidationError as exc:
                problems.extend(exc.messages)
        if problems:
            raise ValidationError(problems)
        return fields

    return import_xlsx(
        data,
        columns=9,
        parse=parse,
        create=lambda fields: services.member_save(actor=actor, **fields),
    )
