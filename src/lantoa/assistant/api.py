"""The assistant's JSON API: ask a unit's assistant (public, rate-limited per client)."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from lantoa.orgs.models import OrgUnit

from . import ratelimit, services
from .choices import Channel


class AskSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=services.MAX_QUESTION * 4)
    unit = serializers.CharField(required=False, help_text="Code of the unit; default: national")


class CitationSerializer(serializers.Serializer):
    document = serializers.CharField()
    title = serializers.CharField()
    section = serializers.CharField()
    text = serializers.CharField()
    url = serializers.CharField()


class AskView(APIView):
    """Ask a question; the answer comes only from the unit's published documents, with the
    passages it is taken from. ``answer`` is null when the assistant does not know (the
    question then goes to the unit's staff)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=AskSerializer,
        responses=inline_serializer(
            "AssistantAnswer",
            {
                "id": serializers.IntegerField(),
                "question": serializers.CharField(),
                "answer": serializers.CharField(allow_null=True),
                "confidence": serializers.FloatField(),
                "citations": CitationSerializer(many=True),
                "ms": serializers.FloatField(),
            },
        ),
    )
    def post(self, request, *args, **kwargs):
        data = AskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        code = data.validated_data.get("unit")
        unit = (
            OrgUnit.objects.filter(code__iexact=code).first()
            if code
            else OrgUnit.objects.filter(depth=1).first()
        )
        if unit is None:
            return Response(
                {"detail": _("No unit with this code.")}, status=status.HTTP_404_NOT_FOUND
            )
        if not ratelimit.allow(ratelimit.client_key(request)):
            return Response(
                {
                    "detail": _(
                        "You have asked many questions in a short time. Please wait a minute."
                    )
                },
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        try:
            result, logged = services.ask(
                unit=unit, question=data.validated_data["question"], channel=Channel.API
            )
        except ValidationError as error:
            return Response(
                {"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response(
            {
                "id": logged.pk,
                "question": result.question,
                "answer": result.answer,
                "confidence": result.confidence,
                "citations": [
                    {
                        "document": c["document"],
                        "title": c["title"],
                        "section": c["section"],
                        "text": c["text"],
                        "url": request.build_absolute_uri(
                            reverse("assistant:passage", args=[c["passage"]])
                        ),
                    }
                    for c in result.citations
                ],
                "ms": result.ms,
            }
        )
