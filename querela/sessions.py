"""Sessions in the database, shared by every web process on every machine."""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils.crypto import get_random_string

KEY_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789"


class SessionStore(DatabaseSessionStore):
    """Django's database sessions, without the query that asks whether a new random key is
    taken: the new session is inserted with ``must_create`` anyway, and a taken key (one
    chance in 36³², about 10⁴⁹) makes that insert fail and the store try another key."""

    def _get_new_session_key(self) -> str:
        return get_random_string(32, KEY_CHARACTERS)
