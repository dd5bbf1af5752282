"""REST API of the org tree, memberships and tokens (mounted under /api/v1/)."""

from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.models import get_token_model
from knox.settings import knox_settings
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from lantoa.core.api import ErrorSerializer
from lantoa.core.clientip import client_ip
from lantoa.core.text import fold
from lantoa.core.views import lockout
from lantoa.orgs.scoped_api import ScopedViewSetMixin

from . import selectors, services
from .choices import Role, UnitKind
from .filters import scoped_param
from .models import Membership, OrgUnit, User


def with_parent(queryset):
    """Annotate each unit with its parent's id and code in the same query (no N+1)."""
    parents = OrgUnit.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - OrgUnit.steplen)
    )
    return queryset.annotate(
        parent_id=Subquery(parents.values("pk")[:1]),
        parent_code=Subquery(parents.values("code")[:1]),
    )


class UnitSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    level = serializers.CharField(read_only=True)
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)
    parent_code = serializers.CharField(read_only=True, allow_null=True)
    children_count = serializers.IntegerField(source="numchild", read_only=True)

    class Meta:
        model = OrgUnit
        fields = [
            "id", "code", "name", "kind", "kind_label", "level", "depth",
            "parent", "parent_code", "children_count", "is_active",
        ]  # fmt: skip


class UnitWriteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=UnitKind.choices)
    parent_code = serializers.CharField(
        max_length=32,
        required=False,
        help_text="Code of the parent unit; changing it moves the unit.",
    )


class UnitFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label="Accent-insensitive name or code")
    under = filters.CharFilter(method="filter_under", label="Code of a unit: its whole subtree")
    parent = filters.CharFilter(method="filter_parent", label="Id of a unit: its direct children")
    kind = filters.ChoiceFilter(choices=UnitKind.choices)
    code = filters.CharFilter(field_name="code", lookup_expr="iexact")
    depth = filters.NumberFilter()

    class Meta:
        model = OrgUnit
        fields = ["q", "under", "parent", "kind", "code", "depth"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value) if fold(value) else queryset

    def filter_under(self, queryset, name, value):
        # A code, read through the caller's scope: a unit outside it is not found (404).
        unit = selectors.unit_list(viewer=self.request.user).filter(code__iexact=value).first()
        if unit is None:
            raise NotFound()
        return queryset.filter(path__startswith=unit.path)

    def filter_parent(self, queryset, name, value):
        # An id, read as every id is (lantoa.orgs.filters): malformed 400, foreign 404.
        unit = scoped_param({name: value}, name, self.request.user, OrgUnit.objects.all())
        if unit is None:
            return queryset
        return queryset.filter(path__startswith=unit.path, depth=unit.depth + 1)


class UnitViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """Units of the org tree that the caller covers. Writes go through the org services."""

    queryset = OrgUnit.objects.all()
    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return with_parent(super().get_queryset()).order_by("path")

    def _parent_in_scope(self, code: str) -> OrgUnit:
        parent = (
            selectors.unit_list(viewer=self.request.user).filter(code__iexact=code.strip()).first()
        )
        if parent is None:
            raise ValidationError(
                {"parent_code": [_("No unit with this code in your part of the tree.")]}
            )
        return parent

    def _respond(self, unit, status_code=status.HTTP_200_OK):
        unit = self.get_queryset().get(pk=unit.pk)
        return Response(UnitSerializer(unit).data, status=status_code)

    @extend_schema(
        request=UnitWriteSerializer, responses={201: UnitSerializer, 400: ErrorSerializer}
    )
    def create(self, request, *args, **kwargs):
        data = UnitWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not data.validated_data.get("parent_code"):
            raise ValidationError({"parent_code": [_("This field is required.")]})
        parent = self._parent_in_scope(data.validated_data["parent_code"])
        unit = services.unit_create(
            actor=request.user,
            parent=parent,
            code=data.validated_data["code"],
            name=data.validated_data["name"],
            kind=data.validated_data["kind"],
        )
        return self._respond(unit, status.HTTP_201_CREATED)

    @extend_schema(
        request=UnitWriteSerializer, responses={200: UnitSerializer, 400: ErrorSerializer}
    )
    def update(self, request, *args, **kwargs):
        unit = self.get_object()
        partial = kwargs.get("partial", False)
        data = UnitWriteSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = {"code": unit.code, "name": unit.name, "kind": unit.kind, **data.validated_data}
        new_parent_code = values.pop("parent_code", None)
        unit = services.unit_update(actor=request.user, unit=unit, **values)
        current_parent = OrgUnit.objects.get_parent(unit)
        if new_parent_code and (
            current_parent is None or new_parent_code.strip().upper() != current_parent.code
        ):
            unit = services.unit_move(
                actor=request.user, unit=unit, new_parent=self._parent_in_scope(new_parent_code)
            )
        return self._respond(unit)


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "username",
            "full_name",
            "unit",
            "unit_code",
            "unit_name",
            "role",
            "role_label",
            "created_at",
        ]


class MembershipGrantSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    unit_code = serializers.CharField(max_length=32)
    role = serializers.ChoiceField(choices=Role.choices)


class MembershipViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Who holds which role where, within the caller's part of the tree."""

    queryset = Membership.objects.select_related("user", "unit").order_by("unit__path", "pk")
    serializer_class = MembershipSerializer
    filterset_fields = ["role"]
    scoped_filters = {"unit": "unit"}

    @extend_schema(
        request=MembershipGrantSerializer,
        responses={201: MembershipSerializer, 400: ErrorSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = MembershipGrantSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = (
            selectors.unit_list(viewer=request.user)
            .filter(code__iexact=data.validated_data["unit_code"])
            .first()
        )
        if unit is None:
            raise ValidationError(
                {"unit_code": [_("No unit with this code in your part of the tree.")]}
            )
        membership = services.membership_grant_named(
            actor=request.user,
            username=data.validated_data["username"],
            unit=unit,
            role=data.validated_data["role"],
        )
        if membership is None:
            raise ValidationError({"username": [str(services.NOT_IN_SCOPE)]})
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.membership_revoke(actor=self.request.user, membership=instance)


class MeView(APIView):
    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "full_name": serializers.CharField(),
                "is_superuser": serializers.BooleanField(),
                "memberships": MembershipSerializer(many=True),
            },
        )
    )
    def get(self, request, *args, **kwargs):
        user = request.user
        return Response(
            {
                "username": user.username,
                "full_name": user.full_name,
                "is_superuser": user.is_superuser,
                "memberships": MembershipSerializer(
                    selectors.memberships_of(user=user), many=True
                ).data,
            }
        )


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class ClientThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, knowing the client by lantoa.core.clientip (one rule for the
    lockout, the throttle and the rate limits)."""

    def get_ident(self, request):
        return client_ip(request)


def token_limit() -> int | None:
    return knox_settings.TOKEN_LIMIT_PER_USER


class TokenView(APIView):
    """Exchange a user name and password for a personal access token (sent once, stored hashed)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ClientThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer(
                "Token", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}
            ),
            400: OpenApiResponse(ErrorSerializer, description="Wrong user name or password"),
            429: OpenApiResponse(ErrorSerializer, description="Locked after repeated failures"),
        },
    )
    def post(self, request, *args, **kwargs):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request=request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if getattr(request._request, "axes_locked_out", False):
            return lockout(request._request)
        if user is None or not user.is_active:
            return Response(
                {"detail": _("Wrong user name or password.")}, status=status.HTTP_400_BAD_REQUEST
            )
        limit = token_limit()
        with transaction.atomic():
            # The account's row locked: two sign-ins at once cannot both take the last place.
            User.objects.select_for_update().filter(pk=user.pk).first()
            tokens = get_token_model().objects.filter(user=user)
            tokens.filter(expiry__lt=timezone.now()).delete()
            if limit is not None and tokens.count() >= limit:
                return Response(
                    {
                        "detail": _(
                            "This account already has %(limit)d access tokens, the most allowed. "
                            "Revoke one you no longer use (or change the password, which ends "
                            "them all) and try again."
                        )
                        % {"limit": limit}
                    },
                    status=status.HTTP_403_FORBIDDEN,
                )
            instance, token = get_token_model().objects.create(user=user)
        return Response({"token": token, "expiry": instance.expiry})


class TokenRevokeView(APIView):
    """Revoke the token this request was made with."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request, *args, **kwargs):
        if request.auth is None or not hasattr(request.auth, "delete"):
            raise NotFound(_("This request was not made with an access token."))
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
