"""Base views: scoping applied once, here, for every page of every app.

``ScopedObjectMixin`` for class views; ``scoped(Model)`` and ``public(reason)`` mark function
views so the shared route probes (``lantoa.core.testing``) know what each page shows.
"""

from django.contrib.auth.mixins import LoginRequiredMixin

from .choices import Action
from .filters import scoped_object


def scoped(model):
    """Mark a function view with the model whose ``pk`` it takes, as class views say with
    ``model``: the shared scoping tests find every such page and probe it from outside."""

    def decorate(view):
        view.scoped_model = model
        return view

    return decorate


def public(reason: str):
    """Mark a function view taking a ``pk`` as public on purpose (published material, or an
    object tied to the visitor's own session), with the reason; the scoping probe skips it and
    the reason stays next to the view."""

    def decorate(view):
        view.public_reason = reason
        return view

    return decorate


class ScopedObjectMixin(LoginRequiredMixin):
    """Fetch ``model`` through ``restrict(user, "view")``: out of scope is a 404, worded exactly
    as "does not exist", so URL guessing learns nothing. ``required_action`` is then checked
    on the object's unit, and failing it is a 403. The same helper as the function views'
    (``lantoa.orgs.filters.scoped_object``)."""

    model = None
    required_action: str = Action.VIEW
    pk_url_kwarg = "pk"

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user, Action.VIEW)

    def scope_unit(self, obj):
        return obj.unit

    def get_object(self):
        return scoped_object(
            self.request.user,
            self.get_queryset(),
            self.kwargs[self.pk_url_kwarg],
            self.required_action,
            unit_of=self.scope_unit,
        )
