"""Template filters for text: ``{% load lantoa_text %}{{ title|truncatewords_chars:90 }}``."""

from django import template

from lantoa.core.truncation import shorten

register = template.Library()


@register.filter(is_safe=False)
def truncatewords_chars(value, limit):
    """Like ``truncatechars``, but cut at a word boundary: no word is left half-written."""
    try:
        limit = int(limit)
    except (TypeError, ValueError):
        return value
    return shorten(value, limit)
