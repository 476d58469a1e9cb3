"""The full-text index moves from ``to_tsvector(folded_words)`` (0025) to the stored vector
(0026, 0027), which the search now reads. Built CONCURRENTLY (outside a transaction):
complaints keep coming in meanwhile. SQLite scans, as before."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS complaint_search_folded_vector "
        "ON complaints_complaint USING gin (folded_vector)"
    )
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS complaint_search_folded_words")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS complaint_search_folded_words "
        "ON complaints_complaint USING gin (to_tsvector('simple'::regconfig, folded_words))"
    )
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS complaint_search_folded_vector")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("complaints", "0027_fill_the_folded_words_vector")]

    operations = [migrations.RunPython(create, drop)]
