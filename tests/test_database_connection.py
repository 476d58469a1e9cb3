"""Web processes keep their database connection between requests; SQLite lets readers and a
writer work at once (WAL) and makes a writer wait for the lock instead of failing; on
PostgreSQL a runaway query is cut off, but not a migration."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models.signals import post_migrate


def test_connections_are_kept_between_requests_and_checked_before_reuse() -> None:
    database = settings.DATABASES["default"]
    assert (database["CONN_MAX_AGE"] or 0) >= 60
    assert database["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db
def test_sqlite_logs_ahead_and_waits_for_a_busy_writer() -> None:
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
            return
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone() == ("wal",)
        cursor.execute("PRAGMA busy_timeout")
        row = cursor.fetchone()
        assert row is not None and row[0] >= 20_000


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="PostgreSQL's statement time-out",
)
def test_migrations_run_without_the_statement_time_out_and_give_it_back() -> None:
    """An upgrade that rewrites a million complaints takes minutes: ``migrate`` is not cut
    off after the 15 s a request may take, and the connection has its time-out again after."""
    seen: list[str] = []

    def time_out_now(**_kwargs: object) -> None:
        seen.append(statement_timeout())
        seen.append(str(connection.connection.answer_timeout))  # the client's deadline

    before = statement_timeout()
    assert before != "0"  # the time-out the web runs under
    post_migrate.connect(time_out_now, weak=False, dispatch_uid="time_out_now")
    try:
        call_command("migrate", verbosity=0)
    finally:
        post_migrate.disconnect(dispatch_uid="time_out_now")
    assert seen and set(seen) == {"0", "None"}
    assert statement_timeout() == before
    assert connection.connection.answer_timeout == 12


def statement_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        row = cursor.fetchone()
    assert row is not None
    return str(row[0])
