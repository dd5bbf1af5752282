from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    """Layer 6: the one computation of every indicator from evidence, and the national roll-up.

    It has no models of its own: the roll-up's tables (``RollupRun``, ``IndicatorValue``) stay in
    the indicators app, where their migrations already are."""

    name = "lantoa.analytics"
    verbose_name = _("Analytics")
