"""``{% object_history obj %}``: the history of an object at the foot of its page, loaded when
the reader opens it (the page stays light, and its texts are not printed twice)."""

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("orgs/_history.html")
def object_history(obj):
    return {"url": reverse(f"history-{obj._meta.model_name}", args=[obj.pk])}
