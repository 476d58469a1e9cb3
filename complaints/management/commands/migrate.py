"""``migrate`` without the statement time-out that web processes and workers run under
(``DATABASE_STATEMENT_TIMEOUT``, 15 s) and without the client's deadline for an answer
(``DATABASE_ANSWER_TIMEOUT``, 12 s): an upgrade's migration may rewrite or index every
complaint, which takes minutes on a large PostgreSQL database and must not be cancelled half
way. Both time-outs come back for the rest of the connection's life."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import migrate
from django.db import connections


class Command(migrate.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            super().handle(*args, **options)
            return
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
        # And no client-side deadline either (querela/postgresql/base.py).
        answer_timeout = connection.settings_dict["OPTIONS"].get("answer_timeout")
        if hasattr(connection, "set_answer_timeout"):
            connection.set_answer_timeout(None)
        try:
            super().handle(*args, **options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")
            if hasattr(connection, "set_answer_timeout"):
                connection.set_answer_timeout(answer_timeout)
