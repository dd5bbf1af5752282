"""Base API classes: scoping applied once, here, for every viewset of every app."""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from .choices import Action
from .filters import ScopedParameterFilter
from .selectors import unit_list


class ScopedViewSetMixin:
    """Every API list and object goes through ``restrict(user, "view")``, like the pages."""

    queryset = None
    # Query parameters naming a scoped object (``{"unit": "unit"}``: parameter → lookup), read
    # through lantoa.orgs.filters like the pages read theirs.
    scoped_filters: dict[str, str] = {}
    filter_backends = [ScopedParameterFilter, DjangoFilterBackend]

    def get_queryset(self):
        return self.queryset.all().restrict(self.request.user, Action.VIEW)

    @classmethod
    def with_attrs(cls, **attrs):
        """This viewset as a subclass with ``attrs`` set: what the composition root (lantoa.urls)
        gives it from a higher layer (a function goes in as ``staticmethod(function)``)."""
        body = {"__module__": cls.__module__, "__doc__": cls.__doc__, **attrs}
        return type(cls.__name__, (cls,), body)

    def validated(self, serializer_class, **kwargs) -> dict:
        """The request's body checked by ``serializer_class`` (400 with each wrong field)."""
        data = serializer_class(data=self.request.data, **kwargs)
        data.is_valid(raise_exception=True)
        return data.validated_data

    def unit_by_code(self, code: str):
        """The unit of the caller's part of the tree with this code (any case), else 400 on
        ``unit_code``."""
        unit = unit_list(viewer=self.request.user).filter(code__iexact=code).first()
        if unit is None:
            raise ValidationError(
                {"unit_code": [_("No unit with this code in your part of the tree.")]}
            )
        return unit
