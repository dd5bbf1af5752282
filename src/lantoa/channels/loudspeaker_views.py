"""The loudspeaker pages: clusters, bulletins with their audio and schedule, the operator's log
(made for a phone). Every write goes through ``loudspeakers``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lantoa.content.choices import ContentKind, ContentStatus
from lantoa.content.models import ContentItem
from lantoa.core.views import apply_validation_error
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_object
from lantoa.orgs.scoped_views import scoped
from lantoa.orgs.scoping import can

from . import loudspeakers
from .loudspeaker_forms import (
    AudioMakeForm,
    AudioUploadForm,
    BulletinFromItemsForm,
    ClusterForm,
    LogForm,
    ScheduleForm,
)
from .models import Broadcast, Bulletin, BulletinAudio, LoudspeakerCluster
from .tasks import bulletin_audio_make

MAX_LISTED = 200


def _record_units(user):
    from lantoa.orgs.models import OrgUnit

    return OrgUnit.objects.restrict(user, Action.RECORD)


@login_required
@require_http_methods(["GET", "POST"])
def loudspeakers_home(request):
    """The clusters of the units in scope, a form to add one, the broadcasts to log."""
    units = _record_units(request.user)
    form = ClusterForm(request.POST or None, units=units)
    if request.method == "POST":
        if not units.exists():
            raise PermissionDenied(_("You do not have permission to do this."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                loudspeakers.cluster_create(
                    actor=request.user,
                    unit=data["unit"],
                    name=data["name"],
                    place=data["place"],
                    speakers=data["speakers"],
                    is_active=data["is_active"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Cluster added."))
                return redirect("channels:loudspeakers")
    clusters = (
        LoudspeakerCluster.objects.restrict(request.user)
        .select_related("unit")
        .order_by("unit__name", "name")[:MAX_LISTED]
    )
    broadcasts = (
        Broadcast.objects.restrict(request.user)
        .select_related("item", "unit")
        .prefetch_related("clusters")[:50]
    )
    return render(
        request,
        "channels/loudspeakers.html",
        {
            "form": form,
            "can_add": units.exists(),
            "clusters": clusters,
            "broadcasts": broadcasts,
            "now": timezone.now(),
        },
    )


@scoped(LoudspeakerCluster)
@login_required
@require_http_methods(["GET", "POST"])
def cluster_edit(request, pk):
    cluster = scoped_object(request.user, LoudspeakerCluster, pk, Action.RECORD)
    initial = {
        "name": cluster.name,
        "place": cluster.place,
        "speakers": cluster.speakers,
        "is_active": cluster.is_active,
    }
    form = ClusterForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            loudspeakers.cluster_edit(actor=request.user, cluster=cluster, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Cluster saved."))
            return redirect("channels:loudspeakers")
    return render(request, "channels/cluster_form.html", {"form": form, "cluster": cluster})


def _bulletins(user):
    return Bulletin.objects.restrict(user)


@login_required
@require_http_methods(["GET", "POST"])
def bulletin_list(request):
    """The bulletins in scope, and a new one drawn from published items."""
    from lantoa.orgs.models import OrgUnit

    units = OrgUnit.objects.restrict(request.user, Action.EDIT_CONTENT)
    published = (
        ContentItem.objects.restrict(request.user)
        .filter(status=ContentStatus.PUBLISHED)
        .exclude(kind=ContentKind.LOUDSPEAKER)
        .order_by("-published_at")
    )
    form = BulletinFromItemsForm(
        request.POST or None,
        units=units,
        items=published[:MAX_LISTED] if request.method == "GET" else published,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = loudspeakers.bulletin_from_items(
                actor=request.user, unit=data["unit"], items=data["items"], title=data["title"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Bulletin written: edit it and send it for review."))
            return redirect("content:item-edit", pk=item.pk)
    bulletins = _bulletins(request.user).select_related("unit").order_by("-updated_at")
    return render(
        request,
        "channels/bulletin_list.html",
        {"form": form, "can_write": units.exists(), "bulletins": bulletins[:MAX_LISTED]},
    )


def _bulletin_page(request, item, **forms):
    revision = loudspeakers.bulletin_revision(item)
    clusters = LoudspeakerCluster.objects.filter(unit=item.unit, is_active=True)
    context = {
        "item": item,
        "revision": revision,
        "script": loudspeakers.bulletin_script(revision) if revision else "",
        "audio": BulletinAudio.objects.filter(item=item).select_related("asset", "revision"),
        "broadcasts": item.broadcasts.prefetch_related("clusters", "aired_clusters"),
        "can_edit": can(request.user, Action.EDIT_CONTENT, item.unit),
        "can_schedule": can(request.user, Action.RECORD, item.unit),
        "make_form": forms.get("make_form") or AudioMakeForm(),
        "upload_form": forms.get("upload_form") or AudioUploadForm(),
        "schedule_form": forms.get("schedule_form") or ScheduleForm(clusters=clusters),
    }
    return render(request, "channels/bulletin_detail.html", context)


@scoped(Bulletin)
@login_required
def bulletin_detail(request, pk):
    item = scoped_object(request.user, _bulletins(request.user), pk)
    return _bulletin_page(request, item)


@scoped(Bulletin)
@login_required
@require_POST
def bulletin_audio(request, pk):
    """Make the audio (in the background) or take a recorded reading."""
    item = scoped_object(request.user, _bulletins(request.user), pk, Action.EDIT_CONTENT)
    if "file" in request.FILES:
        form = AudioUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                loudspeakers.bulletin_audio_upload(
                    actor=request.user, item=item, data=upload, name=upload.name
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Recorded reading added."))
                return redirect("channels:bulletin", pk=item.pk)
        return _bulletin_page(request, item, upload_form=form)
    form = AudioMakeForm(request.POST)
    if form.is_valid():
        if loudspeakers.bulletin_revision(item) is None:
            form.add_error(None, _("Only an approved or published bulletin is spoken."))
        else:
            voice = form.cleaned_data["voice"]
            transaction.on_commit(
                lambda: bulletin_audio_make.enqueue(item.pk, request.user.pk, voice)
            )
            messages.success(
                request, _("The bulletin is being spoken: its audio appears here in a minute.")
            )
            return redirect("channels:bulletin", pk=item.pk)
    return _bulletin_page(request, item, make_form=form)


@scoped(Bulletin)
@login_required
@require_POST
def bulletin_schedule(request, pk):
    item = scoped_object(request.user, _bulletins(request.user), pk, Action.RECORD)
    clusters = LoudspeakerCluster.objects.filter(unit=item.unit, is_active=True)
    form = ScheduleForm(request.POST, clusters=clusters)
    if form.is_valid():
        data = form.cleaned_data
        try:
            loudspeakers.broadcast_schedule(
                actor=request.user,
                item=item,
                clusters=data["clusters"],
                starts_at=data["starts_at"],
                planned_minutes=data["planned_minutes"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Broadcast scheduled."))
            return redirect("channels:bulletin", pk=item.pk)
    return _bulletin_page(request, item, schedule_form=form)


@scoped(Broadcast)
@login_required
@require_http_methods(["GET", "POST"])
def broadcast_log(request, pk, after_activity=None):
    """The operator's log, on a phone: aired or not, minutes, clusters, a note.
    ``after_activity`` is reporting's refresh of the open drafts, given by ``lantoa.urls``."""
    broadcast = scoped_object(request.user, Broadcast, pk, Action.RECORD)
    clusters = broadcast.clusters.all()
    initial = {
        "aired": {True: "yes", False: "no"}.get(broadcast.aired),
        "minutes": broadcast.aired_minutes or broadcast.planned_minutes or "",
        "clusters": list(broadcast.aired_clusters.all())
        if broadcast.aired is not None
        else list(clusters),
        "note": broadcast.log_note,
    }
    form = LogForm(request.POST or None, initial=initial, clusters=clusters)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            loudspeakers.broadcast_log(
                actor=request.user,
                broadcast=broadcast,
                aired=data["aired"],
                minutes=data["minutes"],
                clusters=data["clusters"],
                note=data["note"],
                after_activity=after_activity,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Broadcast log saved."))
            return redirect("channels:broadcast-log", pk=broadcast.pk)
    return render(
        request,
        "channels/broadcast_log.html",
        {
            "form": form,
            "broadcast": broadcast,
            "activity": loudspeakers.broadcast_activity(broadcast),
        },
    )
