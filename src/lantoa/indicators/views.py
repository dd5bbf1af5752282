"""The figures a unit states about itself (officials, staff, population, yes/no facts)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.core.views import apply_validation_error
from lantoa.orgs.choices import Action
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


@scoped(OrgUnit)
@login_required
def unit_facts(request, pk):
    unit = get_object_or_404(OrgUnit.objects.restrict(request.user), pk=pk)
    if not can(request.user, Action.RECORD, unit):
        raise PermissionDenied(_("You cannot change the figures of %(unit)s.") % {"unit": unit})
    current = {f.key: f.value for f in unit.facts.all()}
    form = FactsForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # all the figures or none
                for key, _label in UnitFact.KEYS:
                    value = form.cleaned_data[key]
                    if value is not None:
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
