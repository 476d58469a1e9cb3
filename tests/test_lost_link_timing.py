""" "I lost my link" takes as long whether the reference and the address match, the address is
wrong or the reference unknown (OWASP ASVS 2.2.x, no oracle by timing): the request does the
same work in all three cases, and the check itself runs in the worker. Measured in-process,
over the real task queue (the database backend the web uses)."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings
from scipy.stats import mannwhitneyu

from complaints.models import Complaint
from tests.helpers import file_complaint

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo")]

EMAIL = "anne.dupont@example.be"
TRIES = 40  # per case; about a second in all


@pytest.fixture
def complaint(demo: None, client: Client) -> Complaint:
    return file_complaint(client, email=EMAIL)


@pytest.fixture(autouse=True)
def _tasks_in_the_database(settings: Settings, complaint: Complaint) -> None:
    """As in production: the request only puts work in the queue (after filing, so that the
    complaint is there and its acknowledgement out of the way)."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def cases(complaint: Complaint) -> dict[str, dict[str, str]]:
    return {
        "matching": {"reference": complaint.reference, "email": EMAIL},
        "wrong address": {"reference": complaint.reference, "email": "someone@example.be"},
        "unknown reference": {"reference": "2020-999999", "email": EMAIL},
    }


def addresses() -> Iterator[str]:
    """A fresh address for every try: the limit per address (5 an hour) is not what is
    measured here."""
    for n in range(100_000):
        yield f"10.{n // 65536}.{n // 256 % 256}.{n % 256}"


def shape(sql: str) -> str:
    """A statement without its values."""
    return re.sub(r"'(?:[^']|'')*'|(?<![\w.])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?", "?", sql)


def test_the_three_cases_make_the_same_queries(complaint: Complaint) -> None:
    address = addresses()
    made = {}
    for case, data in cases(complaint).items():
        client = Client(HTTP_HOST="localhost", REMOTE_ADDR=next(address))
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/fr/follow/lost/", data)
        assert response.status_code == 302
        made[case] = [shape(query["sql"]) for query in queries.captured_queries]
    assert made["matching"] == made["wrong address"] == made["unknown reference"]
    assert complaint.tokens.count() == 1  # nothing issued in the request


def test_the_answer_takes_as_long_whether_or_not_they_match(complaint: Complaint) -> None:
    """Medians over tries interleaved case by case (so that a busy machine slows all three
    alike), compared with a rank test. Only a difference both larger than a generous margin
    and significant fails: the noise of a shared machine is neither."""
    address = addresses()
    times: dict[str, list[float]] = {case: [] for case in cases(complaint)}
    for round_ in range(TRIES + 3):
        order = list(cases(complaint).items())
        order = order[round_ % 3 :] + order[: round_ % 3]  # each case goes first in turn
        for case, data in order:
            client = Client(HTTP_HOST="localhost", REMOTE_ADDR=next(address))
            started = time.perf_counter()
            response = client.post("/fr/follow/lost/", data)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 302
            if round_ >= 3:  # warm-up
                times[case].append(elapsed)
    matching = times["matching"]
    for other in ("wrong address", "unknown reference"):
        difference = statistics.median(matching) - statistics.median(times[other])
        margin = max(1.0, 0.2 * statistics.median(times[other]))
        p = mannwhitneyu(matching, times[other]).pvalue
        print(f"matching vs {other}: {difference:+.2f} ms (margin {margin:.2f} ms), p = {p:.4f}")
        assert not (abs(difference) > margin and p < 0.001), (other, difference, p)
