"""Read-only API of criteria sets, scoring runs and unit scores, scoped like the pages."""

from rest_framework import serializers, viewsets

from lantoa.orgs.scoped_api import ScopedViewSetMixin

from .models import CriteriaSet, Criterion, CriterionScore, ScoringRun, UnitScore


class CriterionSerializer(serializers.ModelSerializer):
    group = serializers.CharField(source="group.title")

    class Meta:
        model = Criterion
        fields = [
            "id", "group", "code", "title", "max_points", "method", "indicator",
            "indicator_year", "scale", "bands", "target",
        ]  # fmt: skip


class CriteriaSetSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    criteria = serializers.SerializerMethodField()

    class Meta:
        model = CriteriaSet
        fields = [
            "id", "unit", "year", "version", "title", "status", "adopts", "total_points",
            "tie_rule", "tie_breakers", "contest_from", "contest_until", "criteria",
        ]  # fmt: skip

    def get_criteria(self, obj):
        return CriterionSerializer(obj.all_criteria(), many=True).data


class ScoringRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScoringRun
        fields = [
            "id", "criteria_set", "status", "started_at", "computed_at", "locked_at",
            "published_at", "reopened_at", "reopened_reason",
        ]  # fmt: skip


class CriterionScoreSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="criterion.code")

    class Meta:
        model = CriterionScore
        fields = ["code", "value", "value_display", "points", "note", "contest_status"]


class UnitScoreSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    criteria = CriterionScoreSerializer(many=True, read_only=True)

    class Meta:
        model = UnitScore
        fields = ["id", "run", "unit", "total", "rank", "criteria"]


class CriteriaSetViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Criteria sets of the caller's units and of the units above them."""

    queryset = CriteriaSet.objects.select_related("unit")
    serializer_class = CriteriaSetSerializer
    filterset_fields = ["year", "status"]


class ScoringRunViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = ScoringRun.objects.select_related("criteria_set")
    serializer_class = ScoringRunSerializer
    filterset_fields = ["status", "criteria_set"]


class UnitScoreViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Scores of the caller's units (a unit sees its own, its focal point every unit below)."""

    queryset = UnitScore.objects.select_related("unit").prefetch_related("criteria__criterion")
    serializer_class = UnitScoreSerializer
    filterset_fields = ["run"]
