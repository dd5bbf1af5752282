"""Pages of the awards register: nominations, their review and decision, the register of those
commended (and its sheet), the sheet import."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lantoa.core.uploads import read_upload
from lantoa.core.views import apply_validation_error
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_object
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoped_views import scoped
from lantoa.orgs.scoping import can

from . import awards_selectors as selectors
from . import awards_services as services
from . import awards_sheets as sheets
from .awards_forms import AwardSheetForm, DecisionForm, NominationForm, ReviewForm
from .models.awards import AwardNomination, NominationStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _can_nominate(user) -> bool:
    return user.is_superuser or OrgUnit.objects.restrict(user, Action.RECORD).exists()


@login_required
def nomination_list(request):
    status = request.GET.get("status")
    status = status if status in NominationStatus.values else None
    page = Paginator(selectors.nominations_for(request.user, status=status), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "programme/award_list.html",
        {
            "page": page,
            "status": status,
            "statuses": NominationStatus.choices,
            "can_nominate": _can_nominate(request.user),
        },
    )


@login_required
def nomination_create(request):
    form = NominationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination = services.award_nominate(
                actor=request.user,
                unit=data["unit"],
                kind=data["kind"],
                person=data["person"],
                year=data["year"],
                achievement=data["achievement"],
                proposed_level=data["proposed_level"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The nomination is saved."))
            return redirect("awards:detail", nomination.pk)
    return render(request, "programme/award_form.html", {"form": form})


@scoped(AwardNomination)
@login_required
def nomination_detail(request, pk, *, after_activity=None):
    nomination = scoped_object(request.user, AwardNomination, pk)
    reviewer = can(request.user, Action.APPROVE_REPORT, services.reviewing_unit(nomination.unit))
    review_form = decision_form = None
    if reviewer and nomination.status == NominationStatus.PROPOSED:
        review_form = ReviewForm(request.POST or None, prefix="review")
        if request.method == "POST" and "review-accept" in request.POST and review_form.is_valid():
            try:
                services.award_review(
                    actor=request.user,
                    nomination=nomination,
                    accept=review_form.cleaned_data["accept"],
                    note=review_form.cleaned_data["review_note"],
                )
            except ValidationError as error:
                apply_validation_error(review_form, error)
            else:
                messages.success(request, _("The review is saved."))
                return redirect("awards:detail", nomination.pk)
    if reviewer and nomination.status == NominationStatus.ACCEPTED:
        decision_form = DecisionForm(
            request.POST or None, prefix="decision", initial={"level": nomination.proposed_level}
        )
        posted = request.method == "POST" and "decision-number" in request.POST
        if posted and decision_form.is_valid():
            try:
                decision = services.award_decide(
                    actor=request.user, nomination=nomination, **decision_form.cleaned_data
                )
            except ValidationError as error:
                apply_validation_error(decision_form, error)
            else:
                if decision.activity is not None and after_activity is not None:
                    after_activity(decision.activity)
                messages.success(request, _("The decision is recorded."))
                return redirect("awards:detail", nomination.pk)
    decision = (
        getattr(nomination, "decision", None)
        if nomination.status == NominationStatus.AWARDED
        else None
    )
    return render(
        request,
        "programme/award_detail.html",
        {
            "n": nomination,
            "decision": decision,
            "review_form": review_form,
            "decision_form": decision_form,
        },
    )


@login_required
def register(request):
    decisions = selectors.register_for(request.user)
    page = Paginator(decisions, 50).get_page(request.GET.get("page"))
    return render(request, "programme/award_register.html", {"page": page})


@login_required
def register_xlsx(request):
    response = HttpResponse(sheets.register_xlsx(selectors.register_for(request.user)), XLSX)
    response["Content-Disposition"] = 'attachment; filename="khen-thuong.xlsx"'
    return response


@login_required
def nomination_template(request):
    response = HttpResponse(sheets.template_xlsx(), XLSX)
    response["Content-Disposition"] = 'attachment; filename="de-nghi-khen-thuong.xlsx"'
    return response


@login_required
def nomination_import(request):
    form = AwardSheetForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            created = sheets.import_nominations(
                actor=request.user,
                data=read_upload(form.cleaned_data["file"], settings.SHEET_MAX_BYTES),
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request, _("%(n)d nominations saved from the sheet.") % {"n": len(created)}
            )
            return redirect("awards:list")
    return render(
        request,
        "programme/award_import.html",
        {"form": form, "errors": errors[:200], "more": max(0, len(errors) - 200)},
    )
