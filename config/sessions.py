"""The session engine: Django's cached_db, making a new session in one query.

Opening a personal link swaps it for a new session. cached_db made that three queries:
a look-up that the fresh random key is not taken, an insert of the empty session, and an
update with the member once the page was done. Here the key is not looked up (32
characters of 36 kinds, 165 random bits: the unique key refuses the rare collision, and
the insert is then tried with another), and a key made by cycle_key() is inserted once,
with its data, when the response saves the session. Every session is still written to
the database as well as the cache, so a cache flush or restart loses none.
"""

import string

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import CreateError
from django.utils.crypto import get_random_string

KEY_CHARACTERS = string.ascii_lowercase + string.digits


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key: str | None = None):
        super().__init__(session_key)
        self._key_unsaved = False  # a key made by cycle_key(), not yet in the database

    def _get_new_session_key(self) -> str:
        return get_random_string(32, KEY_CHARACTERS)

    def cycle_key(self) -> None:
        """Give the session a new key, keeping its data; the old one is deleted now, the
        new one inserted when the session is saved (at the end of the request)."""
        data, old_key = self._session, self.session_key
        self._session_key = self._get_new_session_key()
        self._session_cache, self._key_unsaved, self.modified = data, True, True
        if old_key:
            self.delete(old_key)

    def save(self, must_create: bool = False) -> None:
        if not self._key_unsaved:
            super().save(must_create)
            return
        self._key_unsaved = False
        try:
            super().save(must_create=True)
        except CreateError:  # the key was taken after all: insert under another
            self.create()

    def delete(self, session_key: str | None = None) -> None:
        """Delete the session (this one by default) in one query, and from the cache."""
        key = session_key or self.session_key
        if key is None:
            return
        self.model.objects.filter(session_key=key).delete()
        self._cache.delete(self.cache_key_prefix + key)
