"""The word vectors (0026) of the complaints that exist: in batches by id, each its own
transaction, so that a million rows hold no lock for long and complaints keep coming in (the
trigger fills theirs). About 5 minutes for a million complaints (bench/RESULTS.md)."""

from django.db import migrations

BATCH = 10_000


def fill(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM complaints_complaint")
        (last,) = cursor.fetchone()
        for first in range(0, last, BATCH):
            cursor.execute(
                "UPDATE complaints_complaint "
                "SET folded_vector = to_tsvector('simple'::regconfig, coalesce(folded_words, '')) "
                "WHERE id > %s AND id <= %s AND folded_vector IS NULL",
                [first, first + BATCH],
            )


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("complaints", "0026_keep_the_folded_words_vector")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
