"""Money as Vietnamese write it: whole đồng with a dot between thousands (1.250.000.000)."""

from django import template

register = template.Library()


@register.filter
def vnd(value) -> str:
    if value is None or value == "":
        return "—"
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:,}".replace(",", ".")
