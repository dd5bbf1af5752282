"""Base API pieces: Vietnamese error bodies. The scoped viewsets are in ``lantoa.orgs.scoped_api``."""

from django.core.exceptions import BadRequest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ShownBadRequest


def exception_handler(exc, context):
    """Service ValidationErrors become 400 with the same messages the pages show, and so does
    a malformed parameter (``lantoa.orgs.filters.BadParameter``); a missing object is "Not
    found." in the caller's language (Django's own message names the model's class, in
    English)."""
    if isinstance(exc, BadRequest):
        # Only Lantoa's own messages are shown; Django's stay in the log.
        exc = exceptions.ParseError(str(exc) if isinstance(exc, ShownBadRequest) else None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    return drf_exception_handler(exc, context)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
