"""``{% object_history obj %}``: the history of an object on its own page."""

from django import template

from lantoa.orgs import selectors

register = template.Library()


@register.inclusion_tag("orgs/_history.html")
def object_history(obj, limit: int = 50):
    return {"entries": selectors.object_history(obj=obj, limit=limit)}
