"""The outbox over the API (mounted under /api/v1/outbox/): the entries of the units the caller
covers, and the retry of one channel; the same services as the pages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from lantoa.content.choices import ContentStatus
from lantoa.core.api import ErrorSerializer
from lantoa.orgs.choices import Action
from lantoa.orgs.scoped_api import ScopedViewSetMixin
from lantoa.orgs.scoping import require

from . import outbox as services
from .models import OutboxEntry


class OutboxEntrySerializer(serializers.ModelSerializer):
    platform = serializers.CharField(source="account.platform", read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    unit_code = serializers.CharField(source="account.unit.code", read_only=True)

    class Meta:
        model = OutboxEntry
        fields = [
            "id",
            "item",
            "account",
            "account_name",
            "platform",
            "unit_code",
            "status",
            "title",
            "text",
            "link",
            "hashtags",
            "send_at",
            "attempts",
            "next_attempt_at",
            "remote_id",
            "remote_url",
            "error",
            "sent_at",
            "withdrawn_at",
            "withdraw_error",
            "created_at",
        ]
        read_only_fields = fields


class OutboxEntryViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The outbox of the units the caller covers (a province: its subtree's); ``retry`` sends one
    failed or waiting channel again (the approver's right on the account's unit)."""

    queryset = OutboxEntry.objects.select_related("account", "account__unit", "item")
    serializer_class = OutboxEntrySerializer
    filterset_fields = ["status", "item"]

    @extend_schema(request=None, responses={200: OutboxEntrySerializer, 400: ErrorSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        entry = self.get_object()
        require(request.user, Action.APPROVE_CONTENT, entry.account.unit)
        entry = services.outbox_retry(actor=request.user, entry=entry)
        if entry.item.status == ContentStatus.PUBLISHED:
            services.outbox_item_published(entry.item)
        return Response(self.get_serializer(OutboxEntry.objects.get(pk=entry.pk)).data)
