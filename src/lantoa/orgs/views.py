"""Pages of the org tree, people and the audit log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, TemplateView

from lantoa.core.views import apply_validation_error
from lantoa.orgs.scoped_views import ScopedObjectMixin, scoped

from . import selectors, services
from .choices import Action
from .filters import scoped_object
from .forms import InvitationForm, MemberAddForm, UnitForm, UnitMoveForm, UnitSearchForm
from .models import Membership, OrgUnit
from .scoping import actions_on, scope_paths


class UnitTreeView(TemplateView):
    template_name = "orgs/unit_tree.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = UnitSearchForm(self.request.GET or None)
        query = form.data.get("q", "").strip() if form.is_bound and form.is_valid() else ""
        context["form"] = form
        context["query"] = query
        if query:
            context["results"] = selectors.unit_search(viewer=self.request.user, text=query)
        else:
            context["roots"] = selectors.unit_scope_roots(viewer=self.request.user)
        return context


unit_tree = login_required(UnitTreeView.as_view())


class UnitScopedMixin(ScopedObjectMixin):
    model = OrgUnit

    def scope_unit(self, obj):
        return obj


class UnitDetailView(UnitScopedMixin, DetailView):
    template_name = "orgs/unit_detail.html"
    context_object_name = "unit"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit, viewer = self.object, self.request.user
        children = selectors.unit_children(viewer=viewer, unit=unit)
        context["children"] = Paginator(children, 100).get_page(self.request.GET.get("page"))
        context["breadcrumb"] = selectors.unit_breadcrumb(viewer=viewer, unit=unit)
        context["actions"] = actions_on(viewer, unit)
        if Action.MANAGE_MEMBERS in context["actions"]:
            context["memberships"] = selectors.membership_list(viewer=viewer, unit=unit)
        return context


class UnitChildrenView(UnitDetailView):
    """The children of a unit as an HTML fragment, for the tree browser (HTMX)."""

    template_name = "orgs/_unit_children.html"


class UnitServiceFormView(UnitScopedMixin, FormView):
    """A form on one unit whose valid input goes to a service; service errors land on the form."""

    required_action = Action.MANAGE_UNITS
    success_message = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.unit = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(unit=self.unit, **kwargs)

    def form_valid(self, form):
        try:
            result = self.perform(form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect("orgs:unit", pk=result.pk)


class UnitCreateView(UnitServiceFormView):
    template_name = "orgs/unit_form.html"
    form_class = UnitForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Add a unit under %(unit)s") % {"unit": self.unit}, **kwargs
        )

    def perform(self, data):
        self.success_message = _("Unit added.")
        return services.unit_create(actor=self.request.user, parent=self.unit, **data)


class UnitUpdateView(UnitServiceFormView):
    template_name = "orgs/unit_form.html"
    form_class = UnitForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["administrative"] = self.unit.is_administrative
        kwargs["initial"] = {"code": self.unit.code, "name": self.unit.name, "kind": self.unit.kind}
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Edit %(unit)s") % {"unit": self.unit}, **kwargs)

    def perform(self, data):
        self.success_message = _("Changes saved.")
        return services.unit_update(actor=self.request.user, unit=self.unit, **data)


class UnitMoveView(UnitServiceFormView):
    template_name = "orgs/unit_form.html"
    form_class = UnitMoveForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Move %(unit)s") % {"unit": self.unit}, **kwargs)

    def perform(self, data):
        target = (
            selectors.unit_list(viewer=self.request.user)
            .filter(code__iexact=data["new_parent"].strip())
            .first()
        )
        if target is None:
            raise ValidationError(
                {"new_parent": _("No unit with this code in your part of the tree.")}
            )
        self.success_message = _("Unit moved.")
        return services.unit_move(actor=self.request.user, unit=self.unit, new_parent=target)


class UnitMembersView(UnitServiceFormView):
    template_name = "orgs/unit_members.html"
    form_class = MemberAddForm
    required_action = Action.MANAGE_MEMBERS

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            memberships=selectors.membership_list(viewer=self.request.user, unit=self.unit),
            **kwargs,
        )

    def perform(self, data):
        actor = self.request.user
        membership = services.membership_grant_named(
            actor=actor, username=data["username"], unit=self.unit, role=data["role"]
        )
        if membership is not None:
            self.success_message = _("Role granted to %(user)s.") % {"user": membership.user}
        else:
            user = services.user_create(
                actor=actor,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                unit=self.unit,
                role=data["role"],
            )
            InvitationForm(user).send(self.request)
            self.success_message = _("Account %(user)s created.") % {"user": user.username}
        return self.unit

    def form_valid(self, form):
        response = super().form_valid(form)
        if response.status_code == 302:
            return redirect("orgs:members", pk=self.unit.pk)
        return response


@scoped(Membership)
@login_required
@require_POST
def membership_revoke(request, pk):
    membership = scoped_object(request.user, Membership.objects.select_related("unit", "user"), pk)
    try:
        services.membership_revoke(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Role removed."))
    return redirect("orgs:members", pk=membership.unit.pk)


@login_required
def audit_log(request):
    if not (request.user.is_superuser or scope_paths(request.user, Action.VIEW_AUDIT)):
        raise Http404(_("Not found."))
    entries = selectors.audit_list(viewer=request.user)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    selectors.change_rows(page)
    return render(request, "orgs/audit_log.html", {"page": page})


def history_view(model):
    """The page of one object's audit entries and its parts' (a plan's tasks, a report's task
    rows), for whoever may see the object: it is fetched through the viewer's scope, so
    outside it the page is a 404. The project's URLs make one per model with a history."""

    @login_required
    def view(request, pk):
        obj = scoped_object(request.user, model.objects, pk)
        entries = selectors.object_history(obj=obj)
        template = (
            "orgs/_history_rows.html"
            if request.headers.get("HX-Request")
            else "orgs/object_history.html"
        )
        response = render(request, template, {"object": obj, "entries": entries})
        # The fragment and the full page share the URL: a cache must keep them apart.
        patch_vary_headers(response, ["HX-Request"])
        return response

    view.scoped_model = model
    view.__name__ = f"{model._meta.model_name}_history"
    return view
