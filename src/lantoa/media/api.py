"""The library over the API (mounted under /api/v1/assets/): list and search, read, upload.
Scoped as the pages are: the caller's subtree and the collections shared down to it."""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from lantoa.core.api import ErrorSerializer
from lantoa.orgs import selectors as org_selectors
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_params
from lantoa.orgs.scoped_api import ScopedViewSetMixin

from . import files, selectors, services
from .choices import AssetKind, Consent, Licence
from .models import Asset


class AssetSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    file_url = serializers.SerializerMethodField()
    renditions = serializers.SerializerMethodField()

    class Meta:
        model = Asset
        fields = [
            "id",
            "unit",
            "unit_code",
            "kind",
            "status",
            "title",
            "description",
            "author",
            "taken_on",
            "place",
            "licence",
            "rights",
            "consent",
            "tags",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "width",
            "height",
            "duration",
            "created_at",
            "file_url",
            "renditions",
        ]

    def get_file_url(self, asset) -> str:
        return reverse("media:asset-file", args=[asset.pk])

    def get_renditions(self, asset) -> dict:
        """``{"thumb": url, "web": url, "poster": url}``, those made so far."""
        return {
            r.spec: reverse("media:asset-rendition", args=[asset.pk, r.spec])
            for r in asset.renditions.all()
            if r.spec in files.SPECS
        }


class AssetUploadSerializer(serializers.Serializer):
    unit_code = serializers.CharField(max_length=32)
    file = serializers.FileField()
    title = serializers.CharField(max_length=255, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    author = serializers.CharField(max_length=255, required=False, allow_blank=True)
    taken_on = serializers.DateField(required=False, allow_null=True)
    place = serializers.CharField(max_length=255, required=False, allow_blank=True)
    licence = serializers.ChoiceField(choices=Licence.choices)
    rights = serializers.CharField(max_length=500, required=False, allow_blank=True)
    consent = serializers.ChoiceField(choices=Consent.choices, default=Consent.NOT_NEEDED)
    tags = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    allow_duplicate = serializers.BooleanField(default=False)


class AssetViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Files of the library the caller sees. ``?q=`` searches without diacritics; ``?kind=``,
    ``?tag=`` (slug), ``?month=YYYY-MM`` and ``?unit=`` (id) narrow the list. Uploading needs
    the editor's right on the unit; the same bytes already in the library answer 409 with
    the existing asset, pictures that look the same 409 with the candidates (send
    ``allow_duplicate=true`` to add it anyway)."""

    queryset = Asset.objects.all()
    serializer_class = AssetSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        assets, _applied = selectors.asset_search(
            viewer=self.request.user,
            params=self.request.query_params if self.action == "list" else {},
        )
        return assets.select_related("unit").prefetch_related("tags", "renditions")

    def filter_queryset(self, queryset):
        # ``?unit=`` is read through the scope (malformed 400, foreign 404) and covers its subtree
        unit = scoped_params(self.request.query_params, self.request.user, ["unit"]).get("unit")
        if unit is not None:
            queryset = queryset.filter(unit__path__startswith=unit.path)
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="words, with or without diacritics"),
            OpenApiParameter("kind", str, enum=AssetKind.values),
            OpenApiParameter("tag", str, description="a tag's slug"),
            OpenApiParameter("month", str, description="YYYY-MM"),
            OpenApiParameter("unit", int, description="a unit's id: its subtree"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": AssetUploadSerializer},
        responses={201: AssetSerializer, 400: ErrorSerializer, 409: AssetSerializer(many=True)},
    )
    def create(self, request, *args, **kwargs):
        data = AssetUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        unit = (
            org_selectors.unit_list(viewer=request.user, action=Action.EDIT_CONTENT)
            .filter(code__iexact=values["unit_code"])
            .first()
        )
        if unit is None:
            raise ValidationError(
                {"unit_code": [_("No unit with this code whose library you can add to.")]}
            )
        upload = values["file"]
        try:
            asset = services.asset_upload(
                actor=request.user,
                unit=unit,
                name=upload.name,
                data=upload,
                title=values.get("title", ""),
                description=values.get("description", ""),
                author=values.get("author", ""),
                taken_on=values.get("taken_on"),
                place=values.get("place", ""),
                licence=values["licence"],
                rights=values.get("rights", ""),
                consent=values["consent"],
                tags=values.get("tags", ""),
                allow_duplicate=values["allow_duplicate"],
            )
        except services.DuplicateAsset as duplicate:
            return Response(
                {
                    "detail": duplicate.messages[0],
                    "existing": AssetSerializer(duplicate.existing).data,
                },
                status=status.HTTP_409_CONFLICT,
            )
        except services.PossibleDuplicates as similar:
            return Response(
                {
                    "detail": similar.messages[0],
                    "candidates": AssetSerializer(similar.candidates, many=True).data,
                },
                status=status.HTTP_409_CONFLICT,
            )
        asset = self.get_queryset().get(pk=asset.pk)
        return Response(AssetSerializer(asset).data, status=status.HTTP_201_CREATED)
