import uuid

from django.db import migrations


def create_row(apps, schema_editor):
    """The one row whose stamp the web processes check; a fresh stamp also tells running
    processes to reload whatever earlier migrations changed in the configuration."""
    ConfigurationVersion = apps.get_model("configuration", "ConfigurationVersion")
    ConfigurationVersion.objects.update_or_create(pk=1, defaults={"stamp": uuid.uuid4().hex})


class Migration(migrations.Migration):

    dependencies = [
        ("configuration", "0005_configuration_version"),
    ]

    operations = [
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
