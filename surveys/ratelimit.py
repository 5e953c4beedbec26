"""A fixed-window limit on failed personal-link look-ups per client address.

Only failures count: everyone behind one office's NAT can open their own links however
many they are, while an address guessing tokens is stopped after a few wrong ones.
"""

import ipaddress
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


def _window_key(request, scope: str) -> tuple[str, int]:
    """Return the counter's key for the client's current window, and seconds left in it."""
    window = settings.TOKEN_LOOKUP_WINDOW_SECONDS
    now = time.time()
    start = int(now // window)
    left = max(1, int((start + 1) * window - now + 0.999))
    return f"rl:{scope}:{client_address(request)}:{start}", left


def retry_after(request, *, scope: str = "token") -> int:
    """Return 0 while the client may look a token up, else the seconds until it may."""
    key, left = _window_key(request, scope)
    spent = cache.get(key, 0)
    return left if spent >= settings.TOKEN_LOOKUPS_PER_WINDOW else 0


def count_failure(request, *, scope: str = "token") -> None:
    """Count one look-up that found nothing against the client's budget."""
    key, left = _window_key(request, scope)
    if cache.add(key, 1, timeout=left):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=left)


def login_address(request) -> str | None:
    """Return the client's address for the log-in lock-out, None when it is not one."""
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
