"""Webhooks: a receiver is told when a complaint is filed, decided, answered or closed; each
body is signed and timestamped, and delivered from a table with retries, to a real HTTP server
on loopback."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from common.schedule import jobs
from complaints import handling
from complaints.models import Complaint, DecisionKind, Outcome, Status
from configuration.models import Unit, WebhookEvent, WebhookReceiver
from messaging.models import State, WebhookDelivery
from messaging.outbox import backoff
from messaging.webhooks import webhook_deliver_due
from tests.conftest import Cast, free_port
from tests.helpers import file_complaint

SECRET = "s" * 40
pytestmark = pytest.mark.django_db(transaction=True)


class Receiver:
    """An HTTP server on loopback that keeps what it is sent; ``failures`` answers 503 first."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.failures = 0
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # the standard library's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.failures:
                    receiver.failures -= 1
                    self.send_response(503)
                else:
                    receiver.received.append((dict(self.headers.items()), body))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def events(self) -> list[str]:
        return [json.loads(body)["event"] for _headers, body in self.received]


@pytest.fixture
def receiver(db: None) -> Iterator[Receiver]:
    found = Receiver()
    found.thread.start()
    WebhookReceiver.objects.create(name="records", url=found.url, secret=SECRET)
    yield found
    found.server.shutdown()
    found.server.server_close()


def verify(headers: dict[str, str], body: bytes) -> bool:
    """What a receiver does with ``Querela-Signature: t=...,v1=...``."""
    parts = dict(part.split("=", 1) for part in headers["Querela-Signature"].split(","))
    expected = hmac.new(
        SECRET.encode(), parts["t"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    fresh = abs(timezone.now().timestamp() - int(parts["t"])) < 300
    return hmac.compare_digest(expected, parts["v1"]) and fresh


def test_a_receiver_is_told_of_a_filed_complaint_with_a_signed_body(
    demo: None, receiver: Receiver, client: Client
) -> None:
    complaint = file_complaint(client)
    assert receiver.events() == ["complaint.filed"]
    headers, body = receiver.received[0]
    assert verify(headers, body)
    assert not verify(headers, body.replace(b"received", b"answered"))
    assert headers["Querela-Event"] == "complaint.filed"
    data = json.loads(body)["data"]["complaint"]
    assert data["reference"] == complaint.reference
    assert complaint.last_name not in body.decode() and complaint.email not in body.decode()


def test_decided_answered_and_closed_are_told_as_they_happen(
    cast: Cast, receiver: Receiver, client: Client
) -> None:
    complaint = file_complaint(client)
    handling.complaint_decide_admissibility(
        complaint=complaint, kind=DecisionKind.ADMISSIBLE, by=cast.manager
    )
    handling.complaint_answer(
        complaint=complaint,
        outcome=Outcome.UNFOUNDED,
        parts={"findings": "Le dossier ne montre aucune faute du service."},
        by=cast.manager,
    )
    # Each delivery goes (and is retried) on its own: receivers order by ``occurred_at``.
    assert sorted(receiver.events()) == [
        "complaint.answered",
        "complaint.closed",
        "complaint.decided",
        "complaint.filed",
    ]
    [closed] = [
        json.loads(body)["data"]["complaint"]
        for _headers, body in receiver.received
        if json.loads(body)["event"] == "complaint.closed"
    ]
    assert closed["status"] == Status.ANSWERED


def test_an_act_that_rolls_back_tells_nothing(
    cast: Cast, receiver: Receiver, client: Client
) -> None:
    complaint = file_complaint(client)
    with pytest.raises(RuntimeError), transaction.atomic():
        handling.complaint_decide_admissibility(
            complaint=complaint, kind=DecisionKind.ADMISSIBLE, by=cast.manager
        )
        raise RuntimeError
    assert receiver.events() == ["complaint.filed"]
    assert WebhookDelivery.objects.count() == 1


def test_a_receiver_that_is_down_gets_the_event_later_with_back_off(
    demo: None, receiver: Receiver, client: Client
) -> None:
    receiver.failures = 2
    file_complaint(client)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == (State.PENDING, 1)
    assert delivery.last_error == "HTTP 503"
    assert webhook_deliver_due() == 0  # not due yet: backing off
    later = timezone.now() + backoff(1) + datetime.timedelta(seconds=1)
    assert webhook_deliver_due(now=later) == 0  # down again
    delivery.refresh_from_db()
    assert delivery.next_attempt_at >= later + backoff(2) - datetime.timedelta(seconds=1)
    much_later = later + backoff(2) + datetime.timedelta(seconds=1)
    assert webhook_deliver_due(now=much_later) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (State.SENT, 3)
    assert receiver.events() == ["complaint.filed"]
    assert receiver.received[0][0]["Querela-Delivery"] == str(delivery.pk)


def test_the_scheduler_sweeps_the_due_webhooks_every_five_seconds() -> None:
    every = {job.name: seconds for job, seconds in jobs()}
    assert every["deliver_due_webhooks"] == 5


def test_a_receiver_gets_only_the_events_it_subscribed_to(
    cast: Cast, receiver: Receiver, client: Client
) -> None:
    WebhookReceiver.objects.update(events=[WebhookEvent.CLOSED.value])
    complaint = file_complaint(client)
    complaint.unit = Unit.objects.get(code="front-office")
    complaint.save()
    handling.complaint_decide_admissibility(
        complaint=Complaint.objects.get(pk=complaint.pk),
        kind=DecisionKind.INADMISSIBLE,
        grounds=["G4"],
        by=cast.manager,
    )
    assert receiver.events() == ["complaint.closed"]


def test_the_administrator_configures_a_receiver_and_never_sees_its_secret_again(
    cast: Cast,
) -> None:
    administrator = cast.client_for(cast.administrator)
    form = {"name": "records", "url": "https://records.example.be/hook", "secret": SECRET}
    short = administrator.post("/admin/configuration/webhookreceiver/add/", {**form, "secret": "x"})
    assert short.status_code == 200 and not WebhookReceiver.objects.exists()
    added = administrator.post(
        "/admin/configuration/webhookreceiver/add/",
        {**form, "events": ["complaint.closed"], "active": "on"},
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    receiver = WebhookReceiver.objects.get()
    assert (receiver.secret, receiver.events) == (SECRET, ["complaint.closed"])
    page = administrator.get(f"/admin/configuration/webhookreceiver/{receiver.pk}/change/")
    assert SECRET not in page.content.decode()
    kept = administrator.post(
        f"/admin/configuration/webhookreceiver/{receiver.pk}/change/",
        {**form, "secret": "", "events": ["complaint.filed"], "active": "on"},
    )
    assert kept.status_code == 302
    receiver.refresh_from_db()
    assert (receiver.secret, receiver.events) == (SECRET, ["complaint.filed"])
    assert administrator.get("/admin/messaging/webhookdelivery/").status_code == 200
