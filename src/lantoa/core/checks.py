"""System checks (``lantoa check``, run at every start of the server and the workers)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


@register(Tags.caches, deploy=False)
def cache_is_shared(app_configs, **kwargs):
    """Outside debug, the rate limits (the login lockout aside: the token endpoint, the
    assistant) must be counted in one cache for every worker, not in each process's memory."""
    if settings.DEBUG or settings.CACHES.get("default", {}).get("BACKEND") != LOCMEM:
        return []
    return [
        Warning(
            "The default cache is each process's own memory: rate limits are counted per worker "
            "and forgotten at each restart.",
            hint="Set LANTOA_CACHE_URL=redis://host:6379/N (docs/operations.md).",
            id="lantoa.W001",
        )
    ]
