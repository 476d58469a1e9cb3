"""What the write paths tell webhook receivers (``messaging.webhooks``): called inside the
transaction of the act, so an event is queued exactly when its act commits."""

from __future__ import annotations

from typing import Any

from complaints.models import Complaint
from configuration.models import WebhookEvent
from messaging.webhooks import webhook_enqueue


def complaint_summary(complaint: Complaint) -> dict[str, Any]:
    """What an event says of a complaint: no personal data, so the body may wait in the
    table and travel to any receiver; the receiver reads the rest through the API."""
    return {
        "id": complaint.pk,
        "reference": complaint.reference,
        "status": complaint.status,
        "channel": complaint.channel,
        "received_at": complaint.received_at,
        "closed_at": complaint.closed_at,
    }


def complaint_event(complaint: Complaint, event: WebhookEvent) -> None:
    webhook_enqueue(event, {"complaint": complaint_summary(complaint)})
