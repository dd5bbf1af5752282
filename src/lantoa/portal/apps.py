from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top layer: the home page, the dashboard and the demo loader read every app below."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "lantoa.portal"
