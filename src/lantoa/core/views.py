"""View helpers that know nothing of the org tree: service errors shown on forms, the 400 and
lockout pages. The scoped base views live with the scoping, in ``lantoa.orgs.scoped_views``."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .errors import ShownBadRequest


def bad_request(request, exception=None):
    """A 400 that says what was wrong with the request when Lantoa wrote the message (a
    malformed parameter names itself); Django's own (a foreign Host header, a body too large)
    stay in the log, in English, and the page says only that the request was refused."""
    message = str(exception) if isinstance(exception, ShownBadRequest) else ""
    return render(
        request,
        "registration/_message_page.html",
        {
            "heading": _("Bad request"),
            "message": message or _("The request could not be understood."),
            "link_url": "/",
            "link_text": _("Back to the home page"),
        },
        status=400,
    )


def apply_validation_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the field it names when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item)
    else:
        for message in error.messages:
            form.add_error(None, message)


def lockout(request, credentials=None, *args, **kwargs):
    """What django-axes answers once an account is locked after repeated failures."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "This account is locked for %(minutes)d minutes after too many wrong passwords. "
        "Try again later or ask your unit's administrator to unlock it."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "registration/locked.html", {"message": message}, status=429)
