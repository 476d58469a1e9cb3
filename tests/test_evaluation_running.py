"""A period that is not over is judged on the day it is drawn (issue 17): ages counted on that
day, a deadline passed only when it has passed on that day, an act that came later not yet
done, and the federal indicators counting real misses. The day is passed in, never read from
the clock. Runs on SQLite and, with DATABASE_URL set, on PostgreSQL."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest

from complaints.models import Complaint
from reporting.evaluation import evaluate, trend
from reporting.periods import Period
from tests.conftest import Cast
from tests.test_evaluation import at, decide, make

# Wednesday 11 March 2026: the year 2026 is running.
DRAWN = datetime.date(2026, 3, 11)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.fixture
def running(cast: Cast) -> dict[str, Complaint]:
    """Five complaints of 2026 as they stood on 11 March, and one of 2025."""
    made: dict[str, Complaint] = {}
    # Answered on time on 10 March, its deadlines still to come on 11 March.
    made["answered"] = make(
        1,
        at("2026-03-09"),
        status="answered",
        acknowledgement_due=day("2026-03-16"),
        answer_due=day("2026-04-08"),
        acknowledged_at=at("2026-03-10"),
        answered_at=at("2026-03-10", 15),
        closed_at=at("2026-03-10", 15),
    )
    decide(made["answered"], cast.manager, "admissible")
    made["yesterday"] = make(
        2,
        at("2026-03-10"),
        status="in_handling",
        acknowledgement_due=day("2026-03-17"),
        answer_due=day("2026-04-09"),
        acknowledged_at=at("2026-03-10", 11),
    )
    made["today"] = make(
        3,
        at("2026-03-11", 9),
        status="received",
        acknowledgement_due=day("2026-03-18"),
        answer_due=day("2026-04-10"),
    )
    # Its answer date, 4 March, has passed: a real miss.
    made["late"] = make(
        4,
        at("2026-02-02"),
        status="in_handling",
        acknowledgement_due=day("2026-02-09"),
        answer_due=day("2026-03-04"),
        acknowledged_at=at("2026-02-03"),
    )
    decide(made["late"], cast.manager, "admissible")
    # Acknowledged on 20 March: on 11 March that had not happened yet.
    made["later"] = make(
        5,
        at("2026-03-09", 14),
        status="acknowledged",
        acknowledgement_due=day("2026-03-16"),
        answer_due=day("2026-04-08"),
        acknowledged_at=at("2026-03-20"),
    )
    make(
        6,
        at("2025-06-02"),
        status="answered",
        answer_due=day("2025-07-02"),
        acknowledged_at=at("2025-06-03"),
        answered_at=at("2025-06-20"),
        closed_at=at("2025-06-20"),
    )
    return made


def test_what_is_still_open_is_aged_on_the_day_drawn_not_on_the_last_day(
    running: dict[str, Complaint],
) -> None:
    found = evaluate(Period.year(2026), today=DRAWN)
    assert found.as_of == DRAWN and found.running
    assert found.open_count == 4
    assert found.open_at_end == Counter({"0-14": 3, "15-30": 0, "31-90": 1, "91+": 0})
    assert found.oldest_open_days == 37  # 2 February to 11 March


def test_a_deadline_is_passed_only_when_it_has_passed_on_the_day_drawn(
    running: dict[str, Complaint],
) -> None:
    found = evaluate(Period.year(2026), today=DRAWN)
    ack = found.acknowledgement
    # Met: 1, 2, 4; the one acknowledged on 20 March and the one of today: still to come.
    assert (ack.met, ack.missed, ack.pending, ack.not_owed) == (3, 0, 2, 0)
    answer = found.answer
    assert (answer.met, answer.missed, answer.pending) == (1, 1, 3)
    assert found.late_count == 1
    assert [row["reference"] for row in found.late] == ["T-004"]


def test_the_federal_indicator_counts_only_real_misses(running: dict[str, Complaint]) -> None:
    web = evaluate(Period.year(2026), today=DRAWN).by_channel["web"]
    assert web.received == 5
    assert (web.answered_on_time, web.answer_due_passed) == (1, 1)


def test_an_act_after_the_day_drawn_is_not_yet_done(running: dict[str, Complaint]) -> None:
    later = evaluate(Period.year(2026), today=day("2026-03-25"))
    # On 25 March the one acknowledged on 20 March is late, and so is the one of 11 March.
    assert (later.acknowledgement.met, later.acknowledgement.missed) == (3, 2)
    assert later.answer.missed == 1


def test_a_closed_year_is_judged_at_its_last_day_for_what_was_open(
    running: dict[str, Complaint],
) -> None:
    found = evaluate(Period.year(2025), today=DRAWN)
    assert found.as_of == day("2025-12-31") and not found.running
    assert found.received == 1 and found.open_count == 0
    assert found.answer.met == 1


def test_a_custom_period_ending_today_is_running(running: dict[str, Complaint]) -> None:
    found = evaluate(Period(day("2026-03-01"), DRAWN), today=DRAWN)
    assert found.running and found.as_of == DRAWN
    assert found.received == 4
    assert found.oldest_open_days == 2


def test_the_trend_judges_the_running_year_on_the_day_drawn(
    running: dict[str, Complaint],
) -> None:
    years = trend(2026, today=DRAWN)
    assert years[-1].answered_on_time.count == 1 and years[-1].answered_on_time.of == 2
