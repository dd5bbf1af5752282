"""Indicator values per unit and period for other systems (the national NQ57 monitoring
system): JSON by default, CSV with ``?format=csv``."""

import csv
import io

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from lantoa.analytics.computation import compute_all
from lantoa.core.text import csv_cell
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_param
from lantoa.orgs.scoping import can

from .models import ReportingPeriod
from .periods import period_units

COLUMNS = [
    "unit_code",
    "unit_name",
    "period_start",
    "period_end",
    "indicator",
    "numerator",
    "denominator",
    "value",
    "unit",
]


class CSVRenderer(BaseRenderer):
    """Rows of flat dicts as CSV (UTF-8 with a BOM so Excel opens Vietnamese text right)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        if isinstance(data, list):
            writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in data)
        else:
            writer = csv.writer(out)
            for key, value in dict(data).items():
                writer.writerow([csv_cell(key), csv_cell(value)])
        return ("\ufeff" + out.getvalue()).encode("utf-8")


class IndicatorValuesView(APIView):
    """Values of every standard indicator for the period's issuing unit and each unit reporting
    to it, each over its whole subtree."""

    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter("period", int, required=True, description="Id of a reporting period"),
            OpenApiParameter("format", str, enum=["json", "csv"]),
        ],
        responses=inline_serializer(
            "IndicatorValue",
            {c: serializers.CharField(allow_null=True) for c in COLUMNS},
            many=True,
        ),
    )
    def get(self, request, *args, **kwargs):
        period = scoped_param(
            request.query_params,
            "period",
            request.user,
            ReportingPeriod.objects.select_related("plan__unit"),
            required=True,
        )
        issuer = period.plan.unit
        if not can(request.user, Action.VIEW, issuer):
            raise PermissionDenied(_("You do not have permission to do this."))
        rows = []
        for unit in [issuer, *period_units(period)]:
            for value in compute_all(unit=unit, start=period.start, end=period.end):
                rows.append(
                    {
                        "unit_code": unit.code,
                        "unit_name": unit.name,
                        "period_start": period.start.isoformat(),
                        "period_end": period.end.isoformat(),
                        "indicator": value.code,
                        "numerator": None if value.numerator is None else str(value.numerator),
                        "denominator": None
                        if value.denominator is None
                        else str(value.denominator),
                        "value": None if value.value is None else str(value.value),
                        "unit": value.unit,
                    }
                )
        if request.accepted_renderer.format == "csv":
            name = f"indicators-{issuer.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
            return Response(rows, headers={"Content-Disposition": f'attachment; filename="{name}"'})
        return Response(rows)
