"""Deadlines on a calendar of working days (E4), table-driven.

Every expected date was worked out by hand on a real calendar (weekdays and Belgian public
holidays of 2026 and 2027). The day of receipt is day 0: "2 working days" after a Friday is the
Tuesday. Only the pure part of ``complaints.deadlines`` is used, so no database is needed.
"""

from __future__ import annotations

import datetime

import pytest

from complaints.deadlines import (
    Calendar,
    Policy,
    add_working_days,
    due_date,
    next_working_day,
    working_days_before,
)

D = datetime.date

BELGIUM = Calendar()
FEDERAL = Calendar(every_year=frozenset({(11, 15)}))
BRIDGE_AFTER_ASCENSION = Calendar(closing_days=frozenset({D(2026, 5, 15)}))

ACKNOWLEDGEMENT = Policy(days=2, working_days=True)
ANSWER = Policy(days=14, working_days=False)


def case(
    description: str,
    received: datetime.date,
    expected: datetime.date,
    calendar: Calendar = BELGIUM,
    policy: Policy = ACKNOWLEDGEMENT,
) -> object:
    return pytest.param(received, policy, calendar, expected, id=description)


DUE_DATES = [
    # Weekends.
    case("an ordinary monday plus 2 working days is the wednesday", D(2026, 6, 15), D(2026, 6, 17)),
    case("a friday evening plus 2 working days is the tuesday", D(2026, 6, 12), D(2026, 6, 16)),
    case("a saturday receipt plus 2 working days is the tuesday", D(2026, 6, 13), D(2026, 6, 16)),
    case("a sunday receipt plus 2 working days is the tuesday", D(2026, 6, 14), D(2026, 6, 16)),
    case("a thursday plus 2 working days is the monday", D(2026, 6, 11), D(2026, 6, 15)),
    # Belgian public holidays.
    case(
        "the thursday before easter skips easter monday and lands on tuesday",
        D(2026, 4, 2),
        D(2026, 4, 7),
    ),
    case(
        "good friday is a working day so it counts from there to wednesday after easter",
        D(2026, 4, 3),
        D(2026, 4, 8),
    ),
    case(
        "the thursday before labour day skips 1 may and lands on tuesday",
        D(2026, 4, 30),
        D(2026, 5, 5),
    ),
    case(
        "the wednesday before ascension skips ascension and lands on monday",
        D(2026, 5, 13),
        D(2026, 5, 18),
    ),
    case(
        "the friday before whit monday skips whit monday and lands on wednesday",
        D(2026, 5, 22),
        D(2026, 5, 27),
    ),
    case(
        "the monday before the national day skips 21 july and lands on thursday",
        D(2026, 7, 20),
        D(2026, 7, 23),
    ),
    case(
        "the friday before the national day lands on wednesday 22 july",
        D(2026, 7, 17),
        D(2026, 7, 22),
    ),
    case(
        "assumption on a saturday gives no substitute day so friday still lands on tuesday",
        D(2026, 8, 14),
        D(2026, 8, 18),
    ),
    case(
        "all saints on a sunday gives no substitute day so friday still lands on tuesday",
        D(2026, 10, 30),
        D(2026, 11, 3),
    ),
    case(
        "the tuesday before armistice skips 11 november and lands on friday",
        D(2026, 11, 10),
        D(2026, 11, 13),
    ),
    case(
        "christmas eve skips christmas and the weekend and lands on tuesday",
        D(2026, 12, 24),
        D(2026, 12, 29),
    ),
    case(
        "the wednesday before christmas lands on the monday after it",
        D(2026, 12, 23),
        D(2026, 12, 28),
    ),
    # 15 November, the federal staff holiday, closed every year when configured.
    case(
        "15 november on a sunday in 2026 changes nothing for federal staff",
        D(2026, 11, 13),
        D(2026, 11, 17),
        FEDERAL,
    ),
    case(
        "a friday before 15 november 2027 lands on tuesday when the day is not configured",
        D(2027, 11, 12),
        D(2027, 11, 16),
    ),
    case(
        "a friday before 15 november 2027 lands on wednesday for federal staff",
        D(2027, 11, 12),
        D(2027, 11, 17),
        FEDERAL,
    ),
    case(
        "the day before armistice 2027 lands on monday 15 november when it is not configured",
        D(2027, 11, 10),
        D(2027, 11, 15),
    ),
    case(
        "the day before armistice 2027 skips armistice and 15 november for federal staff",
        D(2027, 11, 10),
        D(2027, 11, 16),
        FEDERAL,
    ),
    # A bridge day is a one-off closing day.
    case(
        "the wednesday before ascension lands on tuesday when the friday after is a bridge day",
        D(2026, 5, 13),
        D(2026, 5, 19),
        BRIDGE_AFTER_ASCENSION,
    ),
    case(
        "a bridge day in 2026 does not close 15 may of another year",
        D(2028, 5, 12),
        D(2028, 5, 16),
        BRIDGE_AFTER_ASCENSION,
    ),
    # The turn of the year.
    case(
        "30 december plus 2 working days skips new year and the weekend to monday 4 january",
        D(2026, 12, 30),
        D(2027, 1, 4),
    ),
    case(
        "31 december plus 2 working days is tuesday 5 january",
        D(2026, 12, 31),
        D(2027, 1, 5),
    ),
    # Calendar days: the default 14 for the answer.
    case(
        "an ordinary monday plus 14 calendar days is the monday two weeks later",
        D(2026, 6, 15),
        D(2026, 6, 29),
        policy=ANSWER,
    ),
    case(
        "14 calendar days ending on a saturday move to the monday",
        D(2026, 6, 13),
        D(2026, 6, 29),
        policy=ANSWER,
    ),
    case(
        "14 calendar days ending on easter monday move to the tuesday",
        D(2026, 3, 23),
        D(2026, 4, 7),
        policy=ANSWER,
    ),
    case(
        "14 calendar days ending on christmas move past the weekend to monday 28 december",
        D(2026, 12, 11),
        D(2026, 12, 28),
        policy=ANSWER,
    ),
    case(
        "14 calendar days ending on new year move past the weekend to monday 4 january",
        D(2026, 12, 18),
        D(2027, 1, 4),
        policy=ANSWER,
    ),
    case(
        "30 december plus 14 calendar days is wednesday 13 january",
        D(2026, 12, 30),
        D(2027, 1, 13),
        policy=ANSWER,
    ),
    case(
        "31 december plus 14 calendar days is thursday 14 january",
        D(2026, 12, 31),
        D(2027, 1, 14),
        policy=ANSWER,
    ),
    case(
        "14 calendar days ending on 15 november 2027 stay there when it is not configured",
        D(2027, 11, 1),
        D(2027, 11, 15),
        policy=ANSWER,
    ),
    case(
        "14 calendar days ending on 15 november 2027 move to tuesday for federal staff",
        D(2027, 11, 1),
        D(2027, 11, 16),
        FEDERAL,
        ANSWER,
    ),
    case(
        "14 calendar days ending on a bridge day move to the monday",
        D(2026, 5, 1),
        D(2026, 5, 18),
        BRIDGE_AFTER_ASCENSION,
        ANSWER,
    ),
    # No days at all.
    case(
        "0 working days from a working day is the day of receipt",
        D(2026, 6, 15),
        D(2026, 6, 15),
        policy=Policy(days=0, working_days=True),
    ),
    case(
        "0 calendar days from a working day is the day of receipt",
        D(2026, 6, 15),
        D(2026, 6, 15),
        policy=Policy(days=0, working_days=False),
    ),
    case(
        "0 calendar days from a saturday is the next monday",
        D(2026, 6, 13),
        D(2026, 6, 15),
        policy=Policy(days=0, working_days=False),
    ),
    case(
        "0 calendar days from christmas is the next monday",
        D(2026, 12, 25),
        D(2026, 12, 28),
        policy=Policy(days=0, working_days=False),
    ),
    # Longer working-day deadlines.
    case(
        "10 working days from the friday before whit monday skip the holiday and the weekends",
        D(2026, 5, 22),
        D(2026, 6, 8),
        policy=Policy(days=10, working_days=True),
    ),
]


@pytest.mark.parametrize(("received", "policy", "calendar", "expected"), DUE_DATES)
def test_due_date(
    received: datetime.date, policy: Policy, calendar: Calendar, expected: datetime.date
) -> None:
    assert due_date(received, policy, calendar) == expected


def test_0_working_days_from_a_saturday_is_due_on_a_working_day() -> None:
    assert due_date(D(2026, 6, 13), Policy(days=0, working_days=True), BELGIUM) == D(2026, 6, 15)


@pytest.mark.parametrize(
    ("start", "days", "calendar", "expected"),
    [
        pytest.param(
            D(2026, 6, 12), 2, BELGIUM, D(2026, 6, 16), id="a friday plus 2 is the tuesday"
        ),
        pytest.param(
            D(2026, 12, 31), 1, BELGIUM, D(2027, 1, 4), id="new year eve plus 1 is 4 january"
        ),
        pytest.param(
            D(2026, 5, 13),
            1,
            BRIDGE_AFTER_ASCENSION,
            D(2026, 5, 18),
            id="ascension eve plus 1 skips ascension the bridge day and the weekend",
        ),
    ],
)
def test_add_working_days(
    start: datetime.date, days: int, calendar: Calendar, expected: datetime.date
) -> None:
    assert add_working_days(start, days, calendar) == expected


@pytest.mark.parametrize(
    ("day", "calendar", "expected"),
    [
        pytest.param(D(2026, 6, 15), BELGIUM, D(2026, 6, 15), id="a working day stays put"),
        pytest.param(D(2026, 6, 13), BELGIUM, D(2026, 6, 15), id="a saturday moves to monday"),
        pytest.param(D(2026, 6, 14), BELGIUM, D(2026, 6, 15), id="a sunday moves to monday"),
        pytest.param(
            D(2026, 5, 14),
            BELGIUM,
            D(2026, 5, 15),
            id="ascension moves to the friday when it is not a bridge day",
        ),
        pytest.param(
            D(2026, 5, 14),
            BRIDGE_AFTER_ASCENSION,
            D(2026, 5, 18),
            id="ascension moves to the monday when the friday is a bridge day",
        ),
        pytest.param(
            D(2027, 1, 1), BELGIUM, D(2027, 1, 4), id="new year on a friday moves to monday"
        ),
        pytest.param(
            D(2027, 11, 15),
            FEDERAL,
            D(2027, 11, 16),
            id="15 november 2027 moves to tuesday for federal staff",
        ),
    ],
)
def test_next_working_day(day: datetime.date, calendar: Calendar, expected: datetime.date) -> None:
    assert next_working_day(day, calendar) == expected


@pytest.mark.parametrize(
    ("due", "days", "calendar", "expected"),
    [
        pytest.param(
            D(2026, 6, 17), 1, BELGIUM, D(2026, 6, 16), id="1 before a wednesday is the tuesday"
        ),
        pytest.param(
            D(2026, 6, 16),
            2,
            BELGIUM,
            D(2026, 6, 12),
            id="2 before a tuesday crosses the weekend to the friday",
        ),
        pytest.param(
            D(2026, 6, 15),
            1,
            BELGIUM,
            D(2026, 6, 12),
            id="1 before a monday crosses the weekend to the friday",
        ),
        pytest.param(
            D(2026, 4, 7),
            1,
            BELGIUM,
            D(2026, 4, 3),
            id="1 before the tuesday after easter skips easter monday to good friday",
        ),
        pytest.param(
            D(2026, 4, 7),
            2,
            BELGIUM,
            D(2026, 4, 2),
            id="2 before the tuesday after easter is the thursday before",
        ),
        pytest.param(
            D(2026, 5, 19),
            2,
            BELGIUM,
            D(2026, 5, 15),
            id="2 before the tuesday after ascension is the friday when it is open",
        ),
        pytest.param(
            D(2026, 5, 19),
            2,
            BRIDGE_AFTER_ASCENSION,
            D(2026, 5, 13),
            id="2 before the tuesday after ascension skips the bridge day and ascension",
        ),
        pytest.param(
            D(2027, 1, 4),
            1,
            BELGIUM,
            D(2026, 12, 31),
            id="1 before 4 january skips the weekend and new year back into the old year",
        ),
        pytest.param(
            D(2027, 11, 16),
            1,
            FEDERAL,
            D(2027, 11, 12),
            id="1 before 16 november 2027 skips 15 november and the weekend for federal staff",
        ),
        pytest.param(
            D(2026, 6, 16), 0, BELGIUM, D(2026, 6, 16), id="0 before a due date is the due date"
        ),
    ],
)
def test_working_days_before(
    due: datetime.date, days: int, calendar: Calendar, expected: datetime.date
) -> None:
    assert working_days_before(due, days, calendar) == expected


@pytest.mark.parametrize(
    ("received", "days"),
    [
        pytest.param(D(2026, 6, 12), 2, id="counting back over a weekend undoes counting forward"),
        pytest.param(D(2026, 4, 2), 3, id="counting back over easter undoes counting forward"),
        pytest.param(
            D(2026, 12, 24), 5, id="counting back over the turn of the year undoes counting forward"
        ),
    ],
)
def test_working_days_before_undoes_add_working_days_from_a_working_day(
    received: datetime.date, days: int
) -> None:
    due = add_working_days(received, days, BELGIUM)
    assert working_days_before(due, days, BELGIUM) == received


@pytest.mark.parametrize(
    ("day", "calendar", "expected"),
    [
        pytest.param(D(2026, 6, 15), BELGIUM, True, id="an ordinary monday is a working day"),
        pytest.param(D(2026, 6, 13), BELGIUM, False, id="a saturday is closed"),
        pytest.param(D(2026, 6, 14), BELGIUM, False, id="a sunday is closed"),
        pytest.param(D(2026, 1, 1), BELGIUM, False, id="new year is closed"),
        pytest.param(D(2026, 4, 3), BELGIUM, True, id="good friday is a working day in belgium"),
        pytest.param(D(2026, 4, 6), BELGIUM, False, id="easter monday 2026 is closed"),
        pytest.param(D(2026, 5, 1), BELGIUM, False, id="labour day is closed"),
        pytest.param(D(2026, 5, 8), BELGIUM, True, id="8 may is a working day in belgium"),
        pytest.param(D(2026, 5, 14), BELGIUM, False, id="ascension 2026 is closed"),
        pytest.param(
            D(2026, 5, 15), BELGIUM, True, id="the friday after ascension is open by default"
        ),
        pytest.param(
            D(2026, 5, 15),
            BRIDGE_AFTER_ASCENSION,
            False,
            id="the friday after ascension is closed when configured as a bridge day",
        ),
        pytest.param(D(2026, 5, 25), BELGIUM, False, id="whit monday 2026 is closed"),
        pytest.param(
            D(2025, 7, 11),
            BELGIUM,
            True,
            id="the flemish community holiday is not a federal closing day",
        ),
        pytest.param(D(2026, 7, 21), BELGIUM, False, id="the national day is closed"),
        pytest.param(
            D(2026, 8, 17),
            BELGIUM,
            True,
            id="the monday after assumption on a saturday is no substitute day",
        ),
        pytest.param(
            D(2026, 11, 2),
            BELGIUM,
            True,
            id="the monday after all saints on a sunday is no substitute day",
        ),
        pytest.param(D(2026, 11, 11), BELGIUM, False, id="armistice is closed"),
        pytest.param(D(2027, 11, 15), BELGIUM, True, id="15 november is open when not configured"),
        pytest.param(D(2027, 11, 15), FEDERAL, False, id="15 november is closed for federal staff"),
        pytest.param(D(2026, 12, 25), BELGIUM, False, id="christmas is closed"),
        pytest.param(D(2025, 12, 26), BELGIUM, True, id="boxing day is a working day in belgium"),
    ],
)
def test_is_working_day(day: datetime.date, calendar: Calendar, expected: bool) -> None:
    assert calendar.is_working_day(day) is expected
