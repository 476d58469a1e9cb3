"""The work list sorted by the next deadline, latest first, complaints without one still last:
an index in that very order, on PostgreSQL only (SQLite cannot write NULLS LAST in an index)."""

import datetime

from django.db import migrations, models
from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce, Least, NullIf

FAR = datetime.date(9999, 12, 31)
CLOSED = ["answered", "forwarded", "inadmissible", "not_a_complaint", "withdrawn"]
NAME = "complaint_next_due_desc"


def index() -> models.Index:
    # The expression of ``complaints.models.next_due_expression`` as it stands at this
    # migration (a migration never imports app code).
    own = Case(
        When(status__in=CLOSED, then=Value(FAR)),
        When(acknowledged_at__isnull=True, then=F("acknowledgement_due")),
        When(answer_paused_since__isnull=False, then=Value(FAR)),
        default=F("answer_due"),
        output_field=models.DateField(),
    )
    expression = NullIf(
        Least(own, Coalesce(F("ombudsman_due"), Value(FAR))),
        Value(FAR),
        output_field=models.DateField(),
    )
    return models.Index(
        expression.desc(nulls_last=True), F("received_at").desc(), name=NAME
    )


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("complaints", "Complaint"), index())


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("complaints", "0019_index_the_work_list_sorts")]

    operations = [migrations.RunPython(create, drop)]
