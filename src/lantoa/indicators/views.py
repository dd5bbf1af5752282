"""The figures a unit states about itself (officials, staff, population, yes/no facts)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.core.views import apply_validation_error
from lantoa.orgs.choices import Action
from lantoa.orgs.filters import scoped_object
from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoped_views import scoped
from lantoa.orgs.scoping import can

from . import services
from .models import UnitFact


class FactsForm(forms.Form):
    source = forms.CharField(
        label=gettext_lazy("Source of the figures"), max_length=255, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in UnitFact.KEYS:
            self.fields[key] = forms.DecimalField(
                label=label, required=False, max_digits=14, decimal_places=2
            )
        self.order_fields([key for key, _label in UnitFact.KEYS] + ["source"])


def _plain(value):
    """A stored figure without its trailing zeros: 34.00 → 34, 12.50 → 12.5."""
    return value.quantize(1) if value == value.to_integral() else value.normalize()


@scoped(OrgUnit)
@login_required
def unit_facts(request, pk):
    unit = scoped_object(request.user, OrgUnit.objects.all(), pk)
    if not can(request.user, Action.RECORD, unit):
        raise PermissionDenied(_("You cannot change the figures of %(unit)s.") % {"unit": unit})
    facts = sorted(unit.facts.all(), key=lambda f: f.updated_at)
    # Shown as typed (34, not 34.00), with the source they were saved with.
    current = {f.key: _plain(f.value) for f in facts}
    if facts:
        current["source"] = facts[-1].source
    form = FactsForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # all the figures or none
                for key, _label in UnitFact.KEYS:
                    value = form.cleaned_data[key]
                    if value is None:
                        services.fact_clear(actor=request.user, unit=unit, key=key)
                    else:
                        services.fact_set(
                            actor=request.user,
                            unit=unit,
                            key=key,
                            value=value,
                            source=form.cleaned_data["source"],
                        )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Figures saved."))
            return redirect("orgs:unit", pk=unit.pk)
    return render(request, "indicators/unit_facts.html", {"unit": unit, "form": form})
