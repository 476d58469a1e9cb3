"""The search reads the folded copies (0023, 0024) instead of folding each row: PostgreSQL gets
trigram indexes on the folded names and own reference (``LIKE``; ``<%`` for a name's typo) and a
full-text index on the folded words (word beginnings), and drops 0017's indexes on ``querela_fold(...)``, which nothing reads any more.
``querela_fold`` itself stays (0017's reverse builds on it). Built CONCURRENTLY (outside a
transaction): complaints keep coming in meanwhile. SQLite scans, as before."""

from django.db import migrations

FOLDED = ["folded_names", "folded_own_reference"]
FOLDED_BEFORE = ["first_name", "last_name", "organisation_name", "own_reference"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in FOLDED:
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS complaint_search_{column} "
            f"ON complaints_complaint USING gin ({column} gin_trgm_ops)"
        )
    schema_editor.execute(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS complaint_search_folded_words "
        "ON complaints_complaint USING gin (to_tsvector('simple'::regconfig, folded_words))"
    )
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS complaint_description_words")
    for column in FOLDED_BEFORE:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS complaint_folded_{column}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in FOLDED_BEFORE:
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS complaint_folded_{column} "
            f"ON complaints_complaint USING gin (querela_fold({column}) gin_trgm_ops)"
        )
    schema_editor.execute(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS complaint_description_words "
        "ON complaints_complaint "
        "USING gin (to_tsvector('simple'::regconfig, querela_fold(description)))"
    )
    for column in [*FOLDED, "folded_words"]:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS complaint_search_{column}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("complaints", "0024_fill_the_folded_search_columns")]

    operations = [migrations.RunPython(create, drop)]
