"""Read API of plans (mounted under /api/v1/): plans with targets and tasks, scoped like pages."""

from rest_framework import serializers, viewsets

from lantoa.orgs.scoped_api import ScopedViewSetMixin

from .choices import AssignmentRole
from .models import Plan, Target, Task


class TargetSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code", allow_null=True, default=None)

    class Meta:
        model = Target
        fields = ["id", "year", "comparator", "value", "unit", "text", "indicator"]


class TaskSerializer(serializers.ModelSerializer):
    lead = serializers.SerializerMethodField()
    support = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "group",
            "text",
            "timing",
            "due_year",
            "due_text",
            "due_date",
            "output",
            "status",
            "lead",
            "support",
        ]

    def _names(self, task, role) -> list[str]:
        return [str(a) for a in task.assignments.all() if a.role == role]

    def get_lead(self, task) -> list[str]:
        return self._names(task, AssignmentRole.LEAD)

    def get_support(self, task) -> list[str]:
        return self._names(task, AssignmentRole.SUPPORT)


class PlanSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    issuer = serializers.CharField(read_only=True)
    references = serializers.SerializerMethodField()
    report_deadlines = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = [
            "id", "number", "kind", "issued_on", "issuer", "title", "status", "unit", "unit_code",
            "unit_name", "references", "report_deadlines",
        ]  # fmt: skip

    def get_references(self, plan) -> list[dict]:
        return [{"reference": b.reference, "plan": b.parent_id} for b in plan.legal_bases.all()]

    def get_report_deadlines(self, plan) -> list[dict]:
        return [{"day": d.day, "month": d.month} for d in plan.report_deadlines.all()]


class PlanDetailSerializer(PlanSerializer):
    targets = TargetSerializer(many=True, read_only=True)
    tasks = TaskSerializer(many=True, read_only=True)

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "targets", "tasks"]


class PlanViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Plans of the units the caller covers."""

    queryset = Plan.objects.select_related("unit").prefetch_related(
        "legal_bases", "report_deadlines"
    )
    # "unit" stays a plain filter: plans are seen down the chain (a school sees its commune's),
    # beyond the units the caller may open.
    filterset_fields = ["status", "unit", "number"]

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action == "retrieve" else PlanSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("targets__indicator", "tasks__assignments__unit")
        return queryset


class TaskViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Tasks of the plans the caller covers."""

    queryset = Task.objects.prefetch_related("assignments__unit").order_by("plan_id", "order")
    serializer_class = TaskSerializer
    filterset_fields = ["timing", "status", "due_year", "due_date"]
    scoped_filters = {"plan": "plan"}
