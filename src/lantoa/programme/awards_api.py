"""Awards over the API (mounted under /api/v1/): nominations listed, read and made through the
reader's scope; the register of decisions read."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from lantoa.core.api import ErrorSerializer
from lantoa.orgs import selectors as org_selectors
from lantoa.orgs.choices import Action
from lantoa.orgs.models import Person
from lantoa.orgs.scoped_api import ScopedViewSetMixin

from . import awards_services as services
from .models.awards import AwardDecision, AwardLevel, AwardNomination, NominationKind


class NominationSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    person_name = serializers.CharField(source="person.full_name", read_only=True, default="")

    class Meta:
        model = AwardNomination
        fields = [
            "id", "unit", "unit_code", "kind", "person", "person_name", "year", "achievement",
            "proposed_level", "status", "review_note",
        ]  # fmt: skip


class NominationWriteSerializer(serializers.Serializer):
    unit_code = serializers.CharField(max_length=32)
    kind = serializers.ChoiceField(choices=NominationKind.choices)
    person = serializers.IntegerField(required=False, allow_null=True)
    year = serializers.IntegerField()
    achievement = serializers.CharField(max_length=4000)
    proposed_level = serializers.ChoiceField(choices=AwardLevel.choices)


class DecisionSerializer(serializers.ModelSerializer):
    nomination = NominationSerializer(read_only=True)

    class Meta:
        model = AwardDecision
        fields = ["id", "number", "date", "level", "nomination", "activity"]


class NominationViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = AwardNomination.objects.select_related("unit", "person")
    serializer_class = NominationSerializer
    scoped_filters = {"unit": "unit"}

    @extend_schema(
        request=NominationWriteSerializer,
        responses={201: NominationSerializer, 400: ErrorSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = NominationWriteSerializer(data=request.data)
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
        person = None
        if values.get("person"):
            person = (
                Person.objects.restrict(request.user, Action.VIEW)
                .filter(pk=values["person"])
                .first()
            )
            if person is None:
                raise ValidationError(
                    {"person": [_("This person is not on the unit's people list.")]}
                )
        nomination = services.award_nominate(
            actor=request.user,
            unit=unit,
            kind=values["kind"],
            person=person,
            year=values["year"],
            achievement=values["achievement"],
            proposed_level=values["proposed_level"],
        )
        return Response(NominationSerializer(nomination).data, status=status.HTTP_201_CREATED)


class AwardDecisionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = AwardDecision.objects.select_related("nomination__unit", "nomination__person")
    serializer_class = DecisionSerializer
