"""Personal link tokens.

A member holds a random 128-bit nonce; their token is HMAC-SHA256(TOKEN_KEY, nonce), so
it can be put in every email without being stored, and the database alone (without the
key) cannot produce a working link. Only the SHA-256 of the token is stored, for look-up.

The opt-out link of an email carries its own token, derived for opt-out only: the member's
nonce followed by HMAC-SHA256(TOKEN_KEY, "opt-out:" + nonce). It opens no survey (its hash
matches no stored token hash), a survey token opens no opt-out (it has not the shape), and
it is found through the unique nonce column, so the look-up costs one index probe however
many members there are, with no column to store or fill for it.
"""

import base64
import hashlib
import hmac
import re
import secrets

from django.conf import settings

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
OPTOUT_PATTERN = re.compile(r"^([0-9a-f]{32})([A-Za-z0-9_-]{43})$")
OPTOUT_PURPOSE = "opt-out:"


def new_nonce() -> str:
    """Return a fresh random nonce (128 bits, hex)."""
    return secrets.token_hex(16)


def _mac(message: str) -> str:
    key = (getattr(settings, "TOKEN_KEY", "") or settings.SECRET_KEY).encode()
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_for(nonce: str) -> str:
    """Return the personal link token of a member's nonce (43 URL-safe characters)."""
    return _mac(nonce)


def optout_token_for(nonce: str) -> str:
    """Return the opt-out token of a member's nonce (75 URL-safe characters)."""
    return nonce + _mac(OPTOUT_PURPOSE + nonce)


def optout_nonce(token: str) -> str | None:
    """Return the nonce an opt-out token was made for, or None when it is not genuine."""
    match = OPTOUT_PATTERN.match(token or "")
    if match is None:
        return None
    nonce, mac = match.groups()
    return nonce if hmac.compare_digest(mac, _mac(OPTOUT_PURPOSE + nonce)) else None


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
