"""Search without a scan on PostgreSQL: trigram indexes on the upper-cased text the work list's
search compares (``UPPER(column) LIKE UPPER('%word%')``, Django's ``icontains``). PostgreSQL only:
SQLite has no trigram indexes and searches its (small) table as before. The indexes are kept out
of the model's state, so no later migration tries to build them on SQLite. Built CONCURRENTLY
(outside a transaction): on a million complaints this takes minutes, during which complaints
keep coming in."""

from django.db import migrations

SEARCHED = ["reference", "first_name", "last_name", "organisation_name", "email", "description"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in SEARCHED:
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS complaint_search_{column} "
            "ON complaints_complaint "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS complaint_search_{column}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("complaints", "0006_index_the_work_list")]

    operations = [migrations.RunPython(create, drop)]
