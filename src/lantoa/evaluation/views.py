"""Pages of evaluation: the sets of my unit, the set editor, a run, a unit's score."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lantoa.activities.models import Activity
from lantoa.core.views import apply_validation_error
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import parse_id, scoped_object
from lantoa.orgs.scoped_views import scoped
from lantoa.orgs.scoping import can

from . import documents, nominations, selectors, services
from .choices import ContestStatus, RunStatus, ScoringMethod
from .forms import (
    AnswerForm,
    ContestForm,
    CriterionForm,
    EvidenceForm,
    GroupForm,
    NewSetForm,
    NominateForm,
    ReasonForm,
    ReviewForm,
    SetForm,
)
from .models import CriteriaSet, Criterion, CriterionScore, ScoringRun, UnitScore


def _error(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def home(request):
    units = selectors.owning_units(request.user)
    form = NewSetForm(
        request.POST or None,
        units=units,
        adoptable=selectors.adoptable(request.user),
        initial={"total_points": 100},
    )
    if request.method == "POST" and units.exists() and form.is_valid():
        data = form.cleaned_data
        try:
            criteria_set = services.set_create(
                actor=request.user,
                unit=data["unit"],
                year=data["year"],
                title=data["title"],
                adopts=data["adopts"],
                total_points=data["total_points"],
                tie_rule=data["tie_rule"],
                tie_breakers=data["tie_breakers"],
                contest_from=data["contest_from"],
                contest_until=data["contest_until"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Criteria set created."))
            return redirect("evaluation:set", pk=criteria_set.pk)
    return render(
        request,
        "evaluation/home.html",
        {
            "sets": selectors.sets_for(request.user),
            "scores": selectors.my_scores(request.user)[:50],
            "form": form if units.exists() else None,
        },
    )


@scoped(CriteriaSet)
@login_required
def set_page(request, pk):
    criteria_set = scoped_object(request.user, CriteriaSet, pk)
    manage = can(request.user, services.MANAGE, criteria_set.unit)
    editable = manage and not hasattr(criteria_set, "run")
    groups = criteria_set.groups.all()
    set_form = SetForm(
        request.POST if request.POST.get("form") == "set" else None,
        initial={
            "title": criteria_set.title,
            "total_points": criteria_set.total_points,
            "tie_rule": criteria_set.tie_rule,
            "tie_breakers": ", ".join(criteria_set.tie_breakers),
            "contest_from": criteria_set.contest_from,
            "contest_until": criteria_set.contest_until,
        },
    )
    group_form = GroupForm(
        request.POST if request.POST.get("form") == "group" else None, prefix="group"
    )
    criterion_form = CriterionForm(
        request.POST if request.POST.get("form") == "criterion" else None,
        groups=groups,
        prefix="criterion",
        initial={"indicator_year": criteria_set.year},
    )
    which = request.POST.get("form") if request.method == "POST" else None
    edited = None  # the criterion whose edit form was posted
    if which == "edit" and editable:
        number = parse_id(request.POST.get("criterion"), "criterion")
        edited = Criterion.objects.filter(group__criteria_set=criteria_set, pk=number).first()
        if edited is None:
            raise Http404(_("Not found."))
    edit_forms = {
        c.pk: _criterion_edit_form(
            c, groups, request.POST if edited is not None and c.pk == edited.pk else None
        )
        for c in (criteria_set.all_criteria() if editable else [])
        if c.group.criteria_set_id == criteria_set.pk
    }
    if request.method == "POST":
        if not editable:
            messages.error(request, _("This criteria set cannot be changed."))
            return redirect("evaluation:set", pk=pk)
        form = {"set": set_form, "group": group_form, "criterion": criterion_form}.get(which)
        if edited is not None:
            form = edit_forms[edited.pk]
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                if which == "set":
                    services.set_edit(actor=request.user, criteria_set=criteria_set, **data)
                elif which == "group":
                    services.group_add(actor=request.user, criteria_set=criteria_set, **data)
                elif edited is not None:
                    services.criterion_edit(actor=request.user, criterion=edited, **data)
                else:
                    group = data.pop("group")
                    services.criterion_add(actor=request.user, group=group, **data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("evaluation:set", pk=pk)
    return render(
        request,
        "evaluation/set.html",
        {
            "set": criteria_set,
            "groups": criteria_set.all_groups(),
            "criteria": criteria_set.all_criteria(),
            "manage": manage,
            "editable": editable,
            "set_form": set_form,
            "group_form": group_form,
            "criterion_form": criterion_form,
            "edit_forms": edit_forms,
            "edited": edited.pk if edited is not None else None,
            "run": getattr(criteria_set, "run", None),
        },
    )


@scoped(CriteriaSet)
@login_required
@require_POST
def set_action(request, pk, action):
    criteria_set = scoped_object(request.user, CriteriaSet, pk, services.MANAGE)
    try:
        if action == "activate":
            services.set_activate(actor=request.user, criteria_set=criteria_set)
            messages.success(request, _("The criteria set is active."))
        elif action == "score":
            run = services.scoring_run(actor=request.user, criteria_set=criteria_set)
            messages.success(request, _("Scores computed from the evidence."))
            return redirect("evaluation:run", pk=run.pk)
    except ValidationError as error:
        _error(request, error)
    return redirect("evaluation:set", pk=pk)


@scoped(CriteriaSet)
@login_required
@require_POST
def criterion_remove(request, pk):
    """Remove the criterion named by the form's ``criterion`` (an id of this set's)."""
    criteria_set = scoped_object(request.user, CriteriaSet, pk, services.MANAGE)
    number = parse_id(request.POST.get("criterion"), "criterion")
    found = Criterion.objects.filter(group__criteria_set=criteria_set, pk=number).first()
    if found is None:
        raise Http404(_("Not found."))
    try:
        services.criterion_remove(actor=request.user, criterion=found)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Criterion removed."))
    return redirect("evaluation:set", pk=pk)


def _criterion_edit_form(criterion: Criterion, groups, data) -> CriterionForm:
    """The edit form of one criterion, filled with its values (every field)."""
    return CriterionForm(
        data,
        groups=groups,
        prefix=f"edit{criterion.pk}",
        initial={
            "group": criterion.group_id,
            "code": criterion.code,
            "title": criterion.title,
            "order": criterion.order,
            "max_points": criterion.max_points,
            "method": criterion.method,
            "indicator": criterion.indicator,
            "indicator_year": criterion.indicator_year,
            "scale": criterion.scale,
            "bands": "; ".join(f"{t}:{p}" for t, p in criterion.bands or []),
            "target": criterion.target,
            "guidance": criterion.guidance,
        },
    )


@scoped(ScoringRun)
@login_required
def run_page(request, pk):
    run = scoped_object(request.user, ScoringRun, pk)
    manage = can(request.user, services.MANAGE, run.unit)
    scores = UnitScore.objects.restrict(request.user).filter(run=run).select_related("unit")
    return render(
        request,
        "evaluation/run.html",
        {
            "run": run,
            "scores": scores.order_by("rank", "unit__path"),
            "manage": manage,
            "reason_form": ReasonForm(),
            "nominate_form": NominateForm(),
            "RunStatus": RunStatus,
        },
    )


@scoped(ScoringRun)
@login_required
@require_POST
def run_action(request, pk, action):
    run = scoped_object(request.user, ScoringRun, pk, services.MANAGE)
    try:
        if action == "recompute":
            services.run_recompute(actor=request.user, run=run)
            messages.success(request, _("Scores computed from the evidence."))
        elif action == "lock":
            services.run_lock(actor=request.user, run=run)
            messages.success(request, _("The scores are locked."))
        elif action == "reopen":
            form = ReasonForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.run_reopen(actor=request.user, run=run, reason=reason)
            messages.success(request, _("The scores are reopened."))
        elif action == "publish":
            services.run_publish(actor=request.user, run=run)
            messages.success(request, _("The scores are published."))
        elif action == "nominate":
            form = NominateForm(request.POST)
            if not form.is_valid():
                raise ValidationError(
                    _("Nominate between 1 and %(n)d units.") % {"n": nominations.MAX_TOP}
                )
            made = nominations.nominations_from_run(
                actor=request.user,
                run=run,
                top_n=form.cleaned_data["top_n"],
                level=form.cleaned_data["level"],
            )
            messages.success(
                request,
                ngettext(
                    "%(count)d unit nominated for an award.",
                    "%(count)d units nominated for an award.",
                    len(made),
                )
                % {"count": len(made)},
            )
    except ValidationError as error:
        _error(request, error)
    return redirect("evaluation:run", pk=pk)


CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@scoped(ScoringRun)
@login_required
def run_document(request, pk, extension):
    run = scoped_object(request.user, ScoringRun, pk, services.MANAGE)
    build = {
        "docx": documents.result_docx,
        "pdf": documents.result_pdf,
        "xlsx": documents.result_xlsx,
    }[extension]
    response = HttpResponse(build(run), content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{documents.filename(run, extension)}"'
    return response


@scoped(UnitScore)
@login_required
def score_page(request, pk):
    score = scoped_object(request.user, UnitScore.objects.select_related("run"), pk)
    run = score.run
    reviewer = can(request.user, services.MANAGE, run.unit)
    recorder = can(request.user, Action.RECORD, score.unit)
    if request.method == "POST":
        criterion_score = scoped_object(
            request.user,
            CriterionScore.objects.filter(unit_score=score),
            request.POST.get("criterion_score"),
            unit_of=lambda cs: cs.unit_score.unit,
        )
        which = request.POST.get("form")
        try:
            if which == "review":
                form = ReviewForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Type the points as a number."))
                services.criterion_review(
                    actor=request.user, criterion_score=criterion_score, **form.cleaned_data
                )
            elif which == "contest":
                form = ContestForm(request.POST)
                text = form.cleaned_data["text"] if form.is_valid() else ""
                services.contest_open(
                    actor=request.user, criterion_score=criterion_score, text=text
                )
            elif which == "answer":
                form = AnswerForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Answer the contest."))
                services.contest_answer(
                    actor=request.user, criterion_score=criterion_score, **form.cleaned_data
                )
            elif which == "evidence":
                form = EvidenceForm(
                    request.POST, activities=Activity.objects.restrict(request.user)
                )
                if not form.is_valid():
                    raise ValidationError(_("Check the evidence link."))
                services.evidence_add(
                    actor=request.user,
                    criterion_score=criterion_score,
                    activities=list(form.cleaned_data["activities"]),
                    url=form.cleaned_data["url"],
                )
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect("evaluation:score", pk=pk)
    activities = Activity.objects.filter(
        unit__path__startswith=score.unit.path,
        date__year=run.criteria_set.year,
        withdrawn_at__isnull=True,
    ).order_by("-date")[:200]
    rows = score.criteria.select_related("criterion", "reviewer").prefetch_related(
        "evidence_activities"
    )
    for row in rows:  # one set of forms per criterion, with ids of their own
        auto_id = f"id_{row.pk}_%s"
        row.forms = {
            "review": ReviewForm(auto_id=auto_id),
            "contest": ContestForm(auto_id=auto_id),
            "answer": AnswerForm(auto_id=auto_id),
            "evidence": EvidenceForm(activities=activities, auto_id=auto_id),
        }
    return render(
        request,
        "evaluation/score.html",
        {
            "score": score,
            "run": run,
            "rows": rows,
            "reviewer": reviewer,
            "recorder": recorder,
            "draft": run.status == RunStatus.DRAFT,
            "REVIEW": ScoringMethod.REVIEW,
            "OPEN": ContestStatus.OPEN,
            "ACCEPTED": ContestStatus.ACCEPTED,
        },
    )
