"""Looking through everything the database holds, for tests of what it must not hold."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection


def stored_texts() -> Iterator[tuple[str, str]]:
    """Every value of every column of every table, as text, with where it is
    (``table.column``); and the decoded content of every session."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
            ]
            quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode(errors="replace")
                    if value is not None:
                        yield f"{table}.{column}", str(value)
    for session in Session.objects.all():
        yield "session", repr(SessionStore().decode(session.session_data))


def where_found(*needles: str) -> list[str]:
    """The places (``table.column``) whose text holds any of ``needles``."""
    wanted = [needle for needle in needles if needle]
    return sorted(
        {where for where, text in stored_texts() if any(needle in text for needle in wanted)}
    )
