"""Staff members and the audit log moved to the ``access`` app; their tables stay as they are
(``access.0001`` takes them over under the same names)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("staff", "0001_staff_roles_and_audit_log")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AuditEntry"),
                migrations.DeleteModel(name="StaffMember"),
            ]
        )
    ]
