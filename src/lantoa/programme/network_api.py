"""The communication network over the API (/api/v1/network-members/): list, read, create,
scoped like the pages. Contacts as the pages show them: masked unless the caller manages the
member's unit, absent without consent."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_object
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoped_api import ScopedViewSetMixin

from . import network_services as services
from .models.network import MemberKind, NetworkMember
from .network_selectors import contact_of
from .trainings_api import django_errors


class MemberSerializer(serializers.ModelSerializer):
    unit = serializers.IntegerField(source="unit_id")
    kind = serializers.ChoiceField(choices=MemberKind.choices)
    phone = serializers.CharField(required=False, allow_blank=True, write_only=True)
    email = serializers.CharField(required=False, allow_blank=True, write_only=True)
    contact = serializers.SerializerMethodField()
    has_consent = serializers.BooleanField(read_only=True)

    class Meta:
        model = NetworkMember
        fields = [
            "id",
            "unit",
            "kind",
            "name",
            "organisation",
            "field",
            "phone",
            "email",
            "consent_on",
            "consent_withdrawn_on",
            "has_consent",
            "contact",
        ]

    def get_contact(self, member) -> dict:
        request = self.context.get("request")
        contact = contact_of(getattr(request, "user", None), member)
        return {"phone": contact["phone"], "email": contact["email"]}


class NetworkMemberViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = NetworkMember.objects.select_related("unit")
    serializer_class = MemberSerializer
    scoped_filters = {"unit": "unit"}

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        unit = scoped_object(request.user, OrgUnit, data.pop("unit_id"), Action.RECORD, name="unit")
        try:
            member = services.member_save(actor=request.user, unit=unit, **data)
        except DjangoValidationError as error:
            raise django_errors(error) from error
        body = MemberSerializer(member, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)
