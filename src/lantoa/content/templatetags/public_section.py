from django import template

from lantoa.content.public_views import cover_url

register = template.Library()


@register.filter
def cover(asset, size):
    """``{{ item.cover|cover:"thumb" }}``: the address of an item's cover picture, or ""."""
    return cover_url(asset, size)
