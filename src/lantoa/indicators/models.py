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
        from .catalogue import STANDARD_INDICATORS

        for standard in STANDARD_INDICATORS:
            if standard.code == self.code:
                return standard.name
        return self.name
