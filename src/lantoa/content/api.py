"""Content items over the API (mounted under /api/v1/content-items/): list, read, write (with the
version edited from), send to review, review, schedule, publish and withdraw; the same
services as the desk's pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from lantoa.core.api import ErrorSerializer
from lantoa.media.models import Asset
from lantoa.orgs.choices import Action
from lantoa.orgs.scoped_api import ScopedViewSetMixin
from lantoa.orgs.scoping import require
from lantoa.plans.models import Task

from . import services
from .choices import ContentKind, ContentStatus, ReviewDecision
from .models import Campaign, ContentItem

MAX_ID = 2**63 - 1


class ContentItemSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    workflow_status = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    revision = serializers.SerializerMethodField()
    live_revision = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    working = serializers.SerializerMethodField()

    class Meta:
        model = ContentItem
        fields = [
            "id",
            "unit",
            "unit_code",
            "kind",
            "status",
            "draft_status",
            "workflow_status",
            "review_step",
            "title",
            "slug",
            "summary",
            "body",
            "revision",
            "live_revision",
            "version",
            "tasks",
            "campaigns",
            "tags",
            "cover",
            "document_number",
            "document_date",
            "go_live_at",
            "expire_at",
            "published_at",
            "first_published_at",
            "working",
        ]

    def get_workflow_status(self, item) -> str:
        return services.workflow_status(item)

    def get_summary(self, item) -> str:
        return item.latest_revision.summary if item.latest_revision_id else ""

    def get_body(self, item) -> str:
        """The working copy's HTML (sanitised)."""
        return item.latest_revision.body if item.latest_revision_id else ""

    def get_revision(self, item) -> int | None:
        return item.latest_revision.number if item.latest_revision_id else None

    def get_live_revision(self, item) -> int | None:
        return item.live_revision.number if item.live_revision_id else None

    def get_tags(self, item) -> list[str]:
        return [t.name for t in item.tags.all()]

    def get_working(self, item) -> dict:
        """The working copy's fields (differ from the item's own while a published item has
        changes in review)."""
        copy = services.working_copy(item)
        return {
            "kind": copy["kind"],
            "cover": copy["cover"],
            "tags": [t.name for t in copy["tags"]],
            "tasks": list(copy["tasks"]),
            "campaigns": list(copy["campaigns"]),
            "document_number": copy["document_number"],
            "document_date": copy["document_date"],
        }


class ItemWriteSerializer(serializers.Serializer):
    unit_code = serializers.CharField(required=False)
    kind = serializers.ChoiceField(choices=ContentKind.choices)
    title = serializers.CharField(max_length=255)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    body = serializers.CharField(required=False, allow_blank=True, max_length=400_000)
    tasks = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=200,
    )
    campaigns = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, max_length=50
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, max_length=20
    )
    cover = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    document_number = serializers.CharField(required=False, allow_blank=True, max_length=64)
    document_date = serializers.DateField(required=False, allow_null=True)
    version = serializers.IntegerField(required=False, min_value=0)


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ReviewDecision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class ScheduleSerializer(serializers.Serializer):
    go_live_at = serializers.DateTimeField(allow_null=True)
    expire_at = serializers.DateTimeField(required=False, allow_null=True)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ContentItemViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Content items of the units the caller covers. Writing needs the editor's right on the
    item's unit, reviewing the approver's (never on one's own item). An update names the
    ``version`` it was edited from: a stale one is refused (400, code ``stale``)."""

    queryset = ContentItem.objects.select_related(
        "unit", "latest_revision", "live_revision"
    ).prefetch_related("tags")
    serializer_class = ContentItemSerializer
    filterset_fields = ["kind", "status"]
    scoped_filters = {"unit": "unit"}
    publishing = None

    @classmethod
    def given(cls, *, publishing):
        """This viewset with the publishing use case (the desk's pages are given the same)."""
        return cls.with_attrs(publishing=publishing)

    def _fields(self, values: dict) -> dict:
        user = self.request.user
        fields = {}
        for name in ("kind", "title", "summary", "body", "document_number", "document_date"):
            if name in values:
                fields[name] = values[name] if values[name] is not None else None
        if "tasks" in values:
            ids = set(values["tasks"])
            tasks = list(Task.objects.restrict(user).filter(pk__in=ids))
            if len(tasks) != len(ids):
                raise ValidationError({"tasks": [_("A chosen task is not in your scope.")]})
            fields["tasks"] = tasks
        if "campaigns" in values:
            ids = set(values["campaigns"])
            campaigns = list(Campaign.objects.restrict(user).filter(pk__in=ids))
            if len(campaigns) != len(ids):
                raise ValidationError({"campaigns": [_("A chosen campaign is not in your scope.")]})
            fields["campaigns"] = campaigns
        if "tags" in values:
            fields["tags"] = values["tags"]
        if "cover" in values:
            cover = None
            if values["cover"] is not None:
                cover = Asset.objects.filter(pk=values["cover"]).first()
                if cover is None:
                    raise ValidationError(
                        {"cover": [_("No image with this number in the library.")]}
                    )
            fields["cover"] = cover
        return fields

    def _answer(self, item, status=200):
        item = self.get_queryset().get(pk=item.pk)
        return Response(ContentItemSerializer(item).data, status=status)

    @extend_schema(
        request=ItemWriteSerializer, responses={201: ContentItemSerializer, 400: ErrorSerializer}
    )
    def create(self, request, *args, **kwargs):
        values = self.validated(ItemWriteSerializer)
        if not values.get("unit_code"):
            raise ValidationError({"unit_code": [_("Name the unit by its code.")]})
        item = services.item_create(
            actor=request.user, unit=self.unit_by_code(values["unit_code"]), **self._fields(values)
        )
        return self._answer(item, 201)

    @extend_schema(
        request=ItemWriteSerializer, responses={200: ContentItemSerializer, 400: ErrorSerializer}
    )
    def update(self, request, *args, **kwargs):
        item = self.get_object()
        values = self.validated(ItemWriteSerializer, partial=kwargs.get("partial", False))
        if "version" not in values:
            raise ValidationError({"version": [_("Send the version the text was edited from.")]})
        copy = services.working_copy(item)
        fields = {
            "kind": copy["kind"],
            "title": copy["title"],
            "summary": copy["summary"],
            "body": copy["body"],
            "tasks": list(Task.objects.filter(pk__in=copy["tasks"])),
            "campaigns": list(Campaign.objects.filter(pk__in=copy["campaigns"])),
            "tags": list(copy["tags"]),
            "cover": Asset.objects.filter(pk=copy["cover"]).first() if copy["cover"] else None,
            "document_number": copy["document_number"],
            "document_date": copy["document_date"],
        }
        fields.update(self._fields(values))
        item = services.item_save(
            actor=request.user, item=item, version=values["version"], **fields
        )
        return self._answer(item)

    @extend_schema(request=None, responses={200: ContentItemSerializer, 400: ErrorSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        item = services.item_submit(actor=request.user, item=self.get_object())
        return self._answer(item)

    @extend_schema(
        request=ReviewSerializer, responses={200: ContentItemSerializer, 400: ErrorSerializer}
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        item = self.get_object()
        values = self.validated(ReviewSerializer)
        services.item_review(
            actor=request.user,
            item=item,
            decision=values["decision"],
            comment=values.get("comment", ""),
        )
        return self._answer(item)

    @extend_schema(
        request=ScheduleSerializer, responses={200: ContentItemSerializer, 400: ErrorSerializer}
    )
    @action(detail=True, methods=["post"])
    def schedule(self, request, pk=None):
        item = self.get_object()
        values = self.validated(ScheduleSerializer)
        item = services.item_schedule(
            actor=request.user,
            item=item,
            go_live_at=values["go_live_at"],
            expire_at=values.get("expire_at"),
        )
        return self._answer(item)

    @extend_schema(request=None, responses={200: ContentItemSerializer, 400: ErrorSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        item = self.get_object()
        publish = self.publishing.publish if self.publishing else None
        if publish is None:
            services.item_mark_published(actor=request.user, item=item)
        else:
            publish(actor=request.user, item=item)
        return self._answer(item)

    @extend_schema(
        request=WithdrawSerializer, responses={200: ContentItemSerializer, 400: ErrorSerializer}
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        item = self.get_object()
        reason = self.validated(WithdrawSerializer)["reason"]
        if self.publishing is None:
            services.item_mark_unpublished(
                actor=request.user, item=item, status=ContentStatus.WITHDRAWN, reason=reason
            )
        else:
            self.publishing.withdraw(actor=request.user, item=item, reason=reason)
        return self._answer(item)

    def get_object(self):
        item = super().get_object()
        if self.action != "retrieve" and self.request.method != "GET":
            # Writes need at least the editor's right; the services check the rest.
            require(
                self.request.user,
                Action.EDIT_CONTENT,
                item.unit,
                _("You cannot write content for %(unit)s.") % {"unit": item.unit},
            )
        return item
