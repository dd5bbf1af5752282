"""Activities over the API (mounted under /api/v1/): list, read, record."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from lantoa.core.api import ErrorSerializer, ScopedViewSetMixin
from lantoa.orgs import selectors as org_selectors
from lantoa.plans.models import Task

from . import services
from .choices import COUNT_FIELDS, ActivityKind
from .models import Activity


class ActivitySerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "unit",
            "unit_code",
            "kind",
            "date",
            "title",
            "description",
            *COUNT_FIELDS,
            "tasks",
            "evidence",
            "origin",
        ]

    def get_evidence(self, activity) -> list[str]:
        return [e.url or e.original_name for e in activity.evidence.all()]


class ActivityWriteSerializer(serializers.Serializer):
    unit_code = serializers.CharField()
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    date = serializers.DateField()
    title = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True)
    tasks = serializers.ListField(child=serializers.IntegerField(), required=False)
    links = serializers.ListField(child=serializers.URLField(), required=False)


for _field in COUNT_FIELDS:
    ActivityWriteSerializer._declared_fields[_field] = serializers.IntegerField(
        required=False, allow_null=True
    )


class ActivityViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Activities of the units the caller covers; recording one needs the reporter's right."""

    queryset = Activity.objects.select_related("unit").prefetch_related("evidence", "tasks")
    serializer_class = ActivitySerializer
    filterset_fields = ["kind", "date"]
    scoped_filters = {"unit": "unit"}

    @extend_schema(
        request=ActivityWriteSerializer, responses={201: ActivitySerializer, 400: ErrorSerializer}
    )
    def create(self, request, *args, **kwargs):
        data = ActivityWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        unit = (
            org_selectors.unit_list(viewer=request.user)
            .filter(code__iexact=values["unit_code"])
            .first()
        )
        if unit is None:
            raise ValidationError(
                {"unit_code": [_("No unit with this code in your part of the tree.")]}
            )
        activity = services.activity_record(
            actor=request.user,
            unit=unit,
            kind=values["kind"],
            date=values["date"],
            title=values["title"],
            description=values.get("description", ""),
            counts={f: values.get(f) for f in COUNT_FIELDS},
            tasks=list(Task.objects.filter(pk__in=values.get("tasks", []))),
            links=values.get("links", []),
        )
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)
