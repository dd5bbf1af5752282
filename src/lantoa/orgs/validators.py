"""Rules on values shared by the forms and the services, written once."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# A code goes into addresses (/assistant/25405-VHXH/): letters, digits, "-", "_" and "." only.
unit_code_validator = RegexValidator(
    r"^[\w.-]+\Z",
    _("A code may hold only letters, digits, “-”, “_” and “.”, without spaces or “/”."),
)
