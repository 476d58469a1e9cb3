"""Sessions in the database, shared by every web process on every machine."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.base import CreateError, UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

KEY_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789"


class SessionStore(DatabaseSessionStore):
    """Django's database sessions, with shortcuts on the public path's every request: the
    session is read and written in plain SQL, as building each statement through the ORM costs
    several times what the database takes to run it."""

    def _get_new_session_key(self) -> str:
        """Without the query that asks whether a new random key is taken: the new session is
        inserted with ``must_create`` anyway, and a taken key (one chance in 36³², about
        10⁴⁹) makes that insert fail and the store try another key."""
        return get_random_string(32, KEY_CHARACTERS)

    def load(self) -> dict[str, Any]:
        """Django's ``load``: the session's data if its key exists and has not expired, else
        nothing and no key."""
        connection = connections[router.db_for_read(self.model)]
        table = connection.ops.quote_name(self.model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} "  # noqa: S608  # the model's own table
                "WHERE session_key = %s AND expire_date > %s",
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        data: dict[str, Any] = self.decode(row[0])
        return data

    def save(self, must_create: bool = False) -> None:
        """Django's ``save``: inserts a new session (``CreateError`` if its key is taken) or
        updates this one (``UpdateError`` if it is gone, as after a logout elsewhere)."""
        if self.session_key is None:
            self.create()
            return
        # A new session is not read first (``no_load``), as in Django's own ``save``.
        data = self.encode(self._get_session(no_load=must_create))  # type: ignore[attr-defined]
        alias = router.db_for_write(self.model)
        connection = connections[alias]
        table = connection.ops.quote_name(self.model._meta.db_table)
        expires = connection.ops.adapt_datetimefield_value(self.get_expiry_date())
        with connection.cursor() as cursor:
            if must_create:
                try:
                    with transaction.atomic(using=alias):
                        cursor.execute(
                            f"INSERT INTO {table} (session_key, session_data, expire_date) "  # noqa: S608
                            "VALUES (%s, %s, %s)",
                            [self.session_key, data, expires],
                        )
                except IntegrityError as taken:
                    raise CreateError from taken
                return
            cursor.execute(
                f"UPDATE {table} SET session_data = %s, expire_date = %s "  # noqa: S608
                "WHERE session_key = %s",
                [data, expires, self.session_key],
            )
            if cursor.rowcount != 1:
                raise UpdateError
