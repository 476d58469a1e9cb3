"""Staff members and the audit log, moved here from ``staff`` with their tables and rows: the
state moves, the database does not change (the tables keep their names)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def rename_content_types(apps, schema_editor):
    """Permissions and the admin's history follow the models to their new app. A content type
    of the new app made before this ran (it holds nothing yet) gives way to the old one."""
    content_types = apps.get_model("contenttypes", "ContentType")
    for old_app, model in [("staff", "staffmember"), ("staff", "auditentry")]:
        old = content_types.objects.filter(app_label=old_app, model=model)
        if old.exists():
            content_types.objects.filter(app_label="access", model=model).delete()
            old.update(app_label="access")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("staff", "0002_staff_and_audit_move_to_access"),
        ('complaints', '0015_pause_stops_the_answer_deadline'),
        ('configuration', '0006_configuration_version_row'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(choices=[('view', 'viewed'), ('change', 'changed'), ('download', 'downloaded an attachment'), ('export', 'exported')], max_length=10)),
                        ('detail', models.CharField(blank=True, max_length=300)),
                        ('at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('complaint', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='audit_entries', to='complaints.complaint')),
                    ],
                    options={
                        'verbose_name': 'audit entry',
                        'verbose_name_plural': 'audit log',
                        'db_table': 'staff_auditentry',
                        'ordering': ['-at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='StaffMember',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('manager', 'complaints manager'), ('handler', 'handler'), ('management', 'management'), ('administrator', 'administrator')], max_length=20, verbose_name='role')),
                        ('language', models.CharField(choices=[('nl', 'Dutch'), ('fr', 'French'), ('de', 'German'), ('en', 'English')], default='nl', max_length=2, verbose_name='language')),
                        ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='members', to='configuration.unit', verbose_name='unit')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='staff_member', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'staff member',
                        'verbose_name_plural': 'staff members',
                        'db_table': 'staff_staffmember',
                    },
                ),
            ]
        ),
        migrations.RunPython(rename_content_types, migrations.RunPython.noop),
    ]
