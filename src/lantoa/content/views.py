"""The communication desk's pages: the editor's desk, the editor, an item's review page with its
revisions, campaigns and the unit's review rule.

Publishing and withdrawing are a use case of several apps (the evidence, the assistant, the
channels), above this one: the composition root (``lantoa.urls``) gives them to these pages as
a :class:`Publishing` (``urls.patterns(publishing)``), as the activity pages are given
reporting's services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lantoa.core.views import apply_validation_error
from lantoa.media.choices import AssetKind, Licence
from lantoa.media.models import Asset
from lantoa.orgs import selectors as org_selectors
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_object, scoped_param
from lantoa.orgs.scoped_views import scoped
from lantoa.orgs.scoping import can
from lantoa.plans import selectors as plan_selectors
from lantoa.plans import widgets as task_widgets
from lantoa.plans.models import Task

from . import selectors, services
from .choices import ContentKind, ContentStatus
from .forms import (
    CampaignForm,
    CommentForm,
    DeskSettingsForm,
    ItemForm,
    ReviewForm,
    ScheduleForm,
    WithdrawForm,
)
from .models import Campaign, ContentItem, DeskSettings, Revision


def _own_publish(*, actor, item):
    return services.item_mark_published(actor=actor, item=item)


def _own_withdraw(*, actor, item, reason):
    return services.item_mark_unpublished(
        actor=actor, item=item, status=ContentStatus.WITHDRAWN, reason=reason
    )


@dataclass(frozen=True)
class Publishing:
    """What the review page's Publish and Withdraw buttons call: ``publish(actor=, item=)`` and
    ``withdraw(actor=, item=, reason=)``. The composition root gives the portal's use case;
    :meth:`own` is the content's side alone (no evidence, no assistant)."""

    publish: Callable[..., object]
    withdraw: Callable[..., object]

    @classmethod
    def own(cls) -> Publishing:
        return cls(publish=_own_publish, withdraw=_own_withdraw)


def _editable_units(user):
    return org_selectors.unit_list(viewer=user, action=Action.EDIT_CONTENT).order_by(
        "depth", "path"
    )


def _item(request, pk, action=Action.VIEW) -> ContentItem:
    return scoped_object(
        request.user,
        ContentItem.objects.select_related(
            "unit", "created_by", "latest_revision__author", "live_revision", "cover"
        ),
        pk,
        action,
    )


# -- the desk -------------------------------------------------------------------------------


@login_required
def desk(request):
    units = _editable_units(request.user)
    unit = scoped_param(request.GET, "unit", request.user, units) or units.first()
    if unit is None and not request.user.is_superuser:
        raise PermissionDenied(_("You do not write content for any unit."))
    lists = selectors.desk(request.user)
    lacking = selectors.tasks_lacking(request.user, unit)[:50] if unit is not None else []
    return render(
        request,
        "content/desk.html",
        {
            "lists": lists,
            "unit": unit,
            "units": units[:200],
            "lacking": lacking,
            "can_settings": org_selectors.unit_list(
                viewer=request.user, action=Action.MANAGE_UNITS
            ).exists(),
        },
    )


@login_required
def item_list(request):
    unit = scoped_param(
        request.GET, "unit", request.user, org_selectors.unit_list(viewer=request.user)
    )
    items = selectors.item_list(
        request.user,
        unit=unit,
        state=request.GET.get("state", ""),
        query=request.GET.get("q", "")[:200],
    )
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "content/item_list.html",
        {
            "page": page,
            "unit": unit,
            "states": ContentStatus.choices,
            "state": request.GET.get("state", ""),
            "q": request.GET.get("q", "")[:200],
            "query": query.urlencode(),
        },
    )


# -- the editor -----------------------------------------------------------------------------


def _item_form(request, *, unit, item=None):
    units = _editable_units(request.user)
    posted_unit = request.POST.get("unit", "") if request.method == "POST" else ""
    if item is None and posted_unit.isdigit():
        unit = units.filter(pk=posted_unit).first() or unit
    if request.method == "POST":
        selected = request.POST.getlist("tasks")
    elif item is not None:
        selected = services.working_copy(item)["tasks"]
    else:
        selected = []
    initial = {"unit": unit, "kind": ContentKind.NEWS}
    if item is not None:
        copy = services.working_copy(item)
        initial = {
            "kind": copy["kind"],
            "title": copy["title"],
            "summary": copy["summary"],
            "body": copy["body"],
            "document_number": copy["document_number"],
            "document_date": copy["document_date"],
            "tasks": copy["tasks"],
            "campaigns": copy["campaigns"],
            "tags": ", ".join(t.name for t in copy["tags"]),
            "cover": copy["cover"],
            "version": item.version,
        }
    form = ItemForm(
        request.POST or None,
        units=units,
        tasks=Task.objects.restrict(request.user).in_force().select_related("plan"),
        task_groups=plan_selectors.task_groups(viewer=request.user, unit=unit, selected=selected),
        task_search_url=reverse("content:task-options"),
        asset_search_url=picker_url(item),
        campaigns=services.campaigns_for_unit(unit)
        if unit is not None
        else Campaign.objects.none(),
        editing=item is not None,
        initial=initial,
    )
    if "unit" in form.fields:
        form.fields["unit"].widget.attrs.update(
            {
                "hx-get": reverse("content:task-options"),
                "hx-trigger": "change",
                "hx-target": f"#{form['tasks'].auto_id}-options",
                "hx-include": "[name='unit'], [name='tasks']:checked",
            }
        )
    return form


def _fields(form, unit) -> dict:
    data = form.cleaned_data
    cover = None
    if data.get("cover"):
        cover = Asset.objects.filter(pk=data["cover"]).first()
        if cover is None:
            raise ValidationError({"cover": _("No image with this number in the library.")})
    return {
        "kind": data["kind"],
        "title": data["title"],
        "summary": data["summary"],
        "body": data["body"],
        "tasks": list(data["tasks"]),
        "campaigns": list(data["campaigns"]),
        "tags": data["tags"],
        "cover": cover,
        "document_number": data["document_number"],
        "document_date": data["document_date"],
    }


@login_required
def item_create(request):
    units = _editable_units(request.user)
    unit = scoped_param(request.GET, "unit", request.user, units) or units.first()
    if unit is None:
        raise PermissionDenied(_("You do not write content for any unit."))
    form = _item_form(request, unit=unit)
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        try:
            item = services.item_create(actor=request.user, unit=unit, **_fields(form, unit))
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error("unit", str(error))
        else:
            messages.success(request, _("Draft saved."))
            return redirect("content:item", pk=item.pk)
    return render(
        request,
        "content/item_form.html",
        {"form": form, "unit": unit, "picker_url": picker_url(None)},
    )


@scoped(ContentItem)
@login_required
def item_edit(request, pk):
    item = _item(request, pk, Action.EDIT_CONTENT)
    form = _item_form(request, unit=item.unit, item=item)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_save(
                actor=request.user,
                item=item,
                version=form.cleaned_data["version"],
                **_fields(form, item.unit),
            )
        except ValidationError as error:
            stale = getattr(error, "code", None) == "stale"
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Saved as a new revision."))
            return redirect("content:item", pk=item.pk)
    return render(
        request,
        "content/item_form.html",
        {
            "form": form,
            "item": item,
            "unit": item.unit,
            "stale": stale,
            "picker_url": picker_url(item),
        },
    )


def picker_url(item: ContentItem | None) -> str:
    """The library's picker (``media:pick``, one for the library and the desk) of the images
    an item may use: the item's unit's, or (a new item) the unit chosen in the form, which the
    desk's script adds."""
    url = reverse("media:pick") + f"?kind={AssetKind.IMAGE}"
    return url + (f"&unit={item.unit_id}" if item is not None else "")


@require_GET
@login_required
def task_options(request):
    """The task picker's options for the chosen unit and search words (HTMX)."""
    unit_id = request.GET.get("unit", "")
    unit = _editable_units(request.user).filter(pk=unit_id).first() if unit_id.isdigit() else None
    item_id = request.GET.get("item", "")
    if unit is None and item_id.isdigit():
        item = ContentItem.objects.restrict(request.user, Action.EDIT_CONTENT).filter(pk=item_id)
        unit = item.first().unit if item.exists() else None
    selected = request.GET.getlist("tasks")[:500]
    groups = plan_selectors.task_groups(
        viewer=request.user, unit=unit, query=request.GET.get("task_q", "")[:200], selected=selected
    )
    return render(
        request, task_widgets.OPTIONS_TEMPLATE, task_widgets.options_context(groups, selected)
    )


# -- one item: review, schedule, publish ---------------------------------------------------------


@scoped(ContentItem)
@login_required
def item_detail(request, pk):
    item = _item(request, pk)
    user = request.user
    revision = item.latest_revision
    state = services.workflow_status(item)
    can_edit = can(user, Action.EDIT_CONTENT, item.unit)
    can_approve = can(user, Action.APPROVE_CONTENT, item.unit)
    is_author = revision is not None and user.pk in (revision.author_id, item.created_by_id)
    revisions = list(item.revisions.select_related("author").order_by("-number")[:100])
    working = services.working_copy(item)
    # A licence withdrawn after the item took the file: shown here, where it can be replaced.
    in_use = {item.latest_revision_id, item.live_revision_id} - {None}
    unlicensed = Asset.objects.filter(
        pk__in=Revision.assets.through.objects.filter(revision_id__in=in_use).values("asset_id"),
        licence=Licence.WITHDRAWN,
    ).order_by("title")
    return render(
        request,
        "content/item_detail.html",
        {
            "item": item,
            "unlicensed": unlicensed,
            "revision": revision,
            "state": state,
            "state_label": ContentStatus(state).label,
            "pending": services.has_pending_changes(item),
            "steps": services.review_steps(item.unit),
            "can_edit": can_edit,
            "can_review": can_approve and state == ContentStatus.IN_REVIEW and not is_author,
            "is_author": is_author,
            "can_publish": can_edit and state in (ContentStatus.APPROVED, ContentStatus.SCHEDULED),
            "can_withdraw": can_edit
            and item.status
            in (ContentStatus.PUBLISHED, ContentStatus.SCHEDULED, ContentStatus.APPROVED),
            "review_form": ReviewForm(),
            "comment_form": CommentForm(),
            "schedule_form": ScheduleForm(
                initial={"go_live_at": item.go_live_at, "expire_at": item.expire_at}
            ),
            "withdraw_form": WithdrawForm(),
            "reviews": item.reviews.select_related("reviewer", "revision").order_by("-created_at")[
                :100
            ],
            "comments": item.comments.select_related("author", "revision").order_by("created_at")[
                :200
            ],
            "revisions": revisions,
            "working": working,
            "working_tasks": Task.objects.filter(pk__in=working["tasks"]).select_related("plan"),
            "working_campaigns": Campaign.objects.filter(pk__in=working["campaigns"]),
        },
    )


def _back(item):
    return redirect("content:item", pk=item.pk)


def _fail(request, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(error))


def _act(request, item, do: Callable, success, *, form=None, invalid: str = ""):
    """One step of an item's workflow from its page: ``form`` (if any) checked first (else
    ``invalid`` is said), then ``do(data)`` with its cleaned data; a refusal is shown, else
    ``success`` (or ``success(result)``); back to the item's page either way."""
    if form is not None and not form.is_valid():
        messages.error(request, invalid)
        return _back(item)
    try:
        result = do(form.cleaned_data if form is not None else {})
    except (ValidationError, PermissionDenied) as error:
        _fail(request, error)
    else:
        messages.success(request, success(result) if callable(success) else success)
    return _back(item)


@scoped(ContentItem)
@require_POST
@login_required
def item_submit(request, pk):
    item = _item(request, pk, Action.EDIT_CONTENT)
    return _act(
        request,
        item,
        lambda data: services.item_submit(actor=request.user, item=item),
        _("Sent to review."),
    )


@scoped(ContentItem)
@require_POST
@login_required
def item_review(request, pk):
    item = _item(request, pk, Action.APPROVE_CONTENT)
    return _act(
        request,
        item,
        lambda data: services.item_review(
            actor=request.user, item=item, decision=data["decision"], comment=data["comment"]
        ),
        lambda review: (
            _("Approved.") if review.decision == "approved" else _("Returned to the author.")
        ),
        form=ReviewForm(request.POST),
        invalid=_("Choose to approve or to return the item."),
    )


@scoped(ContentItem)
@require_POST
@login_required
def item_comment(request, pk):
    item = _item(request, pk, Action.EDIT_CONTENT)
    return _act(
        request,
        item,
        lambda data: services.comment_add(actor=request.user, item=item, text=data["text"]),
        _("Comment added."),
        form=CommentForm(request.POST),
        invalid=_("Write a comment."),
    )


@scoped(ContentItem)
@require_POST
@login_required
def item_schedule(request, pk):
    item = _item(request, pk, Action.EDIT_CONTENT)
    return _act(
        request,
        item,
        lambda data: services.item_schedule(
            actor=request.user,
            item=item,
            go_live_at=data["go_live_at"],
            expire_at=data["expire_at"],
        ),
        _("Schedule saved."),
        form=ScheduleForm(request.POST),
        invalid=_("Enter the dates and times as day, month, year, hour, minute."),
    )


@scoped(ContentItem)
@require_POST
@login_required
def item_publish(request, pk, *, publishing: Publishing):
    item = _item(request, pk, Action.EDIT_CONTENT)
    return _act(
        request,
        item,
        lambda data: publishing.publish(actor=request.user, item=item),
        _("Published: the item is on the unit's public section."),
    )


@scoped(ContentItem)
@require_POST
@login_required
def item_withdraw(request, pk, *, publishing: Publishing):
    item = _item(request, pk, Action.EDIT_CONTENT)
    return _act(
        request,
        item,
        lambda data: publishing.withdraw(actor=request.user, item=item, reason=data["reason"]),
        _("Withdrawn: the item is no longer public."),
        form=WithdrawForm(request.POST),
        invalid=_("Say why the item is withdrawn."),
    )


def _revision(item, number) -> Revision:
    revision = item.revisions.filter(number=number).first() if str(number).isdigit() else None
    if revision is None:
        from django.http import Http404

        raise Http404(_("Not found."))
    return revision


@scoped(ContentItem)
@require_POST
@login_required
def item_revert(request, pk):
    item = _item(request, pk, Action.EDIT_CONTENT)
    revision = _revision(item, request.POST.get("revision", ""))
    return _act(
        request,
        item,
        lambda data: services.item_revert(actor=request.user, item=item, revision=revision),
        _("Revision %(n)d copied as a new draft revision.") % {"n": revision.number},
    )


@scoped(ContentItem)
@require_GET
@login_required
def item_compare(request, pk):
    item = _item(request, pk)
    latest = item.latest_revision
    b = _revision(item, request.GET.get("b") or (latest.number if latest else ""))
    # By default: the live revision (or the one before) against the latest.
    default_a = (
        item.live_revision.number
        if item.live_revision_id and item.live_revision_id != b.pk
        else max(1, b.number - 1)
    )
    a = _revision(item, request.GET.get("a") or default_a)
    return render(
        request,
        "content/item_compare.html",
        {"item": item, "a": a, "b": b, "diff": services.revision_compare(a, b)},
    )


@scoped(ContentItem)
@require_GET
@login_required
def revision_preview(request, pk):
    """One revision as it reads (``?n=``; the latest by default)."""
    item = _item(request, pk)
    latest = item.latest_revision
    number = request.GET.get("n") or (latest.number if latest else "")
    return render(
        request,
        "content/revision_preview.html",
        {"item": item, "revision": _revision(item, number)},
    )


# -- campaigns and the review rule ------------------------------------------------------------


@login_required
def campaign_list(request):
    units = _editable_units(request.user)
    form = CampaignForm(request.POST or None, units=units, initial={"unit": units.first()})
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error("unit", str(error))
        else:
            messages.success(request, _("Campaign created."))
            return redirect("content:campaigns")
    campaigns = selectors.campaigns(request.user).order_by("-starts_on")[:200]
    return render(
        request,
        "content/campaign_list.html",
        {"form": form, "campaigns": campaigns, "can_create": units.exists()},
    )


@login_required
def desk_settings(request):
    units = org_selectors.unit_list(viewer=request.user, action=Action.MANAGE_UNITS).order_by(
        "depth", "path"
    )
    if not units.exists():
        raise PermissionDenied(
            _("Only a unit's administrator or focal point sets its review steps.")
        )
    unit = scoped_param(request.GET, "unit", request.user, units) or units.first()
    current = DeskSettings.objects.filter(unit=unit).first()
    form = DeskSettingsForm(
        request.POST or None,
        units=units,
        initial={"unit": unit, "review_steps": current.review_steps if current else 1},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.desk_settings_set(
                actor=request.user,
                unit=form.cleaned_data["unit"],
                review_steps=form.cleaned_data["review_steps"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionDenied as error:
            form.add_error("unit", str(error))
        else:
            messages.success(request, _("Review steps saved."))
            return redirect(f"{reverse('content:settings')}?unit={form.cleaned_data['unit'].pk}")
    rules = DeskSettings.objects.filter(unit__in=units).select_related("unit")[:200]
    return render(
        request, "content/desk_settings.html", {"form": form, "rules": rules, "unit": unit}
    )
