"""The folded copies the search reads (0023), written for the complaints that exist: in batches
by id, each its own transaction, so that a million rows hold no lock for long and complaints
keep coming in (their own ``save`` folds them). Folded in Python, as ``Complaint.save`` folds
(``folding.search_columns``), so both databases store the same text."""

from django.db import migrations

from complaints.folding import search_columns

BATCH = 5000
SEARCHED = ("first_name", "last_name", "organisation_name", "own_reference", "description")
COLUMNS = ("folded_names", "folded_own_reference", "folded_words")


def fill(apps, schema_editor):
    connection = schema_editor.connection
    Complaint = apps.get_model("complaints", "Complaint")
    rows = Complaint.objects.using(connection.alias).order_by("pk")
    after = 0
    while batch := list(rows.filter(pk__gt=after).values_list("pk", *SEARCHED)[:BATCH]):
        folded = [
            (pk, *search_columns(**dict(zip(SEARCHED, values, strict=True))).values())
            for pk, *values in batch
        ]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # one statement a batch
                cursor.execute(
                    "UPDATE complaints_complaint AS c SET folded_names = v.n, "
                    "folded_own_reference = v.o, folded_words = v.w "
                    "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) "
                    "AS v (id, n, o, w) WHERE c.id = v.id",
                    [list(column) for column in zip(*folded, strict=True)],
                )
            else:
                cursor.executemany(
                    "UPDATE complaints_complaint SET folded_names = %s, "
                    "folded_own_reference = %s, folded_words = %s WHERE id = %s",
                    [(*columns, pk) for pk, *columns in folded],
                )
        after = batch[-1][0]


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("complaints", "0023_keep_the_searched_columns_folded")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
