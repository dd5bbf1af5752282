"""REST API of channel accounts (read-only; never a token)."""

from rest_framework import serializers, viewsets

from lantoa.orgs.scoped_api import ScopedViewSetMixin

from .models import ChannelAccount


class ChannelAccountSerializer(serializers.ModelSerializer):
    platform_label = serializers.CharField(source="get_platform_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ChannelAccount
        # Never access_token nor refresh_token.
        fields = [
            "id", "unit", "platform", "platform_label", "name", "remote_id", "status",
            "status_label", "status_reason", "token_expires_at", "answers_questions",
            "connected_at", "refreshed_at",
        ]  # fmt: skip
        read_only_fields = fields


class ChannelAccountViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The channel accounts of the units the caller sees (``?unit=`` narrows to a subtree):
    status and expiry, never a token."""

    queryset = ChannelAccount.objects.select_related("unit").order_by(
        "unit__path", "platform", "name"
    )
    serializer_class = ChannelAccountSerializer
    scoped_filters = {"unit": "unit"}
