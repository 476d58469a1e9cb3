"""Search accent- and case-insensitive, names with a typo, descriptions by words
(``complaints.search``). PostgreSQL only, as 0007: the unaccent extension and
``querela_fold(text)``, ``lower(unaccent(text))`` declared immutable so that indexes can hold it;
trigram indexes on the folded names and own reference, a full-text index on the folded
description; the upper-case trigram indexes of the names and the description, which the search
no longer reads, dropped. SQLite gets the same functions from Python on each connection. Built
CONCURRENTLY (outside a transaction): complaints keep coming in meanwhile."""

from django.db import migrations

FOLDED = ["first_name", "last_name", "organisation_name", "own_reference"]
NO_LONGER_READ = ["first_name", "last_name", "organisation_name", "description"]
FOLD = (
    "CREATE OR REPLACE FUNCTION querela_fold(text) RETURNS text "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
    "AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(FOLD)
    for column in FOLDED:
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS complaint_folded_{column} "
            f"ON complaints_complaint USING gin (querela_fold({column}) gin_trgm_ops)"
        )
    schema_editor.execute(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS complaint_description_words "
        "ON complaints_complaint "
        "USING gin (to_tsvector('simple'::regconfig, querela_fold(description)))"
    )
    for column in NO_LONGER_READ:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS complaint_search_{column}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in NO_LONGER_READ:
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS complaint_search_{column} "
            f"ON complaints_complaint USING gin (UPPER({column}::text) gin_trgm_ops)"
        )
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS complaint_description_words")
    for column in FOLDED:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS complaint_folded_{column}")
    schema_editor.execute("DROP FUNCTION IF EXISTS querela_fold(text)")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("complaints", "0016_decision_forwarding")]

    operations = [migrations.RunPython(create, drop)]
