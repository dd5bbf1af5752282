"""State-funded S&T tasks over the API (/api/v1/st-tasks/): scoped like the pages. A task under
state secret is listed and readable only by users who may RECORD for its host unit (the same
``restrict``); anonymous callers get nothing (the API needs a login)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from lantoa.activities.models import Activity
from lantoa.content.models import ContentItem
from lantoa.core.api import ErrorSerializer
from lantoa.orgs import selectors as org_selectors
from lantoa.orgs.scoped_api import ScopedViewSetMixin

from . import sttasks_services as services
from .models import STTask
from .sttasks_choices import MAX_AMOUNT, STTaskLevel, STTaskStatus


class STTaskSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = STTask
        fields = ["id", "unit", "unit_code", *services.FIELDS, "content_items", "activities"]


class STTaskWriteSerializer(serializers.Serializer):
    unit_code = serializers.CharField(max_length=32)
    code = serializers.CharField(max_length=64)
    title = serializers.CharField(max_length=500)
    level = serializers.ChoiceField(choices=STTaskLevel.choices)
    host_organisation = serializers.CharField(max_length=255)
    lead_researcher = serializers.CharField(max_length=255, required=False, allow_blank=True)
    budget = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_AMOUNT
    )
    start_year = serializers.IntegerField(min_value=2000, max_value=2100)
    end_year = serializers.IntegerField(min_value=2000, max_value=2100)
    status = serializers.ChoiceField(choices=STTaskStatus.choices, required=False)
    registered = serializers.BooleanField(required=False)
    registration_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    registration_date = serializers.DateField(required=False, allow_null=True)
    secret = serializers.BooleanField(required=False)
    content_items = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=500,
    )
    activities = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=500,
    )


class STTaskViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """The S&T tasks of the units the caller covers (a state secret only for those who record
    for its host unit); recording or correcting one needs the right to record."""

    queryset = STTask.objects.select_related("unit").prefetch_related("content_items", "activities")
    serializer_class = STTaskSerializer
    filterset_fields = ["status", "level", "registered"]
    scoped_filters = {"unit": "unit"}

    def _unit(self, code):
        unit = org_selectors.unit_list(viewer=self.request.user).filter(code__iexact=code).first()
        if unit is None:
            raise ValidationError(
                {"unit_code": [_("No unit with this code in your part of the tree.")]}
            )
        return unit

    def _links(self, values):
        user = self.request.user
        items = events = None
        if "content_items" in values:
            items = list(ContentItem.objects.restrict(user).filter(pk__in=values["content_items"]))
        if "activities" in values:
            events = list(Activity.objects.restrict(user).filter(pk__in=values["activities"]))
        if (items is not None and len(items) < len(set(values["content_items"]))) or (
            events is not None and len(events) < len(set(values["activities"]))
        ):
            raise ValidationError(
                {"detail": [_("A linked content item or event is outside your part of the tree.")]}
            )
        return items, events

    @extend_schema(
        request=STTaskWriteSerializer, responses={201: STTaskSerializer, 400: ErrorSerializer}
    )
    def create(self, request, *args, **kwargs):
        data = STTaskWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        items, events = self._links(values)
        task = services.sttask_create(
            actor=request.user,
            unit=self._unit(values.pop("unit_code")),
            values={k: v for k, v in values.items() if k in services.FIELDS},
            content_items=items or [],
            activities=events or [],
        )
        return Response(STTaskSerializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=STTaskWriteSerializer, responses={200: STTaskSerializer, 400: ErrorSerializer}
    )
    def update(self, request, *args, **kwargs):
        task = self.get_object()
        data = STTaskWriteSerializer(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        items, events = self._links(values)
        task = services.sttask_edit(
            actor=request.user,
            task=task,
            unit=self._unit(values.pop("unit_code")) if "unit_code" in values else None,
            values={k: v for k, v in values.items() if k in services.FIELDS},
            content_items=items,
            activities=events,
        )
        return Response(STTaskSerializer(self.get_queryset().get(pk=task.pk)).data)
