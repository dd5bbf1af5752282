"""Activities over the API (mounted under /api/v1/): list, read, record, edit, withdraw."""

import hashlib
import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from lantoa.core.api import ErrorSerializer
from lantoa.orgs.audit import AlreadySaved
from lantoa.orgs.scoped_api import ScopedViewSetMixin
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
            "withdrawn_at",
            "withdrawn_reason",
        ]

    def get_evidence(self, activity) -> list[dict]:
        """Each link, or each file with the addresses that serve it through the caller's scope."""
        rows = []
        for e in activity.evidence.all():
            if e.url:
                rows.append({"id": e.pk, "url": e.url})
                continue
            row = {
                "id": e.pk,
                "name": e.original_name,
                "content_type": e.content_type,
                "download": reverse("activities:evidence-download", args=[e.pk]),
            }
            if e.has_thumbnail:
                row["thumbnail"] = reverse("activities:evidence-thumbnail", args=[e.pk])
                row["preview"] = reverse("activities:evidence-preview", args=[e.pk])
            rows.append(row)
        return rows


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ActivityWriteSerializer(serializers.Serializer):
    unit_code = serializers.CharField()
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    date = serializers.DateField()
    title = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True)
    tasks = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False
    )
    links = serializers.ListField(child=serializers.URLField(), required=False)


for _field in COUNT_FIELDS:
    ActivityWriteSerializer._declared_fields[_field] = serializers.IntegerField(
        required=False, allow_null=True
    )


class ActivityViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Activities of the units the caller covers; recording, correcting or withdrawing one
    needs the reporter's right. Withdrawn activities are left out of the list unless
    ``?withdrawn=1`` asks for them alone; each stays readable by its id."""

    queryset = Activity.objects.select_related("unit").prefetch_related("evidence", "tasks")
    serializer_class = ActivitySerializer
    filterset_fields = ["kind", "date"]
    scoped_filters = {"unit": "unit"}
    # ``after_activity(activity, before=None)``: the reports' refresh after a change. Reporting
    # sits above activities, so the composition root (lantoa.urls) gives it: ``given(...)``.
    after_activity = None

    @classmethod
    def given(cls, *, after_activity):
        """This viewset with reporting's refresh after every write (the pages call the same)."""
        return cls.with_attrs(after_activity=staticmethod(after_activity))

    def get_queryset(self):
        activities = super().get_queryset()
        if self.action != "list":
            return activities
        return activities.listed(self.request.query_params.get("withdrawn") == "1")

    @extend_schema(parameters=[OpenApiParameter("withdrawn", str, description="1: withdrawn only")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=ActivityWriteSerializer, responses={201: ActivitySerializer, 400: ErrorSerializer}
    )
    def create(self, request, *args, **kwargs):
        values = self.validated(ActivityWriteSerializer)
        # The same key with another body is refused: the key binds what was first sent.
        fingerprint = hashlib.sha256(
            json.dumps(request.data, sort_keys=True, default=str).encode()
        ).hexdigest()[:40]
        try:
            activity = services.activity_record(
                actor=request.user,
                unit=self.unit_by_code(values["unit_code"]),
                kind=values["kind"],
                date=values["date"],
                title=values["title"],
                description=values.get("description", ""),
                counts={f: values.get(f) for f in COUNT_FIELDS},
                tasks=list(Task.objects.filter(pk__in=values.get("tasks", []))),
                links=values.get("links", []),
                key=(request.headers.get("Idempotency-Key") or "")[:64] or None,
                fingerprint=fingerprint,
            )
        except AlreadySaved as repeat:
            # The same request sent again (same Idempotency-Key): the first one's answer.
            existing = self.get_queryset().filter(pk=repeat.existing or 0).first()
            if existing is None:
                raise
            return Response(ActivitySerializer(existing).data, status=status.HTTP_200_OK)
        except DjangoValidationError as error:
            if getattr(error, "code", None) != "key_reused":
                raise
            return Response(
                {"detail": error.messages[0]}, status=status.HTTP_422_UNPROCESSABLE_ENTITY
            )
        self.after_activity(activity)
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ActivityWriteSerializer, responses={200: ActivitySerializer, 400: ErrorSerializer}
    )
    def update(self, request, *args, **kwargs):
        """Correct an activity (PUT: every field; PATCH: those sent). ``links`` are added."""
        activity = self.get_object()
        values = self.validated(ActivityWriteSerializer, partial=kwargs.get("partial", False))
        before = (activity.unit.path, activity.date)
        activity = services.activity_edit(
            actor=request.user,
            activity=activity,
            unit=self.unit_by_code(values["unit_code"]) if "unit_code" in values else activity.unit,
            kind=values.get("kind", activity.kind),
            date=values.get("date", activity.date),
            title=values.get("title", activity.title),
            description=values.get("description", activity.description),
            counts={f: values[f] if f in values else getattr(activity, f) for f in COUNT_FIELDS},
            tasks=list(Task.objects.filter(pk__in=values["tasks"]))
            if "tasks" in values
            else list(activity.tasks.all()),
            links=values.get("links", []),
        )
        self.after_activity(activity, before=before)
        return Response(ActivitySerializer(self.get_queryset().get(pk=activity.pk)).data)

    @extend_schema(
        request=WithdrawSerializer, responses={200: ActivitySerializer, 400: ErrorSerializer}
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw an activity: it stays on the record and counts nowhere."""
        activity = self.get_object()
        activity = services.activity_withdraw(
            actor=request.user,
            activity=activity,
            reason=self.validated(WithdrawSerializer)["reason"],
        )
        self.after_activity(activity)
        return Response(ActivitySerializer(self.get_queryset().get(pk=activity.pk)).data)
