"""Pages of the communication network register. Contacts are never on a public page; in lists
they are masked for those who do not manage the member's unit; hidden once consent is withdrawn."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lantoa.activities.choices import ActivityKind
from lantoa.activities.models import Activity
from lantoa.content.models import Campaign
from lantoa.core.views import apply_validation_error
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_object, scoped_param
from lantoa.orgs.scoped_views import scoped
from lantoa.orgs.scoping import can

from . import network_services as services
from .models.network import MemberKind, NetworkInvitation, NetworkMember
from .network_forms import MemberForm
from .network_selectors import contact_of, members_for, units_to_record
from .network_sheets import export_members, import_members, members_template
from .sheets import xlsx_response
from .trainings_forms import RegisterSheetForm


@login_required
def network_list(request):
    query = request.GET.get("q", "")[:100]
    kind = request.GET.get("kind", "")
    kind = kind if kind in MemberKind.values else ""
    page = Paginator(members_for(request.user, query, kind), 50).get_page(request.GET.get("page"))
    rows = [(m, contact_of(request.user, m)) for m in page]
    return render(
        request,
        "programme/network_list.html",
        {
            "page": page,
            "rows": rows,
            "q": query,
            "kind": kind,
            "kinds": MemberKind.choices,
            "can_record": units_to_record(request.user).exists(),
        },
    )


def _fields(form, units) -> dict:
    data = dict(form.cleaned_data)
    data["unit"] = next(u for u in units if str(u.pk) == str(data["unit"]))
    return data


@login_required
def network_create(request):
    units = list(units_to_record(request.user))
    if not units:
        raise PermissionDenied(_("You cannot change the communication network of any unit."))
    form = MemberForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_save(actor=request.user, **_fields(form, units))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Network member saved."))
            return redirect("programme:member", pk=member.pk)
    return render(request, "programme/network_form.html", {"form": form, "member": None})


@scoped(NetworkMember)
@login_required
def network_edit(request, pk):
    member = scoped_object(request.user, NetworkMember, pk, Action.RECORD)
    units = list(units_to_record(request.user))
    initial = {
        "unit": member.unit_id,
        **{
            f: getattr(member, f)
            for f in ("kind", "name", "organisation", "field", "phone", "email")
        },
        "consent_on": member.consent_on,
        "consent_withdrawn_on": member.consent_withdrawn_on,
    }
    form = MemberForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_save(actor=request.user, member=member, **_fields(form, units))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Network member saved."))
            return redirect("programme:member", pk=member.pk)
    return render(request, "programme/network_form.html", {"form": form, "member": member})


@scoped(NetworkMember)
@login_required
def network_detail(request, pk):
    member = scoped_object(request.user, NetworkMember, pk)
    can_edit = can(request.user, Action.RECORD, member.unit)
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not can_edit:
        raise PermissionDenied(
            _("You cannot change the communication network of %(unit)s.") % {"unit": member.unit}
        )
    errors: list[str] = []
    try:
        if action == "invite":
            campaign = scoped_param(request.POST, "campaign", request.user, Campaign.objects.all())
            activity = scoped_param(
                request.POST,
                "event",
                request.user,
                Activity.objects.filter(kind=ActivityKind.EVENT),
            )
            services.invite(actor=request.user, member=member, campaign=campaign, activity=activity)
            messages.success(request, _("Invitation recorded."))
            return redirect("programme:member", pk=member.pk)
        if action == "engagement":
            invitation = scoped_object(
                request.user,
                NetworkInvitation.objects.filter(member=member),
                request.POST.get("invitation"),
                name="invitation",
            )
            services.engagement_record(
                actor=request.user,
                invitation=invitation,
                attended=bool(request.POST.get("attended")),
                contributed=bool(request.POST.get("contributed")),
                shared=bool(request.POST.get("shared")),
            )
            messages.success(request, _("Engagement saved."))
            return redirect("programme:member", pk=member.pk)
        if action == "withdraw":
            services.consent_withdraw(actor=request.user, member=member)
            messages.success(request, _("Consent withdrawn: the contact is erased."))
            return redirect("programme:member", pk=member.pk)
    except ValidationError as error:
        errors = error.messages
    invitations = member.invitations.select_related("campaign", "activity")
    return render(
        request,
        "programme/network_detail.html",
        {
            "member": member,
            "contact": contact_of(request.user, member),
            "invitations": invitations,
            "can_edit": can_edit,
            "errors": errors,
            "campaigns": Campaign.objects.restrict(request.user, Action.VIEW).order_by(
                "-starts_on"
            )[:50]
            if can_edit
            else [],
            "events": Activity.objects.restrict(request.user, Action.VIEW)
            .filter(kind=ActivityKind.EVENT)
            .order_by("-date")[:50]
            if can_edit
            else [],
        },
    )


@login_required
def network_export(request):
    members = members_for(request.user, request.GET.get("q", "")[:100])
    return xlsx_response(export_members(request.user, members), "mang-luoi-truyen-thong.xlsx")


@login_required
def network_import(request):
    if not units_to_record(request.user).exists():
        raise PermissionDenied(_("You cannot change the communication network of any unit."))
    if request.GET.get("template"):
        return xlsx_response(members_template(), "mau-mang-luoi-truyen-thong.xlsx")
    form = RegisterSheetForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            created = import_members(actor=request.user, data=form.cleaned_data["file"].read())
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("%(n)d network members imported.") % {"n": len(created)})
            return redirect("programme:network")
    return render(
        request,
        "programme/register_import.html",
        {
            "form": form,
            "errors": errors[:200],
            "title": _("Import network members"),
            "back": "programme:network",
            "template_url": "?template=1",
        },
    )
