"""Base API classes: scoping applied once, here, for every viewset of every app."""

from .choices import Action


class ScopedViewSetMixin:
    """Every API list and object goes through ``restrict(user, "view")``, like the pages."""

    queryset = None

    def get_queryset(self):
        return self.queryset.all().restrict(self.request.user, Action.VIEW)
