from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "lantoa.programme"
    verbose_name = _("Programme registers")

    def ready(self):
        # Each register's module registers its models with the audit log.
        from . import audit  # noqa: F401
