"""Language choice: Vietnamese unless the person chose English.

Django's LocaleMiddleware would follow the browser's Accept-Language, and most office laptops
in Vietnam run an English browser; the interface must still open in Vietnamese. Pages follow the
language cookie set by the switcher. The API (its answers and every error message) follows, in
order: ``?lang=en|vi``, the language cookie, the Accept-Language header; else Vietnamese.
"""

from auditlog.middleware import AuditlogMiddleware as _AuditlogMiddleware
from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .clientip import client_ip


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _label in settings.LANGUAGES}

    def __call__(self, request):
        api = request.path.startswith("/api/")
        language = request.GET.get("lang", "").strip().lower()[:8] if api else None
        if language not in self.supported:
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported and api:
            language = translation.get_language_from_request(request)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie", "Accept-Language") if api else ("Cookie",))
        return response


class AuditlogMiddleware(_AuditlogMiddleware):
    """django-auditlog's middleware, recording the client's address as the lockout and the
    rate limits know it (its own reads the left-most X-Forwarded-For, which a client writes)."""

    @staticmethod
    def _get_remote_addr(request):
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_ip(request) or None


class SecurityHeadersMiddleware:
    """A Content-Security-Policy on every response (when ``LANTOA_CSP`` is on, the default
    outside debug): only this site's own scripts, styles, images and frames; no plugins; no
    framing, except the compact assistant that units' websites frame (its view marks the
    response ``xframe_options_exempt``). Written here rather than with django-csp: one header,
    one exception."""

    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(settings, "LANTOA_CSP", False) and "Content-Security-Policy" not in response:
            ancestors = "*" if getattr(response, "xframe_options_exempt", False) else "'none'"
            response["Content-Security-Policy"] = f"{self.POLICY}; frame-ancestors {ancestors}"
        return response
