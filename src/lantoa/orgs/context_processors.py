from .choices import Action
from .scoping import scope_paths


def navigation(request):
    """What the navigation bar shows: only the entries the person can open."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    return {
        "nav_can_audit": user.is_superuser or bool(scope_paths(user, Action.VIEW_AUDIT)),
        "nav_can_edit_content": user.is_superuser or bool(scope_paths(user, Action.EDIT_CONTENT)),
        # The resource library is the editors' and approvers' tool.
        # The unit's calendar (channels): every member of a unit.
        "nav_can_calendar": user.is_superuser or bool(scope_paths(user, Action.VIEW)),
        "nav_can_library": user.is_superuser or bool(scope_paths(user, Action.EDIT_CONTENT)),
        # Evaluation (criteria sets, scoring runs): the focal points who score the units below.
        "nav_can_evaluate": user.is_superuser or bool(scope_paths(user, Action.APPROVE_REPORT)),
    }
