"""The background processes' housekeeping: finished task rows are pruned, and the health check
says whether mail is flowing (exit code 1 when it is not)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from messaging.models import Lease, OutboxMessage, WorkerBeat
from messaging.processes import task_results_prune
from messaging.tasks import deliver_due_messages

pytestmark = pytest.mark.django_db


def test_finished_task_rows_are_pruned_after_an_hour_failures_after_a_week(
    settings: Settings,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    rows = [deliver_due_messages.enqueue().id for _ in range(5)]
    now = timezone.now()
    ago = datetime.timedelta
    for row, (status, age) in zip(
        rows,
        [
            ("SUCCESSFUL", ago(hours=2)),
            ("SUCCESSFUL", ago(minutes=30)),
            ("FAILED", ago(days=8)),
            ("FAILED", ago(days=2)),
            ("READY", ago(days=30)),
        ],
        strict=True,
    ):
        DBTaskResult.objects.filter(id=row).update(status=status, finished_at=now - age)
    assert task_results_prune() == 2
    assert DBTaskResult.objects.count() == 3


def health(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("health", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        return int(exit.code or 0), out.getvalue() + err.getvalue()
    return 0, out.getvalue()


def processes_alive() -> None:
    """A scheduler holding its lease and a worker that just beat."""
    Lease.objects.create(
        name="scheduler", holder="s", expires_at=timezone.now() + datetime.timedelta(seconds=15)
    )
    WorkerBeat.objects.create(worker_id="w", seen_at=timezone.now())


def test_the_health_check_says_mail_flows_when_it_does() -> None:
    processes_alive()
    code, said = health()
    assert code == 0, said
    assert "mail is flowing" in said


def test_the_health_check_fails_when_mail_waits_too_long_or_nobody_sends_it() -> None:
    code, said = health()
    assert code == 1
    assert "no scheduler" in said and "no worker" in said

    processes_alive()
    message = OutboxMessage.objects.create(
        to="a@example.be",
        language="nl",
        subject="s",
        body_text="t",
        body_html="h",
        message_id="<1@example.org>",
        next_attempt_at=timezone.now(),
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=20)
    )
    code, said = health("--max-age", "600")
    assert code == 1
    assert "oldest undelivered" in said
    assert health("--max-age", "3600")[0] == 0
