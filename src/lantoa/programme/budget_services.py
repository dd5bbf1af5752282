"""Budget writes: estimates (dự toán) per plan task and year, allocations against them, spending
with its document. Amounts are whole đồng, never negative, bounded; every check before a write."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.uploads import IMAGE_KINDS, sniff, storage_name
from lantoa.media.models import Asset
from lantoa.orgs.audit import acting
from lantoa.orgs.choices import Action
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import require
from lantoa.plans.models import Task

from .models import BudgetAllocation, BudgetEstimate, BudgetSpending
from .sttasks_services import amount_error, year_error

DOCUMENT_KINDS = IMAGE_KINDS | {"pdf", "docx", "xlsx"}


@dataclass
class UploadedDocument:
    name: str
    data: bytes


def tasks_for_unit(unit: OrgUnit):
    """The plan tasks a unit may budget for: those of the plans issued by the unit or one of
    its ancestors (the plans that bind it)."""
    return Task.objects.filter(plan__unit__path__in=unit.chain_paths).select_related("plan")


def _amount(value, errors: dict, field: str = "amount", required: bool = True):
    number, problem = amount_error(value)
    if problem:
        errors[field] = problem
    elif number is None and required:
        errors[field] = _("Enter an amount in whole đồng.")
    return number


def _past_date(value, errors: dict, field: str):
    if not isinstance(value, datetime.date):
        errors[field] = _("Enter a date as dd/mm/yyyy.")
        return None
    if value > timezone.localdate():
        errors[field] = _("The date is in the future.")
    return value


def estimate_save(
    *, actor, unit: OrgUnit, task: Task, year, amount, note: str = "", estimate=None
) -> BudgetEstimate:
    """Record (or, given ``estimate``, correct) a unit's estimate for a plan task and year."""
    require(actor, Action.RECORD, unit)
    if estimate is not None:
        require(actor, Action.RECORD, estimate.unit)
    errors: dict[str, str] = {}
    year, problem = year_error(year)
    if problem:
        errors["year"] = problem
    amount = _amount(amount, errors)
    if not tasks_for_unit(unit).filter(pk=task.pk).exists():
        errors["task"] = _("This task is not in a plan that binds %(unit)s.") % {"unit": unit}
    note = " ".join((note or "").split())[:500]
    if not errors:
        taken = BudgetEstimate.objects.filter(unit=unit, task=task, year=year)
        if estimate is not None:
            taken = taken.exclude(pk=estimate.pk)
        if taken.exists():
            errors["year"] = _("This unit already has an estimate for this task and year.")
    if errors:
        raise ValidationError(errors)
    with acting(actor), transaction.atomic():
        estimate = estimate or BudgetEstimate(unit=unit)
        estimate.unit, estimate.task, estimate.year = unit, task, year
        estimate.amount, estimate.note = amount, note
        estimate.save()
    return estimate


def allocation_add(
    *, actor, estimate: BudgetEstimate, date, amount, document_number: str = ""
) -> BudgetAllocation:
    require(actor, Action.RECORD, estimate.unit)
    errors: dict[str, str] = {}
    amount = _amount(amount, errors)
    date = _past_date(date, errors, "date")
    number = " ".join((document_number or "").split())
    if len(number) > 64:
        errors["document_number"] = _("At most %(n)s characters.") % {"n": 64}
    if errors:
        raise ValidationError(errors)
    with acting(actor), transaction.atomic():
        return BudgetAllocation.objects.create(
            estimate=estimate, date=date, amount=amount, document_number=number
        )


def spending_add(
    *,
    actor,
    estimate: BudgetEstimate,
    date,
    amount,
    description: str,
    document_number: str,
    document_date,
    file: UploadedDocument | None = None,
    asset: Asset | None = None,
) -> BudgetSpending:
    """Record money spent with its supporting document: number and date always, and the file
    (checked by its content, not its name) or an asset of the library the actor may see."""
    require(actor, Action.RECORD, estimate.unit)
    errors: dict[str, str] = {}
    amount = _amount(amount, errors)
    date = _past_date(date, errors, "date")
    document_date = _past_date(document_date, errors, "document_date")
    description = " ".join((description or "").split())
    if not description:
        errors["description"] = _("Say what was paid for.")
    elif len(description) > 500:
        errors["description"] = _("At most %(n)s characters.") % {"n": 500}
    number = " ".join((document_number or "").split())
    if not number:
        errors["document_number"] = _("Enter the number of the supporting document.")
    elif len(number) > 64:
        errors["document_number"] = _("At most %(n)s characters.") % {"n": 64}
    kind = None
    if file is not None:
        if len(file.data) > settings.EVIDENCE_MAX_BYTES:
            errors["document_file"] = _("The file is too large.")
        else:
            kind = sniff(file.data)
            if kind not in DOCUMENT_KINDS:
                errors["document_file"] = _(
                    "The document must be a PDF, a Word or Excel file, or a picture."
                )
    visible = Asset.objects.restrict(actor) if actor is not None else Asset.objects.all()
    if asset is not None and not visible.filter(pk=asset.pk).exists():
        errors["document_asset"] = _("This file of the library is outside your scope.")
    if errors:
        raise ValidationError(errors)
    with acting(actor), transaction.atomic():
        spending = BudgetSpending(
            estimate=estimate,
            date=date,
            amount=amount,
            description=description,
            document_number=number,
            document_date=document_date,
            document_asset=asset,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        if file is not None:
            spending.document_name = file.name[:255]
            spending.document_file.save(
                storage_name(file.name, kind), ContentFile(file.data), save=False
            )
        spending.save()
    return spending
