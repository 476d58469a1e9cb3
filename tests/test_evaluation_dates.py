"""The local dates the complaint stores for the evaluation: the date in Brussels of each
moment, kept by the database whichever way the moment was written, and read by the evaluation
instead of converting timestamps. Runs on SQLite and, with DATABASE_URL set, on PostgreSQL."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints.models import Complaint
from reporting.evaluation import evaluate
from reporting.periods import Period
from tests.conftest import Cast
from tests.test_evaluation import TODAY, at, make

# What each database writes to turn a timestamp into a local date.
CONVERSIONS = ("AT TIME ZONE", "django_datetime_cast_date")


def test_each_moment_is_stored_as_its_date_in_brussels(cast: Cast) -> None:
    # 23:30 in Brussels is already the next day in UTC, and 00:30 the day before.
    complaint = make(1, at("2025-03-03", 0), acknowledged_at=at("2025-03-03", 23))
    complaint.refresh_from_db()
    assert complaint.received_on == datetime.date(2025, 3, 3)
    assert complaint.acknowledged_on == datetime.date(2025, 3, 3)
    assert complaint.answered_on is None and complaint.closed_on is None
    late_evening = datetime.datetime(2025, 3, 10, 23, 30, tzinfo=datetime.UTC)
    Complaint.objects.filter(pk=complaint.pk).update(
        answered_at=late_evening, closed_at=late_evening
    )
    complaint.refresh_from_db()
    assert complaint.answered_on == complaint.closed_on == datetime.date(2025, 3, 11)


def test_the_evaluation_converts_no_timestamp_of_a_complaint(cast: Cast) -> None:
    make(
        1,
        at("2025-03-03"),
        acknowledged_at=at("2025-03-04"),
        answered_at=at("2025-03-10"),
        closed_at=at("2025-03-10"),
        status="answered",
    )
    with CaptureQueriesContext(connection) as queries:
        found = evaluate(Period.year(2025), today=TODAY)
    assert found.received == 1 and found.answer.met == 1
    reading_complaints = [q["sql"] for q in queries if '"complaints_complaint"' in q["sql"]]
    assert reading_complaints
    assert not [sql for sql in reading_complaints if any(c in sql for c in CONVERSIONS)]
