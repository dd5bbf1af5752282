"""Writes to plans: importing an understood document, creating and editing by hand."""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lantoa.core.documents import unexpected_problem
from lantoa.core.documents.layout import match_key
from lantoa.core.uploads import sniff, storage_name
from lantoa.indicators.catalogue import recognise
from lantoa.indicators.services import indicators_ensure_standard
from lantoa.orgs.audit import audited, claim_key, key_done, record
from lantoa.orgs.choices import Action, NotificationKind
from lantoa.orgs.models import OrgUnit, User
from lantoa.orgs.notifications import notify, people_of
from lantoa.orgs.scoping import require

from . import spreadsheets
from .choices import AssignmentRole, ImportStatus, PlanStatus
from .importer import (
    ExtractedPlan,
    ImportProblem,
    NeedsOCR,
    SourceText,
    read_document,
    understand,
)
from .importer.due import due_date_of
from .matching import match_units
from .models import (
    LegalBasis,
    Plan,
    PlanImport,
    ReportDeadline,
    ResponsibleUnit,
    Target,
    Task,
    TaskAssignment,
    plan_number_key,
)

logger = logging.getLogger(__name__)


def _require(actor: User | None, unit: OrgUnit) -> None:
    require(
        actor,
        Action.MANAGE_UNITS,
        unit,
        _("You do not have permission to manage the plans of %(unit)s.") % {"unit": unit},
    )


def _lock_issuer(unit: OrgUnit) -> None:
    """Hold the issuing unit's row until the transaction ends: two confirmations of plans of
    one unit run one after the other, so the second sees the first's number."""
    OrgUnit.objects.select_for_update().filter(pk=unit.pk).first()


def _number_taken(unit: OrgUnit, number: str, *, besides: Plan | None = None) -> bool:
    """Whether another plan in force of ``unit`` bears ``number`` (call under the lock)."""
    if not number:
        return False
    key = plan_number_key(number)
    if not key:
        return False
    plans = Plan.objects.in_force().filter(unit=unit, number_key=key)
    if besides is not None:
        plans = plans.exclude(pk=besides.pk)
    return plans.exists()


def _link_parents(plan: Plan) -> None:
    """Link each legal basis to the plan in Lantoa it names: the nearest ancestor's first."""
    ancestors = list(OrgUnit.objects.get_ancestors(plan.unit)) + [plan.unit]
    depth_of = {u.pk: u.depth for u in ancestors}
    for basis in plan.legal_bases.all():
        key = plan_number_key(basis.reference)
        if not key:
            continue
        candidates = (
            Plan.objects.in_force()
            .filter(number_key=key[:64], unit__in=ancestors)
            .exclude(pk=plan.pk)
        )
        best = max(candidates, key=lambda p: depth_of.get(p.unit_id, 0), default=None)
        if best is not None and basis.parent_id != best.pk:
            basis.parent = best
            basis.save(update_fields=["parent"])
    # Plans below, in force, that cite this one by number now find it.
    if not plan.number_key or plan.status != PlanStatus.ACTIVE:
        return
    for basis in (
        LegalBasis.objects.in_force()
        .filter(parent__isnull=True, plan__unit__path__startswith=plan.unit.path)
        .exclude(plan=plan)
    ):
        if plan_number_key(basis.reference)[:64] != plan.number_key:
            continue
        basis.parent = plan
        basis.save(update_fields=["parent"])


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _date(value) -> datetime.date | None:
    """A date from the importer (ISO text) or a form (a date); None when it is neither."""
    if value is None or value == "" or isinstance(value, datetime.date):
        return value or None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


@transaction.atomic
@audited
def plan_import(
    *,
    actor: User | None,
    unit: OrgUnit | None = None,
    unit_code: str | None = None,
    source: SourceText,
    extracted: ExtractedPlan,
    filename: str,
    data: bytes | None = None,
    replaces: Plan | None = None,
    reports_from: datetime.date | None = None,
) -> Plan:
    """Save an understood plan document as a live plan for ``unit``. Reporting periods whose
    deadline falls before ``reports_from`` are not opened (none: from the plan's issue date)."""
    if unit is None:
        unit = OrgUnit.objects.filter(code__iexact=(unit_code or "").strip()).first()
        if unit is None:
            raise ValidationError(_("No unit has the code %(code)s.") % {"code": unit_code})
    _require(actor, unit)
    if not extracted.tasks and not extracted.targets:
        raise ValidationError(
            _("No target or task was found in this document: it does not look like a plan.")
        )
    _lock_issuer(unit)
    if replaces is not None and not Plan.objects.in_force().filter(pk=replaces.pk).exists():
        raise ValidationError(
            _(
                "Plan %(number)s has already been replaced by another revision: nothing was "
                "saved. Open the plan in force and upload the document again if it is newer."
            )
            % {"number": replaces}
        )
    if _number_taken(unit, extracted.number, besides=replaces):
        raise ValidationError(
            _("%(unit)s already has plan %(number)s. Upload it as a revision of that plan instead.")
            % {"unit": unit, "number": extracted.number}
        )
    issued_on = datetime.date.fromisoformat(extracted.date) if extracted.date else None
    plan = Plan(
        unit=unit,
        number=extracted.number or "",
        issued_on=issued_on,
        reports_from=max(reports_from, issued_on) if reports_from and issued_on else reports_from,
        issuer_name=(extracted.issuer or "")[:255],
        title=extracted.title or "",
        source_name=filename[:255],
        source_kind=source.kind,
        source_text=source.text,
        created_by=actor,
    )
    if data is not None:
        plan.source_file.save(filename, ContentFile(data), save=False)
    if replaces is not None:
        # Out of force before its revision, which bears the same number, is saved.
        replaces.status = PlanStatus.REPLACED
        replaces.save(update_fields=["status", "updated_at"])
    plan.save()
    _save_parts(plan, extracted)
    if replaces is not None:
        from .revisions import carry_progress

        carry_progress(old=replaces, new=plan)
    _link_parents(plan)
    record(
        plan,
        actor=actor,
        changes={"targets": (0, len(extracted.targets)), "tasks": (0, len(extracted.tasks))},
        summary=_("Imported from %(file)s: %(targets)d targets, %(tasks)d tasks%(replaces)s.")
        % {
            "file": plan.source_name,
            "targets": len(extracted.targets),
            "tasks": len(extracted.tasks),
            "replaces": (_(", replacing plan #%(pk)d") % {"pk": replaces.pk}) if replaces else "",
        },
    )
    _tell_assigned_units(plan, replaces)
    return plan


def _tell_assigned_units(plan: Plan, replaces: Plan | None = None) -> None:
    """Each unit named for tasks of the plan hears it (its reporters), once per plan; a revision
    tells only about tasks that are new to the unit."""
    earlier: set[tuple[int, str]] = set()
    if replaces is not None:
        earlier = set(
            TaskAssignment.objects.filter(task__plan=replaces, unit__isnull=False).values_list(
                "unit_id", "task__text"
            )
        )
    per_unit: dict[int, tuple[OrgUnit, set[int]]] = {}
    for assignment in TaskAssignment.objects.filter(
        task__plan=plan, unit__isnull=False
    ).select_related("unit", "task"):
        if (assignment.unit_id, assignment.task.text) in earlier:
            continue
        per_unit.setdefault(assignment.unit_id, (assignment.unit, set()))[1].add(assignment.task_id)
    url = reverse("plans:my-tasks")
    for unit, task_ids in per_unit.values():
        with translation.override(settings.LANGUAGE_CODE):
            text = ngettext(
                "Plan %(plan)s assigns %(n)d task to %(unit)s.",
                "Plan %(plan)s assigns %(n)d tasks to %(unit)s.",
                len(task_ids),
            ) % {
                "plan": plan,
                "n": len(task_ids),
                "unit": unit.name,
            }
            subject = _("Lantoa: a task was assigned to your unit")
        notify(
            people_of(unit, Action.RECORD),
            kind=NotificationKind.TASK_ASSIGNED,
            text=text,
            url=url,
            subject=subject,
        )


def _save_parts(plan: Plan, extracted: ExtractedPlan) -> None:
    indicators = indicators_ensure_standard()
    for reference in extracted.references:
        LegalBasis.objects.get_or_create(plan=plan, reference=reference[:64])
    for deadline in extracted.report_deadlines:
        ReportDeadline.objects.get_or_create(
            plan=plan, day=deadline["day"], month=deadline["month"]
        )
    Target.objects.bulk_create(
        Target(
            plan=plan,
            year=t.year,
            value=_decimal(t.value),
            unit=t.unit or "",
            comparator=t.comparator or "",
            text=t.text,
            indicator=indicators.get(recognise(t.text) or ""),
            source_start=t.span.start,
            source_end=t.span.end,
            order=index,
        )
        for index, t in enumerate(extracted.targets)
    )
    names = sorted(
        {n for t in extracted.tasks for n in t.lead + t.support} | {u.name for u in extracted.units}
    )
    matched = match_units(plan.unit, names) if names else {}
    tasks = Task.objects.bulk_create(
        Task(
            plan=plan,
            group=t.group,
            group_title=t.group_title,
            text=t.text,
            timing=t.timing or "",
            due_year=t.due_year,
            due_text=(getattr(t, "due_text", None) or "")[:64],
            due_date=_date(getattr(t, "due_date", None))
            or due_date_of(getattr(t, "due_text", None) or ""),
            output=t.output or "",
            source_start=t.span.start,
            source_end=t.span.end,
            order=index,
        )
        for index, t in enumerate(extracted.tasks)
    )
    TaskAssignment.objects.bulk_create(
        TaskAssignment(task=task, unit=matched.get(name), name=name[:255], role=role)
        for task, t in zip(tasks, extracted.tasks, strict=True)
        for role, names_ in ((AssignmentRole.LEAD, t.lead), (AssignmentRole.SUPPORT, t.support))
        for name in names_
    )
    ResponsibleUnit.objects.bulk_create(
        ResponsibleUnit(
            plan=plan,
            unit=matched.get(u.name),
            name=u.name[:255],
            duties="\n".join(u.duties),
            source_start=u.span.start,
            source_end=u.span.end,
            order=index,
        )
        for index, u in enumerate(extracted.units)
    )


@transaction.atomic
@audited
def plan_create(
    *,
    actor: User | None,
    unit: OrgUnit,
    number: str,
    title: str,
    issued_on: datetime.date | None = None,
    references: list[str] | None = None,
    issuer: str = "",
    key: str | None = None,
) -> Plan:
    """A plan typed by hand (a plan whose document is not in Lantoa, or a short one).
    ``issuer`` is who issued it when that is not ``unit`` (the Prime Minister for 1169/QĐ-TTg).
    ``key``: the form's hidden key; the same form posted twice creates one plan (a plan without
    a number escapes the number check)."""
    _require(actor, unit)
    number = " ".join((number or "").split())
    title = " ".join((title or "").split())
    issuer = " ".join((issuer or "").split())[:255]
    if not title:
        raise ValidationError({"title": _("Enter the plan's title.")})
    _lock_issuer(unit)
    claimed = (
        claim_key(
            f"plan-form:{key}",
            actor=actor,
            kind="plan-form",
            message=_("This plan was already saved: it was not created a second time."),
        )
        if key
        else None
    )
    if _number_taken(unit, number):
        raise ValidationError(
            {
                "number": _("%(unit)s already has plan %(number)s.")
                % {"unit": unit, "number": number}
            }
        )
    plan = Plan.objects.create(
        unit=unit,
        number=number,
        issuer_name=issuer,
        title=title,
        issued_on=issued_on,
        created_by=actor,
    )
    for reference in references or []:
        LegalBasis.objects.get_or_create(plan=plan, reference=reference)
    _link_parents(plan)
    if claimed is not None:
        key_done(claimed, plan.pk)
    return plan


@audited
def plan_upload(*, actor: User, unit: OrgUnit, data: bytes, filename: str) -> PlanImport:
    """Read and understand an uploaded document and keep it for review; no plan is saved yet.
    A scanned PDF is kept as "being read" and OCR'd by a background task."""
    _require(actor, unit)
    pages = 0
    try:
        source = read_document(data, filename=filename, allow_ocr=False)
    except NeedsOCR as scan:
        source, pages = None, scan.pages
    except ImportProblem as problem:
        raise ValidationError({"file": problem.message}, code=problem.code) from problem
    except Exception as exc:  # noqa: BLE001 - any reader failure is a refusal, never a 500
        logger.exception("Reading the uploaded plan %r failed", filename)
        problem = unexpected_problem()
        raise ValidationError({"file": problem.message}, code=problem.code) from exc
    staged = PlanImport(unit=unit, uploaded_by=actor, filename=filename[:255])
    if source is None:
        staged.status, staged.pages_total, staged.source_kind = (
            ImportStatus.READING,
            pages,
            "pdf-ocr",
        )
    else:
        problem = _stage(staged, source)
        if problem:
            raise ValidationError({"file": problem}, code="not_plan")
    staged.file.save(storage_name(filename, sniff(data)), ContentFile(data), save=False)
    staged.save()
    if staged.status == ImportStatus.READING:
        from .tasks import read_scanned_plan

        transaction.on_commit(lambda: read_scanned_plan.enqueue(staged.pk))
    return staged


def _stage(staged: PlanImport, source: SourceText) -> str | None:
    """Fill ``staged`` with what the document says; the reason it is not a plan, if it is not.
    Text read without its diacritics (a scan OCR'd by an English model, a file typed without
    them) is understood restored; the text as read is kept beside it for the reviewer."""
    understood = understand(source)
    staged.original_text = understood.original_text
    source, extracted = understood.source, understood.extracted
    problem = not_a_plan(source.text, extracted)
    if problem:
        return problem
    staged.source_kind = source.kind
    staged.source_text = source.text
    staged.extracted = extracted.as_dict()
    staged.warnings = source.warnings + extracted.warnings
    staged.status = ImportStatus.PENDING
    if extracted.number:
        staged.replaces = (
            Plan.objects.in_force()
            .filter(unit=staged.unit, number_key=plan_number_key(extracted.number))
            .first()
        )
    return None


def plan_upload_read_scan(*, staged: PlanImport) -> PlanImport:
    """OCR a scanned upload page by page, recording progress for the review page."""
    staged.file.open("rb")
    try:
        data = staged.file.read()
    finally:
        staged.file.close()

    def progress(done: int, total: int) -> None:
        PlanImport.objects.filter(pk=staged.pk).update(pages_done=done, pages_total=total)

    try:
        source = read_document(data, filename=staged.filename, progress=progress)
        problem = _stage(staged, source)
    except ImportProblem as refused:
        problem = refused.message
    except Exception:  # noqa: BLE001 - the job ends with a message, never stuck "reading"
        logger.exception("Reading the scanned plan %s failed", staged.pk)
        problem = unexpected_problem().message
    if problem:
        staged.status, staged.error = ImportStatus.FAILED, problem
    staged.pages_done = staged.pages_total
    staged.save()
    return staged


def not_a_plan(text: str, extracted: ExtractedPlan) -> str | None:
    """Why a document is not taken as a plan (in words for the user), or None."""
    words = re.findall(r"[a-z]+", match_key(text))
    if len(words) < 30:
        return _("The document has almost no text: it does not look like a plan.")
    english = sum(1 for w in words if w in _ENGLISH)
    if english > len(words) * 0.08:
        return _("The document is in English. Lantoa reads plans written in Vietnamese.")
    if not extracted.tasks and not extracted.targets:
        return _(
            "No target or task was found in this document: it does not look like a plan "
            "(Kế hoạch with targets and tasks)."
        )
    return None


# English function words that no folded Vietnamese word equals ("the" is "thể", "to" is "tổ").
_ENGLISH = frozenset(["and", "of", "is", "are", "with", "this", "that", "which", "will", "from"])


@transaction.atomic
@audited
def plan_import_confirm(
    *,
    actor: User,
    staged: PlanImport,
    reviewed: ExtractedPlan,
    new_units: list[dict],
    open_past_periods: bool = False,
) -> Plan:
    """Create the units the reviewer chose to create, then the plan (replacing the earlier
    version when it is a revision, with the progress carried over).

    Reports are owed from the plan's issue date; the periods whose deadline has already passed
    on the day of the import are opened only when the reviewer asks (``open_past_periods``):
    a plan imported in December does not make every unit below late at once.

    The upload's row is locked first: the same confirmation posted twice (a double click, two
    tabs) saves one plan."""
    from lantoa.orgs import services as org_services

    _require(actor, staged.unit)
    locked = PlanImport.objects.select_for_update().filter(pk=staged.pk).first()
    if locked is None or locked.status != ImportStatus.PENDING:
        raise ValidationError(
            _("This upload was already confirmed or discarded: it was saved only once."),
            code="duplicate",
        )
    staged.status, staged.plan_id = locked.status, locked.plan_id
    for proposal in new_units:
        org_services.unit_create(
            actor=actor,
            parent=staged.unit,
            code=proposal["code"],
            name=proposal["name"],
            kind=proposal["kind"],
        )
    source = SourceText(text=staged.source_text, kind=staged.source_kind)
    staged.file.open("rb")
    try:
        data = staged.file.read()
    finally:
        staged.file.close()
    plan = plan_import(
        actor=actor,
        unit=staged.unit,
        source=source,
        extracted=reviewed,
        filename=staged.filename,
        data=data,
        replaces=staged.replaces,
        reports_from=None if open_past_periods else timezone.localdate(),
    )
    staged.status = ImportStatus.CONFIRMED
    staged.plan = plan
    staged.save(update_fields=["status", "plan"])
    return plan


@transaction.atomic
@audited
def plan_import_discard(*, actor: User, staged: PlanImport) -> None:
    _require(actor, staged.unit)
    locked = PlanImport.objects.select_for_update().filter(pk=staged.pk).first()
    if locked is None or locked.status != ImportStatus.PENDING:
        raise ValidationError(_("This upload was already confirmed or discarded."))
    staged.status = ImportStatus.DISCARDED
    staged.save(update_fields=["status"])


# What one edit of a plan may hold (the page's formsets say the same: a bigger post is refused).
MAX_TASKS = 500
MAX_TARGETS = 200
MAX_DEADLINES = 12
MAX_RESPONSIBLE_UNITS = 200


def _referenced_by(obj, owned: tuple = ()) -> list[str]:
    """What else in Lantoa refers to ``obj`` (activities serving a task, report rows and
    comments on it...): the names of those models, for a refusal. Relations are found from
    the model's meta, so an app above plans (activities, reports) is never imported here;
    ``owned`` are the models that belong to ``obj`` and go with it (its assignments)."""
    found = []
    for relation in obj._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete:
            continue
        model = relation.related_model
        if model in owned or model._meta.auto_created:
            continue  # its parts, and the hidden table of a many-to-many (seen from the other side)
        query = model._base_manager.filter(**{relation.field.name: obj})
        if query.exists():
            found.append(str(model._meta.verbose_name_plural))
    return sorted(set(found))


def _refuse_removing(obj, owned: tuple = ()) -> None:
    references = _referenced_by(obj, owned)
    if references:
        raise ValidationError(
            _(
                "“%(item)s” cannot be removed: %(what)s refer to it, and they would be lost. "
                "Change it instead, or withdraw the whole plan if it was imported by mistake."
            )
            % {"item": obj, "what": ", ".join(references)}
        )


def _clean(text, limit: int | None = None) -> str:
    text = " ".join(str(text or "").split())
    return text[:limit] if limit else text


def _names_of(value) -> list[str]:
    """Unit names typed in one field, separated by semicolons (as on the sheet)."""
    if isinstance(value, list | tuple):
        return [_clean(n, 255) for n in value if _clean(n)]
    return [_clean(n, 255) for n in str(value or "").split(";") if _clean(n)]


def _over(rows, limit: int, what: str) -> None:
    if rows is not None and len(rows) > limit:
        raise ValidationError(
            _("A plan is edited with at most %(n)d %(what)s at a time.")
            % {"n": limit, "what": what}
        )


@transaction.atomic
@audited
def plan_edit(
    *,
    actor: User,
    plan: Plan,
    header: dict,
    tasks: list[dict],
    targets: list[dict] | None = None,
    deadlines: list[dict] | None = None,
    units: list[dict] | None = None,
) -> Plan:
    """Save a plan edited by hand: its header, tasks (with their lead and coordinating units
    and due dates), targets, report deadlines and the units of "Tổ chức thực hiện" — each row
    changed, added or removed (``DELETE``). A part left ``None`` is not touched.

    A task or target that other records refer to (activities serving a task, report rows) is
    not removed: the whole edit is refused with the reason, nothing saved. Every change is on
    the audit record (each row as it is saved, and one entry summing up the edit)."""
    _require(actor, plan.unit)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(_("This plan is no longer in force: it cannot be edited."))
    _over(tasks, MAX_TASKS, _("tasks"))
    _over(targets, MAX_TARGETS, _("targets"))
    _over(deadlines, MAX_DEADLINES, _("report deadlines"))
    _over(units, MAX_RESPONSIBLE_UNITS, _("units"))
    number = " ".join((header.get("number") or "").split())
    _lock_issuer(plan.unit)
    if _number_taken(plan.unit, number, besides=plan):
        raise ValidationError(
            {
                "number": _("%(unit)s already has plan %(number)s.")
                % {"unit": plan.unit, "number": number}
            }
        )
    plan.number, plan.title, plan.issued_on = number, header["title"], header.get("date")
    fields = ["number", "title", "issued_on", "updated_at"]
    if "issuer" in header:
        plan.issuer_name = " ".join((header["issuer"] or "").split())[:255]
        fields.append("issuer_name")
    plan.save(update_fields=fields)
    counts = {"tasks": _edit_tasks(plan, tasks)}
    if targets is not None:
        counts["targets"] = _edit_targets(plan, targets)
    if deadlines is not None:
        counts["deadlines"] = _edit_deadlines(plan, deadlines)
    if units is not None:
        counts["units"] = _edit_responsible_units(plan, units)
    changed = {part: n for part, n in counts.items() if any(n)}
    labels = {
        "tasks": _("tasks"),
        "targets": _("targets"),
        "deadlines": _("report deadlines"),
        "units": _("units of the implementation arrangements"),
    }
    if changed:
        record(
            plan,
            actor=actor,
            summary=_("Plan edited: %(parts)s.")
            % {
                "parts": "; ".join(
                    _("%(part)s %(changed)d changed, %(added)d added, %(removed)d removed")
                    % {"part": labels[part], "changed": c, "added": a, "removed": r}
                    for part, (c, a, r) in changed.items()
                )
            },
        )
    return plan


def _rows(model_rows, existing: dict):
    """(row, object or None, delete?) for each row; a row naming an id not of this plan is
    refused (a form tampered with, or a row of another plan)."""
    for row in model_rows:
        pk = row.get("id")
        obj = existing.get(pk) if pk else None
        if pk and obj is None:
            raise ValidationError(_("A row names an item that is not part of this plan."))
        yield row, obj, bool(row.get("DELETE"))


def _edit_tasks(plan: Plan, rows: list[dict]) -> tuple[int, int, int]:
    existing = {t.pk: t for t in plan.tasks.prefetch_related("assignments__unit")}
    order = max((t.order for t in existing.values()), default=-1)
    added = removed = 0
    changed_ids: set[int] = set()
    pending = []
    for row, task, delete in _rows(rows, existing):
        if delete:
            if task is not None:
                _refuse_removing(task, owned=(TaskAssignment,))
                task.delete()
                removed += 1
            continue
        created = task is None
        if created:
            if not row.get("text"):
                continue
            order += 1
            task = Task(plan=plan, order=order)
        before = (task.group, task.text, task.timing, task.due_year, task.due_text,
                  task.due_date, task.output, task.status)  # fmt: skip
        task.group = _clean(row.get("group"), 16)
        task.text = str(row["text"]).strip()
        task.timing = row.get("timing") or ""
        task.due_year = row.get("due_year")
        if "due_text" in row:
            task.due_text = _clean(row.get("due_text"), 64)
        if "due_date" in row:
            task.due_date = row.get("due_date")
        if task.due_text and (task.due_date is None or (
            task.due_text != before[4] and task.due_date == before[5]
        )):  # fmt: skip
            # The date left empty, or the text changed and not the date: the text's last day.
            task.due_date = due_date_of(task.due_text) or task.due_date
        task.output = (row.get("output") or "").strip()
        task.status = row.get("status") or task.status
        after = (task.group, task.text, task.timing, task.due_year, task.due_text,
                 task.due_date, task.output, task.status)  # fmt: skip
        if created or before != after:
            task.save()
        names = None
        if "lead" in row or "support" in row:
            names = {
                AssignmentRole.LEAD: _names_of(row.get("lead")),
                AssignmentRole.SUPPORT: _names_of(row.get("support")),
            }
            pending.append((task, names, created))
        added += created
        if not created and before != after:
            changed_ids.add(task.pk)
    all_names = list(
        dict.fromkeys(n for _t, names, _c in pending for v in names.values() for n in v)
    )
    matched = match_units(plan.unit, all_names) if all_names else {}
    for task, names, created in pending:
        if spreadsheets.assign_units(task, names, matched, created=created) and not created:
            changed_ids.add(task.pk)
    return len(changed_ids), added, removed


def _edit_targets(plan: Plan, rows: list[dict]) -> tuple[int, int, int]:
    existing = {t.pk: t for t in plan.targets.all()}
    order = max((t.order for t in existing.values()), default=-1)
    indicators = None
    changed = added = removed = 0
    for row, target, delete in _rows(rows, existing):
        if delete:
            if target is not None:
                _refuse_removing(target)
                target.delete()
                removed += 1
            continue
        created = target is None
        text = str(row.get("text") or "").strip()
        if created:
            if not text:
                continue
            order += 1
            target = Target(plan=plan, order=order)
        before = (target.indicator_id, target.comparator, target.value, target.unit,
                  target.year, target.text)  # fmt: skip
        target.text = text or target.text
        target.year = row.get("year")
        target.comparator = row.get("comparator") or ""
        target.value = _decimal(row.get("value"))
        target.unit = row.get("unit") or ""
        if "indicator" in row:
            target.indicator = row.get("indicator")
        if created and target.indicator is None:
            indicators = indicators if indicators is not None else indicators_ensure_standard()
            target.indicator = indicators.get(recognise(target.text) or "")
        after = (target.indicator_id, target.comparator, target.value, target.unit,
                 target.year, target.text)  # fmt: skip
        if created or before != after:
            target.save()
            added += created
            changed += not created
    return changed, added, removed


def _edit_deadlines(plan: Plan, rows: list[dict]) -> tuple[int, int, int]:
    existing = {d.pk: d for d in plan.report_deadlines.all()}
    changed = added = removed = 0
    wanted = []
    for row, deadline, delete in _rows(rows, existing):
        if delete:
            if deadline is not None:
                existing.pop(deadline.pk)
                deadline.delete()
                removed += 1
            continue
        day, month = row.get("day"), row.get("month")
        if not day or not month:
            continue
        try:
            datetime.date(2024, month, day)  # a leap year: 29/2 is a date
        except ValueError:
            raise ValidationError(
                _("%(day)s/%(month)s is not a date.") % {"day": day, "month": month}
            ) from None
        wanted.append((deadline, day, month))
    moving = {d.pk for d, _day, _month in wanted if d is not None}
    seen = {(d.day, d.month) for d in existing.values() if d.pk not in moving}
    for _deadline, day, month in wanted:
        if (day, month) in seen:
            raise ValidationError(
                _("The deadline %(day)d/%(month)d is listed twice.") % {"day": day, "month": month}
            )
        seen.add((day, month))
    moved = [(d, day, month) for d, day, month in wanted if d is not None
             and (d.day, d.month) != (day, month)]  # fmt: skip
    for deadline, _day, _month in moved:
        deadline.delete()  # all first: two rows may swap their dates
    for deadline, day, month in wanted:
        if deadline is None or (deadline, day, month) in moved:
            ReportDeadline.objects.create(plan=plan, day=day, month=month)
            added += deadline is None
            changed += deadline is not None
    return changed, added, removed


def _edit_responsible_units(plan: Plan, rows: list[dict]) -> tuple[int, int, int]:
    existing = {r.pk: r for r in plan.responsible_units.all()}
    order = max((r.order for r in existing.values()), default=-1)
    changed = added = removed = 0
    names_to_match = [
        _clean(row.get("name"), 255)
        for row in rows
        if not row.get("id") and not row.get("unit") and not row.get("DELETE")
    ]
    matched = match_units(plan.unit, [n for n in names_to_match if n]) if names_to_match else {}
    for row, duty, delete in _rows(rows, existing):
        if delete:
            if duty is not None:
                duty.delete()
                removed += 1
            continue
        name = _clean(row.get("name"), 255)
        unit = row.get("unit")
        if unit is not None and not unit.path.startswith(plan.unit.path):
            raise ValidationError(
                _("%(unit)s is not under %(issuer)s.") % {"unit": unit, "issuer": plan.unit}
            )
        created = duty is None
        if created:
            if not name and unit is None:
                continue
            order += 1
            duty = ResponsibleUnit(plan=plan, order=order)
            unit = unit or matched.get(name)
        before = (duty.name, duty.unit_id, duty.duties)
        duty.name = name or (unit.name if unit else duty.name)
        duty.unit = unit
        duty.duties = str(row.get("duties") or "").strip()
        if created or before != (duty.name, duty.unit_id, duty.duties):
            duty.save()
            added += created
            changed += not created
    return changed, added, removed


@transaction.atomic
@audited
def plan_withdraw(*, actor: User, plan: Plan, reason: str) -> Plan:
    """Withdraw a plan imported by mistake: it leaves force (status withdrawn) with everything
    it holds — its targets, tasks, deadlines and units go out of every list with it, and its
    number is free for the right document. Nothing is deleted: activities that served its
    tasks and reports already written keep what they refer to. The legal bases of plans below
    that were linked to it are unlinked. The record says who did it and why.

    Only the plans app's part: :func:`lantoa.portal.services.plan_withdraw` also closes the
    plan's reporting periods and takes it out of the assistant."""
    _require(actor, plan.unit)
    reason = " ".join((reason or "").split())[:500]
    if not reason:
        raise ValidationError({"reason": _("Say why the plan is withdrawn.")})
    locked = Plan.objects.select_for_update().filter(pk=plan.pk).first()
    if locked is None or locked.status != PlanStatus.ACTIVE:
        raise ValidationError(_("This plan is not in force: it was not withdrawn again."))
    plan.status = PlanStatus.WITHDRAWN
    plan.save(update_fields=["status", "updated_at"])
    unlinked = LegalBasis.objects.filter(parent=plan).exclude(plan=plan).update(parent=None)
    record(
        plan,
        actor=actor,
        changes={"status": (str(PlanStatus.ACTIVE.label), str(PlanStatus.WITHDRAWN.label))},
        summary=_(
            "Plan withdrawn (%(targets)d targets, %(tasks)d tasks archived with it; "
            "%(unlinked)d plans below no longer linked to it). Reason: %(reason)s"
        )
        % {
            "targets": plan.targets.count(),
            "tasks": plan.tasks.count(),
            "unlinked": unlinked,
            "reason": reason,
        },
    )
    return plan


@transaction.atomic
@audited
def task_sheet_import(*, actor: User | None, plan: Plan, data: bytes) -> spreadsheets.SheetResult:
    """Apply an edited task table to ``plan``: each task changed or added is on the record,
    with one entry summing up the sheet. The same sheet applied again is refused (its SHA-256
    is remembered): it would add its new tasks a second time."""
    _require(actor, plan.unit)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(_("This plan is no longer in force: it cannot be edited."))
    digest = hashlib.sha256(data).hexdigest()
    claimed = claim_key(
        f"plan-tasks:{plan.pk}:{digest}",
        actor=actor,
        kind="plan-task-sheet",
        message=_("This task table was already applied to the plan: nothing was changed."),
    )
    result = spreadsheets.import_tasks(plan=plan, data=data)
    key_done(claimed, plan.pk)
    record(
        plan,
        actor=actor,
        summary=_("Task table applied: %(updated)d tasks updated, %(created)d added.")
        % {"updated": result.updated, "created": result.created}
        + f" (SHA-256 {digest[:12]})",
    )
    return result
