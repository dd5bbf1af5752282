"""Budget estimates over the API (/api/v1/budget-estimates/): each with its allocations, spending
and execution, scoped like the pages; recording an estimate needs the right to record."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from lantoa.core.api import ErrorSerializer
from lantoa.orgs.filters import scoped_object
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoped_api import ScopedViewSetMixin
from lantoa.plans.models import Task

from . import budget_services as services
from .models import BudgetEstimate
from .sttasks_choices import MAX_AMOUNT


class EstimateSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    allocated = serializers.SerializerMethodField()
    spent = serializers.SerializerMethodField()
    over = serializers.SerializerMethodField()

    class Meta:
        model = BudgetEstimate
        fields = [
            "id",
            "unit",
            "unit_code",
            "task",
            "year",
            "amount",
            "note",
            "allocated",
            "spent",
            "over",
        ]

    def get_allocated(self, estimate) -> int:
        return sum(a.amount for a in estimate.allocations.all())

    def get_spent(self, estimate) -> int:
        return sum(s.amount for s in estimate.spendings.all())

    def get_over(self, estimate) -> bool:
        return self.get_spent(estimate) > self.get_allocated(estimate)


class EstimateWriteSerializer(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    task = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    amount = serializers.IntegerField(min_value=0, max_value=MAX_AMOUNT)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class BudgetEstimateViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    queryset = BudgetEstimate.objects.select_related("unit").prefetch_related(
        "allocations", "spendings"
    )
    serializer_class = EstimateSerializer
    filterset_fields = ["year", "task"]
    scoped_filters = {"unit": "unit"}

    @extend_schema(
        request=EstimateWriteSerializer, responses={201: EstimateSerializer, 400: ErrorSerializer}
    )
    def create(self, request, *args, **kwargs):
        data = EstimateWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        unit = scoped_object(request.user, OrgUnit, values.pop("unit"), name="unit")
        task = Task.objects.restrict(request.user).filter(pk=values.pop("task")).first()
        if task is None:
            raise ValidationError({"task": ["Not found."]})
        estimate = services.estimate_save(actor=request.user, unit=unit, task=task, **values)
        return Response(
            EstimateSerializer(self.get_queryset().get(pk=estimate.pk)).data,
            status=status.HTTP_201_CREATED,
        )
