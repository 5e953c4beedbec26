"""A fixed-window limit on personal-link look-ups per client address."""

import time

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """Return the client's address (the proxy's forwarded one only when configured)."""
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def allow(request, *, scope: str = "token") -> bool:
    """Count one look-up for the client; return False once the window's budget is spent."""
    limit = settings.TOKEN_LOOKUPS_PER_WINDOW
    window = settings.TOKEN_LOOKUP_WINDOW_SECONDS
    key = f"rl:{scope}:{client_address(request)}:{int(time.time() // window)}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
