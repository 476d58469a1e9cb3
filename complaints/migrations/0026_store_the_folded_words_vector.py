"""PostgreSQL keeps each complaint's word vector (``folded_vector``: the full-text vector of the
folded words) in a column, instead of computing ``to_tsvector`` from the folded words on every
row the search tests again: a word found in a third of the descriptions hands out thousands of
rows to test, and two such words cost twice (bench/RESULTS.md, 6 December). The column is
PostgreSQL's only: Django's model does not know it, ``search.WordsBegin`` reads it.

Kept by a trigger on every INSERT and on an UPDATE of the folded words, so nothing that writes a
complaint (``save``, ``bulk_create``, COPY) can leave it behind. Added without rewriting the
table (a nullable column), then filled in batches by id, each its own transaction, so that a
million rows hold no lock for long and complaints keep coming in; the index is built
CONCURRENTLY and replaces 0025's index on ``to_tsvector(folded_words)``. SQLite scans, as before.
"""

from django.db import migrations

BATCH = 10_000
VECTOR = "to_tsvector('simple'::regconfig, coalesce(NEW.folded_words, ''))"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    run("ALTER TABLE complaints_complaint ADD COLUMN IF NOT EXISTS folded_vector tsvector")
    run(
        "CREATE OR REPLACE FUNCTION querela_folded_vector() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN NEW.folded_vector := {VECTOR}; RETURN NEW; END $$"
    )
    run("DROP TRIGGER IF EXISTS complaint_folded_vector ON complaints_complaint")
    run(
        "CREATE TRIGGER complaint_folded_vector "
        "BEFORE INSERT OR UPDATE OF folded_words ON complaints_complaint "
        "FOR EACH ROW EXECUTE FUNCTION querela_folded_vector()"
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM complaints_complaint")
        (last,) = cursor.fetchone()
        for first in range(0, last, BATCH):
            cursor.execute(
                "UPDATE complaints_complaint "
                "SET folded_vector = to_tsvector('simple'::regconfig, coalesce(folded_words, '')) "
                "WHERE id > %s AND id <= %s AND folded_vector IS NULL",
                [first, first + BATCH],
            )
    run(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS complaint_search_folded_vector "
        "ON complaints_complaint USING gin (folded_vector)"
    )
    run("DROP INDEX CONCURRENTLY IF EXISTS complaint_search_folded_words")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    run(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS complaint_search_folded_words "
        "ON complaints_complaint USING gin (to_tsvector('simple'::regconfig, folded_words))"
    )
    run("DROP INDEX CONCURRENTLY IF EXISTS complaint_search_folded_vector")
    run("DROP TRIGGER IF EXISTS complaint_folded_vector ON complaints_complaint")
    run("DROP FUNCTION IF EXISTS querela_folded_vector()")
    run("ALTER TABLE complaints_complaint DROP COLUMN IF EXISTS folded_vector")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("complaints", "0025_index_the_folded_search_columns")]

    operations = [migrations.RunPython(create, drop)]
