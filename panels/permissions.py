"""Who may see evaluator pages: members of the evaluator or admin group."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.views.decorators.cache import never_cache

EVALUATOR_GROUP = "evaluator"
ADMIN_GROUP = "admin"


def is_evaluator(user) -> bool:
    """Return whether the user may work on panels and rounds."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=[EVALUATOR_GROUP, ADMIN_GROUP]).exists()


def evaluator_required(view):
    """Send anonymous users to log in; refuse logged-in users without the role.

    Evaluator pages show names and emails: no browser or proxy may keep them
    (Cache-Control: no-store, as the admin sends).
    """

    @never_cache
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_evaluator(request.user):
            raise PermissionDenied("Evaluator pages need the evaluator or admin role.")
        return view(request, *args, **kwargs)

    return wrapper
