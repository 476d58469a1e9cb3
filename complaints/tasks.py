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
def send_new_link(reference: str, email: str) -> None:
    """The lost-link form's check, run here rather than in the request, so that the request
    does the same work whether the reference and the address match or not."""
    from complaints.complainant import complainant_request_new_link

    complainant_request_new_link(reference=reference, email=email)


@task()
def send_deadline_reminders() -> int:
    from complaints.reminders import reminders_sweep

    return reminders_sweep()


@every(24 * 3600)
@task()
def anonymise_expired_complaints() -> int:
    from complaints.retention import complaints_anonymise_expired

    return complaints_anonymise_expired()


@every(3600)  # once a day, after the morning hour (``notify.DIGEST_HOUR``)
@task()
def send_notification_digests() -> int:
    from complaints.notify import notifications_digest

    return notifications_digest()
