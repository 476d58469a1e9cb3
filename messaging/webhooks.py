"""Webhooks: telling configured receivers what happened to a complaint.

``webhook_enqueue`` writes one ``WebhookDelivery`` row per receiver subscribed to the event,
in the caller's transaction (the write path of the act it tells of), and asks a worker to post
it once that transaction commits. ``webhook_deliver`` posts one row: a 2xx answer marks it
sent; anything else is retried with the outbox's back-off (``messaging.outbox.backoff``) until
``MAX_ATTEMPTS``, then marked failed. The scheduler's sweep (``webhook_deliver_due``) posts
what is due, so a worker that died or a receiver that was down only delays delivery.

Every request carries the headers a receiver needs to check it (documented in
``docs/api.md``)::

    Querela-Event: complaint.closed
    Querela-Delivery: 42
    Querela-Signature: t=1767225600,v1=<hex HMAC-SHA256 of "1767225600." + body>

The receiver recomputes the HMAC with the shared secret over the timestamp, a dot and the raw
body, compares it in constant time, and refuses a timestamp far from its own clock (replays).
A delivery may arrive more than once (a worker that died after the receiver answered):
``Querela-Delivery`` is the same for every try of one delivery.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from configuration import cache
from configuration.models import WebhookEvent
from messaging.models import State, WebhookDelivery
from messaging.outbox import MAX_ATTEMPTS, backoff

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
# A receiver that does not answer within the time-out loses its claim after this long.
LEASE = datetime.timedelta(minutes=2)
USER_AGENT = "Querela-Webhooks/1"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The value of the ``Querela-Signature`` header."""
    signed = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def webhook_enqueue(event: WebhookEvent, data: dict[str, Any]) -> list[WebhookDelivery]:
    """Queues ``event`` for every active receiver subscribed to it; call inside the write
    path's transaction. ``data`` is the event's object (no personal data). The receivers come
    from the configuration snapshot: no query when there are none."""
    receivers = [r for r in cache.current().webhook_receivers if event.value in r.events]
    if not receivers:
        return []
    now = timezone.now()
    body = json.dumps(
        {"event": event.value, "occurred_at": now.isoformat(), "data": data},
        sort_keys=True,
        default=str,
    )
    rows = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(receiver=receiver, event=event.value, body=body, next_attempt_at=now)
        for receiver in receivers
    )
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: _enqueue_delivery(ids))
    return rows


def _enqueue_delivery(ids: list[int]) -> None:
    from messaging.tasks import deliver_webhook

    for pk in ids:
        try:
            deliver_webhook.enqueue(pk)
        except Exception:
            # The row is safe in the table; the scheduler's sweep will post it.
            logger.exception("could not enqueue webhook delivery %s", pk)


def _claimable(now: datetime.datetime) -> Q:
    return Q(state=State.PENDING, next_attempt_at__lte=now) | Q(
        state=State.SENDING, claimed_until__lt=now
    )


def webhook_deliver(pk: int, *, now: datetime.datetime | None = None) -> bool:
    """Posts one delivery if it is due and nobody else holds it. True when it was accepted."""
    now = now or timezone.now()
    claimed = WebhookDelivery.objects.filter(_claimable(now), pk=pk).update(
        state=State.SENDING, claimed_until=now + LEASE
    )
    if not claimed:
        return False
    delivery = WebhookDelivery.objects.select_related("receiver").get(pk=pk)
    body = delivery.body.encode()
    request = urllib.request.Request(  # noqa: S310  # the URL field admits http(s) only
        delivery.receiver.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "Querela-Event": delivery.event,
            "Querela-Delivery": str(delivery.pk),
            "Querela-Signature": signature(delivery.receiver.secret, int(now.timestamp()), body),
        },
    )
    error = ""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
            status = answer.status
    except urllib.error.HTTPError as failure:
        status, error = failure.code, f"HTTP {failure.code}"
    except (OSError, ValueError) as failure:
        status, error = 0, str(failure)[:500] or type(failure).__name__
    attempts = delivery.attempts + 1
    if 200 <= status < 300:
        WebhookDelivery.objects.filter(pk=pk).update(
            state=State.SENT, attempts=attempts, sent_at=timezone.now(), last_error=""
        )
        return True
    WebhookDelivery.objects.filter(pk=pk).update(
        state=State.FAILED if attempts >= MAX_ATTEMPTS else State.PENDING,
        attempts=attempts,
        next_attempt_at=now + backoff(attempts),
        claimed_until=None,
        last_error=error or f"HTTP {status}",
    )
    return False


def webhook_deliver_due(*, now: datetime.datetime | None = None) -> int:
    """Posts every delivery that is due (new, to retry, or left by a worker that died)."""
    now = now or timezone.now()
    due = list(
        WebhookDelivery.objects.filter(_claimable(now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:200]
    )
    return sum(webhook_deliver(pk, now=now) for pk in due)
