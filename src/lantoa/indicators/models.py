from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.Model):
    """Chỉ số: a measure of the program; the standard set comes from 1169/QĐ-TTg."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    unit = models.CharField(_("unit"), max_length=8)
    is_standard = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self):
        """The standard indicators' names follow the interface language."""
        from .catalogue import DEFINITIONS

        standard = DEFINITIONS.get(self.code)
        return standard.name if standard else self.name


class UnitFact(models.Model):
    """A fact a unit states about itself that indicators divide by or count: its officials,
    its communication staff, its population, whether its website has the NQ57 section."""

    KEYS = [
        ("officials_total", _("Officials in the unit")),
        ("communication_staff_total", _("Communication staff")),
        ("population", _("Population served")),
        ("website_section", _("NQ57 section on the website (1 = yes, 0 = no)")),
        ("network_formed", _("Communication network formed (1 = yes, 0 = no)")),
    ]

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="facts")
    key = models.CharField(_("fact"), max_length=32, choices=KEYS)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("unit figure")
        verbose_name_plural = _("unit figures")
        constraints = [models.UniqueConstraint(fields=["unit", "key"], name="unit_fact_unique")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_key_display()}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path, "unit": self.unit.name}


class IndicatorEntry(models.Model):
    """A value typed by a unit for a period when nothing in Lantoa can compute it, with its
    source. A percentage is kept as numerator and denominator so it rolls up correctly."""

    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.CASCADE, related_name="indicator_entries"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="entries")
    period_start = models.DateField()
    period_end = models.DateField()
    numerator = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    denominator = models.DecimalField(
        _("out of"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=255)

    class Meta:
        verbose_name = _("typed indicator value")
        verbose_name_plural = _("typed indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "indicator", "period_start", "period_end"],
                name="indicator_entry_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(numerator__gte=0), name="indicator_entry_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.indicator} · {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path, "unit": self.unit.name}


class RollupRun(models.Model):
    """The fill state of a national roll-up for one period: indicators already written are
    skipped when a crashed run is started again, and an indicator is replaced whole, never
    added twice."""

    start = models.DateField()
    end = models.DateField()
    done = models.JSONField(default=list)  # indicator codes written
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Set when evidence, a fact, a typed figure or a people list changes within the run's span
    # after it was computed; the scheduled roll-up refreshes stale runs.
    stale = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("roll-up run")
        verbose_name_plural = _("roll-up runs")
        constraints = [models.UniqueConstraint(fields=["start", "end"], name="rollup_run_unique")]

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"


class IndicatorValue(models.Model):
    """A rolled-up value: one indicator, one unit's whole subtree, one period."""

    run = models.ForeignKey(RollupRun, on_delete=models.CASCADE, related_name="values")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=64)
    numerator = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    denominator = models.DecimalField(max_digits=16, decimal_places=2, null=True)

    class Meta:
        verbose_name = _("rolled-up indicator value")
        verbose_name_plural = _("rolled-up indicator values")
        constraints = [
            models.UniqueConstraint(fields=["run", "code", "unit"], name="indicator_value_unique")
        ]
        indexes = [models.Index(fields=["run", "code"])]

    def __str__(self) -> str:
        return f"{self.code} · {self.unit_id}: {self.numerator}/{self.denominator}"
