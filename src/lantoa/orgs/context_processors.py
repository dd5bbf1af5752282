from .choices import Action
from .scoping import scope_paths

# The channels app's pages by menu entry: social channels, loudspeakers, calendar.
_CHANNELS_SECTIONS = {
    **dict.fromkeys(
        ("outbox", "outbox-retry", "item-channels", "accounts", "account", "account-disconnect"),
        "channels",
    ),
    **dict.fromkeys(
        (
            "loudspeakers",
            "cluster-edit",
            "bulletins",
            "bulletin",
            "bulletin-audio",
            "bulletin-schedule",
            "broadcast-log",
        ),
        "loudspeakers",
    ),
    **dict.fromkeys(
        ("calendar", "calendar-feed-new", "calendar-feed-revoke", "campaign-new", "campaign"),
        "calendar",
    ),
}


def navigation(request):
    """What the navigation bar shows: only the entries the person can open."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    match = getattr(request, "resolver_match", None)
    return {
        # Which entry of the channels app's pages is open (one app, three menu entries).
        "nav_channels": _CHANNELS_SECTIONS.get(getattr(match, "url_name", ""), "")
        if getattr(match, "app_name", "") == "channels"
        else "",
        "nav_can_audit": user.is_superuser or bool(scope_paths(user, Action.VIEW_AUDIT)),
        "nav_can_edit_content": user.is_superuser or bool(scope_paths(user, Action.EDIT_CONTENT)),
        # The resource library is the editors' and approvers' tool.
        # The unit's calendar (channels): every member of a unit.
        "nav_can_calendar": user.is_superuser or bool(scope_paths(user, Action.VIEW)),
        "nav_can_library": user.is_superuser or bool(scope_paths(user, Action.EDIT_CONTENT)),
        # Evaluation (criteria sets, scoring runs): the focal points who score the units below.
        "nav_can_evaluate": user.is_superuser or bool(scope_paths(user, Action.APPROVE_REPORT)),
    }
