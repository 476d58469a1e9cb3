"""The rate-limit windows moved to the ``common`` app; the table stays as it is
(``common.0001`` takes it over under the same name)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_rate_windows")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RateWindow")]
        )
    ]
