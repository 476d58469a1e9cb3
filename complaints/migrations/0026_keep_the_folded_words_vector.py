"""PostgreSQL keeps each complaint's word vector (``folded_vector``: the full-text vector of the
folded words) in a column, instead of computing ``to_tsvector`` from the folded words on every
row the search tests again: a word found in a third of the descriptions hands out thousands of
rows to test, and two such words cost twice (bench/RESULTS.md, 6 December). The column is
PostgreSQL's only: Django's model does not know it, ``search.WordsBegin`` reads it.

A trigger keeps it on every INSERT and on an UPDATE of the folded words, so nothing that writes
a complaint (``save``, ``bulk_create``, COPY, a restore) can leave it behind. The column is
nullable, so adding it rewrites nothing; 0027 fills it for the complaints that exist, 0028
indexes it. SQLite scans, as before."""

from django.db import migrations

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


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    run("DROP TRIGGER IF EXISTS complaint_folded_vector ON complaints_complaint")
    run("DROP FUNCTION IF EXISTS querela_folded_vector()")
    run("ALTER TABLE complaints_complaint DROP COLUMN IF EXISTS folded_vector")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0025_index_the_folded_search_columns")]

    operations = [migrations.RunPython(create, drop)]
