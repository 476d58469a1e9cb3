"""Django's PostgreSQL backend (psycopg 3), with a deadline on every wait for the server.

The server's ``statement_timeout`` ends a query that runs too long, ``connect_timeout`` a
connection that is not made, and TCP keepalives with ``tcp_user_timeout`` (``OPTIONS`` in
``querela/settings.py``) a connection whose packets go unacknowledged. None of them ends a wait
on a connection whose bytes are acknowledged but never answered: a proxy or a connection
pooler in front of a server that stopped answering. Every wait for the server here gives up
after ``answer_timeout`` seconds (``DATABASE_ANSWER_TIMEOUT``), and the health check Django runs
on a kept connection after ``HEALTH_CHECK_TIMEOUT``: the error is a database error like any
other, so a visitor gets the 503 page and the worker and the scheduler wait and try again
(``tests/test_database_hang.py``). The connection is closed, never used again. The connection
to the maintenance database (creating and dropping databases: the test suite, never a
request) has no deadline.
"""

from __future__ import annotations

from typing import Any

import psycopg
from django.db.backends.base.base import NO_DB_ALIAS
from django.db.backends.postgresql import base

# The kept connection's "SELECT 1" answers in milliseconds; a new connection is cheaper than a
# longer wait (and a visitor then still gets an answer within 15 s).
HEALTH_CHECK_TIMEOUT = 3.0


class NoAnswer(psycopg.OperationalError):
    """The server did not answer in time."""


class Connection(psycopg.Connection[Any]):
    answer_timeout: float | None = None

    def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        limit = timeout if timeout is not None else self.answer_timeout
        try:
            return super().wait(gen, interval, limit)
        except psycopg.errors._WaitTimeout:  # psycopg's own, raised on its ``timeout``
            # Half a request or half an answer may be on the wire: the connection is lost.
            self.pgconn.finish()
            raise NoAnswer(f"the database server did not answer within {limit:g} s") from None


class _Psycopg:
    """The psycopg module as Django's backend uses it, connecting with ``Connection``."""

    def __getattr__(self, name: str) -> Any:
        return getattr(psycopg, name)

    connect = Connection.connect


class DatabaseWrapper(base.DatabaseWrapper):
    Database = _Psycopg()  # type: ignore[assignment]  # a stand-in for the module

    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        params.pop("answer_timeout", None)
        return params

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        if self.alias != NO_DB_ALIAS:  # creating or dropping a database may take minutes
            connection.answer_timeout = self.settings_dict["OPTIONS"].get("answer_timeout")
        return connection

    def set_answer_timeout(self, seconds: float | None) -> None:
        """Waits longer (``None``: for ever) on this connection, until it is closed; for a
        migration, which may take minutes."""
        self.ensure_connection()
        self.connection.answer_timeout = seconds

    def is_usable(self) -> bool:
        if self.connection is None:
            return False
        saved = self.connection.answer_timeout
        self.connection.answer_timeout = min(saved or HEALTH_CHECK_TIMEOUT, HEALTH_CHECK_TIMEOUT)
        try:
            usable: bool = super().is_usable()
        finally:
            self.connection.answer_timeout = saved
        return usable
