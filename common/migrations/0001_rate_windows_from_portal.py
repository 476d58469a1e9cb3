"""The rate-limit windows, moved here from ``portal`` with their table and rows: the state
moves, the database does not change (the table keeps its name)."""

from django.db import migrations, models


def rename_content_types(apps, schema_editor):
    """Permissions and the admin's history follow the models to their new app. A content type
    of the new app made before this ran (it holds nothing yet) gives way to the old one."""
    content_types = apps.get_model("contenttypes", "ContentType")
    for old_app, model in [("portal", "ratewindow")]:
        old = content_types.objects.filter(app_label=old_app, model=model)
        if old.exists():
            content_types.objects.filter(app_label="common", model=model).delete()
            old.update(app_label="common")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0002_rate_windows_move_to_common"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='RateWindow',
                    fields=[
                        ('key', models.CharField(max_length=80, primary_key=True, serialize=False, verbose_name='key')),
                        ('hits', models.PositiveIntegerField(verbose_name='hits')),
                        ('ends', models.FloatField(db_index=True, verbose_name='window ends')),
                    ],
                    options={
                        'verbose_name': 'rate-limit window',
                        'verbose_name_plural': 'rate-limit windows',
                        'db_table': 'portal_ratewindow',
                    },
                ),
            ]
        ),
        migrations.RunPython(rename_content_types, migrations.RunPython.noop),
    ]
