"""Periodic jobs of the complaint domain, run by the worker when the scheduler enqueues them."""

import datetime

from django.tasks import task
from django.utils import timezone

from common.schedule import every
from complaints.models import PendingUpload


@every(3600)
@task()
def purge_pending_uploads() -> int:
    """Files from forms that were never sent, kept for a day, then deleted."""
    stale = PendingUpload.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(days=1))
    count = 0
    for pending in stale:
        pending.file.delete(save=False)
        pending.delete()
        count += 1
    return count


@every(15 * 60)
@task()
def send_deadline_reminders() -> int:
    from complaints.reminders import reminders_sweep

    return reminders_sweep()


@every(24 * 3600)
@task()
def anonymise_expired_complaints() -> int:
    from complaints.retention import complaints_anonymise_expired

    return complaints_anonymise_expired()
