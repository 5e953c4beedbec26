"""Personal link tokens.

A member holds a random 128-bit nonce; their token is HMAC-SHA256(TOKEN_KEY, nonce), so
it can be put in every email without being stored, and the database alone (without the
key) cannot produce a working link. Only the SHA-256 of the token is stored, for look-up.
"""

import base64
import hashlib
import hmac
import re
import secrets

from django.conf import settings

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_nonce() -> str:
    """Return a fresh random nonce (128 bits, hex)."""
    return secrets.token_hex(16)


def token_for(nonce: str) -> str:
    """Return the personal link token of a member's nonce (43 URL-safe characters)."""
    key = (getattr(settings, "TOKEN_KEY", "") or settings.SECRET_KEY).encode()
    digest = hmac.new(key, nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def hash_token(token: str) -> str:
    """Return the stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def credentials() -> tuple[str, str]:
    """Return a new (nonce, token hash) pair for a member."""
    nonce = new_nonce()
    return nonce, hash_token(token_for(nonce))


def well_formed(token: str) -> bool:
    """Return whether a string has the shape of a token (checked before any look-up)."""
    return bool(TOKEN_PATTERN.match(token or ""))
