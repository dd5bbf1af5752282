from django import template

from lantoa.content.public_views import rendition_url

register = template.Library()


@register.filter
def rendition(asset_id, spec):
    """``{{ item.cover_id|rendition:"thumb" }}``: the library's public address of a rendition."""
    return rendition_url(asset_id, spec) if asset_id else ""
