"""Errors whose message is written for the person using the site."""

from django.core.exceptions import BadRequest


class ShownBadRequest(BadRequest):
    """A 400 whose message is written (and translated) for the user, shown by the 400 page.
    Any other SuspiciousOperation or BadRequest keeps its message (Django's internal English,
    a reflected Host header) off the page."""
