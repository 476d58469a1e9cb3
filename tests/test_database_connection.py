"""Web processes keep their database connection between requests; SQLite lets readers and a
writer work at once (WAL) and makes a writer wait for the lock instead of failing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection


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
