from django.db import migrations
from django.db.models import Min


def fill_ombudsman_due(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    OmbudsmanRequest = apps.get_model("complaints", "OmbudsmanRequest")
    open_requests = (
        OmbudsmanRequest.objects.filter(answered_at__isnull=True)
        .values("complaint_id").annotate(first=Min("due"))
    )
    for row in open_requests:
        Complaint.objects.filter(pk=row["complaint_id"]).update(ombudsman_due=row["first"])


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_complaint_ombudsman_due")]

    operations = [migrations.RunPython(fill_ombudsman_due, migrations.RunPython.noop)]
