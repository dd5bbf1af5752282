"""Base API classes: scoping applied once, here, for every viewset of every app."""

from django_filters.rest_framework import DjangoFilterBackend

from .choices import Action
from .filters import ScopedParameterFilter


class ScopedViewSetMixin:
    """Every API list and object goes through ``restrict(user, "view")``, like the pages."""

    queryset = None
    # Query parameters naming a scoped object (``{"unit": "unit"}``: parameter → lookup), read
    # through lantoa.orgs.filters like the pages read theirs.
    scoped_filters: dict[str, str] = {}
    filter_backends = [ScopedParameterFilter, DjangoFilterBackend]

    def get_queryset(self):
        return self.queryset.all().restrict(self.request.user, Action.VIEW)
