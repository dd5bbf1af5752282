"""The trainings register over the API (/api/v1/training-programmes/): list, read, create,
scoped like the pages; writes through the same services."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_object
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoped_api import ScopedViewSetMixin

from . import trainings_services as services
from .models.trainings import TrainingFormat, TrainingProgramme


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    date = serializers.DateField(read_only=True)
    place = serializers.CharField(read_only=True)
    trainer = serializers.CharField(read_only=True)
    trainees = serializers.IntegerField(source="trainees.count", read_only=True)
    activity = serializers.IntegerField(source="activity_id", read_only=True)


class ProgrammeSerializer(serializers.ModelSerializer):
    unit = serializers.IntegerField(source="unit_id")
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    format = serializers.ChoiceField(
        choices=TrainingFormat.choices, default=TrainingFormat.IN_PERSON
    )
    sessions = SessionSerializer(many=True, read_only=True)

    class Meta:
        model = TrainingProgramme
        fields = [
            "id",
            "unit",
            "unit_code",
            "title",
            "topic",
            "for_communication_staff",
            "starts_on",
            "ends_on",
            "format",
            "hours",
            "sessions",
        ]


def django_errors(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"detail": error.messages})


class TrainingProgrammeViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = TrainingProgramme.objects.select_related("unit").prefetch_related("sessions")
    serializer_class = ProgrammeSerializer
    scoped_filters = {"unit": "unit"}

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        unit = scoped_object(request.user, OrgUnit, data.pop("unit_id"), Action.RECORD, name="unit")
        try:
            programme = services.programme_save(actor=request.user, unit=unit, **data)
        except DjangoValidationError as error:
            raise django_errors(error) from error
        return Response(ProgrammeSerializer(programme).data, status=status.HTTP_201_CREATED)
