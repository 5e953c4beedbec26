"""Who may take response data out: admins only (the admin group, or a superuser)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.views.decorators.cache import never_cache
from django.views.defaults import permission_denied

from panels.permissions import ADMIN_GROUP


def is_admin(user) -> bool:
    """Return whether the user may download response exports and read the download log."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=ADMIN_GROUP).exists()


def admin_required(view):
    """Send anonymous users to log in; refuse anyone without the admin role (403).

    Every answer, the refusal included, is sent Cache-Control: no-store.
    """

    @never_cache
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_admin(request.user):
            # Answered here rather than raised, so that the refusal is sent no-store too.
            refusal = PermissionDenied("Response exports need the admin role.")
            return permission_denied(request, refusal)
        return view(request, *args, **kwargs)

    return wrapper
