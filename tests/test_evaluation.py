"""The evaluation of a year (E12): a year with known counts, edges included, and every figure
checked. Runs on SQLite and, with DATABASE_URL set, on PostgreSQL."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from complaints.models import Complaint, FinalAnswer, Satisfaction
from complaints.retention import anonymise
from configuration.models import Category, Norm, Unit
from reporting.calendar import calendar_ensure
from reporting.evaluation import days_histograms, evaluate, median, received_in, trend
from reporting.periods import Period
from tests.conftest import Cast

TODAY = datetime.date(2026, 12, 1)


def at(day: str, hour: int = 10) -> datetime.datetime:
    """A moment in Brussels local time (CET for the days used here)."""
    zone = timezone.get_current_timezone()
    return datetime.datetime.combine(
        datetime.date.fromisoformat(day), datetime.time(hour), tzinfo=zone
    )


def make(number: int, received: datetime.datetime, **fields: Any) -> Complaint:
    from complaints import deadlines
    from configuration.models import DeadlineKind

    calendar = deadlines.calendar_from_configuration()
    received_on = timezone.localdate(received)
    values: dict[str, Any] = {
        "reference": f"T-{number:03d}",
        "status": "acknowledged",
        "channel": "web",
        "complainant_kind": "person",
        "first_name": "Anne",
        "last_name": "Geheim",
        "language": "nl",
        "category": Category.objects.get(code="waiting-time"),
        "facts_start": received_on,
        "description": "Een klacht.",
        "received_at": received,
        "acknowledgement_due": deadlines.due_date(
            received_on,
            deadlines.policy_from_configuration(DeadlineKind.ACKNOWLEDGEMENT),
            calendar,
        ),
        "answer_due": deadlines.due_date(
            received_on, deadlines.policy_from_configuration(DeadlineKind.ANSWER), calendar
        ),
    }
    values.update(fields)
    return Complaint.objects.create(**values)


def decide(complaint: Complaint, by: User, kind: str, **fields: Any) -> None:
    complaint.decisions.create(kind=kind, decided_by=by, decided_at=complaint.received_at, **fields)


def answer(complaint: Complaint, by: User, outcome: str, *norms: str) -> None:
    final = FinalAnswer.objects.create(
        complaint=complaint,
        outcome=outcome,
        sent_by=by,
        sent_at=complaint.answered_at or complaint.received_at,
    )
    final.breached(Norm.objects.filter(code__in=norms))


@pytest.fixture
def year(cast: Cast) -> dict[str, Complaint]:
    """2025 as the tests know it: nine complaints, and two in 2024."""
    manager = cast.manager
    front = Unit.objects.get(code="front-office")
    social = Unit.objects.get(code="social-integration")
    made: dict[str, Complaint] = {}
    made["founded"] = make(
        1,
        at("2025-03-03"),
        status="answered",
        unit=front,
        acknowledged_at=at("2025-03-04"),
        answered_at=at("2025-03-10"),
        closed_at=at("2025-03-10"),
    )
    decide(made["founded"], manager, "admissible")
    answer(made["founded"], manager, "founded", "reasonable-time")
    Satisfaction.objects.create(complaint=made["founded"], satisfied=True, at=at("2025-03-20"))
    # Received on 31 December, acknowledged in January (1 January and the bridge day of
    # 2 January closed: Monday 5 January is the first working day), answered late.
    made["new_year"] = make(
        2,
        at("2025-12-31", 15),
        status="answered",
        channel="email",
        language="fr",
        unit=social,
        acknowledged_at=at("2026-01-05"),
        answered_at=at("2026-01-20"),
        closed_at=at("2026-01-20"),
    )
    decide(made["new_year"], manager, "admissible")
    answer(made["new_year"], manager, "unfounded")
    Satisfaction.objects.create(complaint=made["new_year"], satisfied=False, at=at("2026-01-25"))
    # Never acknowledged: refused the next day. The acknowledgement is missed, closed or not.
    made["refused"] = make(
        3,
        at("2025-06-02"),
        status="inadmissible",
        channel="letter",
        answered_at=at("2025-06-03"),
        closed_at=at("2025-06-03"),
    )
    decide(made["refused"], manager, "inadmissible", grounds=["G3", "G5"])
    # Withdrawn on the day of receipt: no deadline was owed.
    made["withdrawn"] = make(
        4, at("2025-05-05"), status="withdrawn", closed_at=at("2025-05-05", 12)
    )
    made["question"] = make(
        5,
        at("2025-04-01"),
        status="not_a_complaint",
        channel="phone",
        complainant_kind="company",
        acknowledged_at=at("2025-04-01", 11),
        answered_at=at("2025-04-02"),
        closed_at=at("2025-04-02"),
    )
    decide(made["question"], manager, "not_a_complaint", not_a_complaint_kind="question")
    made["forwarded"] = make(
        6,
        at("2025-04-10"),
        status="forwarded",
        channel="counter",
        language="de",
        acknowledged_at=at("2025-04-11"),
        answered_at=at("2025-04-11"),
        closed_at=at("2025-04-11"),
    )
    decide(made["forwarded"], manager, "not_competent")
    # Extended by an interim message, answered within the new date, then the Ombudsman asked
    # about it (replied late).
    made["extended"] = make(
        7,
        at("2025-09-01"),
        status="answered",
        unit=front,
        acknowledged_at=at("2025-09-01", 11),
        answer_due=datetime.date(2025, 9, 30),
        answered_at=at("2025-09-25"),
        closed_at=at("2025-09-25"),
    )
    made["extended"].extensions.create(
        reason="Onderzoek",
        previous_due=datetime.date(2025, 9, 15),
        new_due=datetime.date(2025, 9, 30),
        by=manager,
        at=at("2025-09-12"),
    )
    decide(made["extended"], manager, "admissible")
    answer(made["extended"], manager, "partially_founded", "reasonable-time", "correct-treatment")
    made["extended"].ombudsman_requests.create(
        received_on=datetime.date(2025, 10, 20),
        due=datetime.date(2025, 11, 4),
        summary="Vraag",
        answered_at=at("2025-11-10"),
        registered_by=manager,
        registered_at=at("2025-10-20"),
    )
    # Still open at the end of the year, 30 days old; its answer date has passed.
    made["open"] = make(
        8,
        at("2025-12-01"),
        status="in_handling",
        unit=social,
        acknowledged_at=at("2025-12-02"),
    )
    decide(made["open"], manager, "admissible")
    # Answered on time, then anonymised after the retention period: still counted.
    made["anonymised"] = make(
        9,
        at("2025-02-03"),
        status="answered",
        category=Category.objects.get(code="other"),
        acknowledged_at=at("2025-02-03", 12),
        answered_at=at("2025-02-14"),
        closed_at=at("2025-02-14"),
    )
    decide(made["anonymised"], manager, "admissible")
    answer(made["anonymised"], manager, "founded")
    anonymise(made["anonymised"], at=at("2026-03-01"))
    # Not 2025: 1 January 2026 at 00:30 in Brussels (still 31 December in UTC), and 2024.
    make(10, at("2026-01-01", 0).replace(minute=30), status="received")
    make(11, at("2024-05-06"), acknowledged_at=at("2024-05-07"))
    make(12, at("2024-11-04"), channel="email", acknowledged_at=at("2024-11-12"))
    return made


def test_the_year_counts_what_was_received_and_decided(year: dict[str, Complaint]) -> None:
    found = evaluate(Period.year(2025), today=TODAY)
    assert found.received == 9
    assert found.table("channel") == Counter(web=5, email=1, letter=1, phone=1, counter=1)
    assert found.table("language") == Counter(nl=7, fr=1, de=1)
    assert found.table("kind") == Counter(person=8, company=1)
    front, social = (
        Unit.objects.get(code=code).pk for code in ("front-office", "social-integration")
    )
    assert found.table("unit") == Counter({str(front): 2, str(social): 2})
    assert found.table("category")[str(Category.objects.get(code="other").pk)] == 1
    assert (found.admissible, found.inadmissible) == (5, 1)
    assert (found.not_a_complaint, found.forwarded) == (1, 1)
    assert found.table("not_a_complaint") == Counter(question=1)
    assert found.grounds == Counter(G3=1, G5=1)
    assert found.table("outcome") == Counter(founded=2, partially_founded=1, unfounded=1)
    assert (found.satisfied, found.not_satisfied) == (1, 1)
    reasonable = Norm.objects.get(code="reasonable-time").code
    assert found.norms_by_unit[(reasonable, str(front))] == 2
    assert sum(found.norms_by_category.values()) == 3


def test_a_deadline_passed_without_the_act_is_missed_even_when_closed(
    year: dict[str, Complaint],
) -> None:
    found = evaluate(Period.year(2025), today=TODAY)
    ack = found.acknowledgement
    # Missed: the refused one (never acknowledged). Not owed: the withdrawn one.
    assert (ack.met, ack.missed, ack.pending, ack.not_owed) == (7, 1, 0, 1)
    assert ack.on_time.of == 8 and ack.on_time.percent == 87.5
    assert ack.working_days
    # Working days from receipt: 1, 1 (31 Dec -> 5 Jan), 0, 1, 0, 1, 0.
    assert ack.days == Counter({0: 3, 1: 4})
    assert ack.median_days == 1 and ack.mean_days == 0.6
    answered = found.answer
    # Missed: answered late (31 Dec) and the open one whose date has passed.
    assert (answered.met, answered.missed, answered.pending, answered.not_owed) == (6, 2, 0, 1)
    assert answered.on_time.percent == 75.0
    # Calendar days: 7, 20, 1, 1, 1, 24, 11.
    assert answered.days == Counter({1: 3, 7: 1, 11: 1, 20: 1, 24: 1})
    assert answered.median_days == 7 and answered.mean_days == 9.3
    assert found.extended == 1
    assert found.late_count == 3
    assert {row["reference"] for row in found.late} == {"T-002", "T-003", "T-008"}


def test_what_is_still_open_on_the_last_day_is_counted_with_its_age(
    year: dict[str, Complaint],
) -> None:
    found = evaluate(Period.year(2025), today=TODAY)
    # The one received on 1 December (30 days old) and the one answered in January.
    assert found.open_count == 2
    assert found.open_at_end == Counter({"0-14": 1, "15-30": 1, "31-90": 0, "91+": 0})
    assert found.oldest_open_days == 30


def test_a_deadline_still_to_come_is_pending_and_shown_apart(cast: Cast) -> None:
    make(1, timezone.now())
    found = evaluate(Period.year(timezone.localdate().year))
    assert (found.acknowledgement.pending, found.acknowledgement.on_time.of) == (1, 0)
    assert (found.answer.pending, found.answer.missed) == (1, 0)


def test_ombudsman_requests_and_how_they_ended(year: dict[str, Complaint]) -> None:
    found = evaluate(Period.year(2025), today=TODAY)
    assert found.ombudsman.received == 1 and found.ombudsman.replied_late == 1


def test_the_federal_summary_counts_per_channel(year: dict[str, Complaint]) -> None:
    found = evaluate(Period.year(2025), today=TODAY)
    web = found.by_channel["web"]
    assert (web.received, web.admissible, web.founded, web.partially_founded) == (5, 4, 2, 1)
    # Admissible ones: passed, the open one only; the others were on time.
    assert (web.answered_on_time, web.answer_due_passed) == (3, 1)
    total = found.total
    assert (total.received, total.admissible, total.answered_on_time) == (9, 5, 3)


def test_the_previous_year_and_the_trend(year: dict[str, Complaint]) -> None:
    previous = evaluate(Period.year(2025).previous(), today=TODAY)
    assert previous.received == 2
    # Acknowledged after one working day, and after six (4 Nov -> 12 Nov, 11 Nov closed).
    assert previous.acknowledgement.missed == 1
    years = trend(2025, today=TODAY)
    assert [y.year for y in years] == [2021, 2022, 2023, 2024, 2025]
    assert [y.received for y in years] == [0, 0, 0, 2, 9]
    assert years[-1].founded == 3 and years[-1].answered_on_time.of == 8
    # The years the page has already evaluated give the same figures.
    known = evaluate(Period.year(2025), today=TODAY)
    assert trend(2025, today=TODAY, known=[known, previous]) == years


def test_a_period_of_days_is_compared_with_as_many_days_before() -> None:
    period = Period(datetime.date(2025, 3, 1), datetime.date(2025, 3, 31))
    assert period.previous() == Period(datetime.date(2025, 1, 29), datetime.date(2025, 2, 28))
    assert Period.year(2025).previous() == Period.year(2024)


def test_a_period_without_complaints_gives_zeros(cast: Cast) -> None:
    found = evaluate(Period.year(2020), today=TODAY)
    assert found.received == 0 and found.acknowledgement.on_time.percent is None
    assert found.acknowledgement.median_days is None


@pytest.mark.parametrize(
    ("values", "expected"),
    [({}, None), ({3: 1}, 3), ({1: 1, 2: 1}, 1.5), ({0: 3, 1: 4}, 1), ({1: 2, 9: 1}, 1)],
)
def test_the_median_of_a_histogram(values: dict[int, int], expected: float | None) -> None:
    assert median(Counter(values)) == expected


def test_working_days_follow_a_closing_day_added_later(cast: Cast) -> None:
    from configuration.models import ClosingDay

    # Received Monday 3 March 2025, acknowledged Wednesday 5 March: two working days.
    make(1, at("2025-03-03"), acknowledged_at=at("2025-03-05"))
    assert evaluate(Period.year(2025), today=TODAY).acknowledgement.days == Counter({2: 1})
    ClosingDay.objects.create(date=datetime.date(2025, 3, 4), label="Brugdag")
    assert evaluate(Period.year(2025), today=TODAY).acknowledgement.days == Counter({1: 1})


def test_what_followed_is_kept_on_the_complaint(year: dict[str, Complaint]) -> None:
    """The decision, the outcome and the satisfaction are copied onto the complaint as their
    rows are saved: the evaluation counts them without joining those tables."""
    kept = {
        name: Complaint.objects.values(
            "decision_kind", "refusal_grounds", "not_a_complaint_kind", "outcome", "satisfied"
        ).get(pk=complaint.pk)
        for name, complaint in year.items()
    }
    assert kept["refused"]["decision_kind"] == "inadmissible"
    assert kept["refused"]["refusal_grounds"] == ["G3", "G5"]
    assert kept["question"]["not_a_complaint_kind"] == "question"
    assert (kept["founded"]["outcome"], kept["founded"]["satisfied"]) == ("founded", True)
    assert kept["new_year"]["satisfied"] is False
    assert kept["withdrawn"]["decision_kind"] == "" and kept["withdrawn"]["satisfied"] is None
    reasonable = Norm.objects.get(code="reasonable-time")
    assert Complaint.objects.get(pk=year["founded"].pk).breached_norms == [str(reasonable.pk)]
    assert Complaint.objects.filter(extended=True).get() == year["extended"]
    assert year["extended"].extended  # the instance the extension was made on, too


def test_a_clock_that_stood_still_is_no_extension(year: dict[str, Complaint]) -> None:
    """Only an interim message (``Extension``) extends the answer; a pause of the answer clock
    moves the due date too, but is not counted as extended."""
    from complaints.models import AnswerPause

    paused = year["founded"]
    AnswerPause.objects.create(
        complaint=paused,
        paused_on=datetime.date(2025, 3, 5),
        resumed_on=datetime.date(2025, 3, 7),
        days=2,
        previous_due=datetime.date(2025, 3, 17),
        new_due=datetime.date(2025, 3, 19),
        at=at("2025-03-07"),
    )
    assert not Complaint.objects.get(pk=paused.pk).extended
    assert evaluate(Period.year(2025), today=TODAY).extended == 1


def test_a_change_of_mind_and_a_new_decision_replace_what_was_kept(
    year: dict[str, Complaint], cast: Cast
) -> None:
    """The latest row counts, on the complaint instance already loaded as well (a later save
    of that instance must not bring the old values back)."""
    founded = year["founded"]
    Satisfaction.objects.update_or_create(
        complaint=founded, defaults={"satisfied": False, "at": at("2025-03-25")}
    )
    question = Complaint.objects.get(pk=year["question"].pk)
    decide(question, cast.manager, "admissible")
    assert question.decision_kind == "admissible"
    question.save()
    found = evaluate(Period.year(2025), today=TODAY)
    assert (found.satisfied, found.not_satisfied) == (0, 2)
    assert (found.admissible, found.not_a_complaint) == (6, 0)


def test_the_evaluation_joins_nothing_to_count_what_followed(
    year: dict[str, Complaint],
) -> None:
    from django.test.utils import CaptureQueriesContext

    evaluate(Period.year(2025), today=TODAY)  # the calendar's days are made once
    with CaptureQueriesContext(connection) as queries:
        evaluate(Period.year(2025), today=TODAY)
    statements = [query["sql"] for query in queries.captured_queries]
    joined = (
        "complaints_admissibilitydecision",
        "complaints_satisfaction",
        "complaints_finalanswer",
        "complaints_extension",
    )
    assert not [sql for sql in statements if any(table in sql for table in joined)]
    reading_complaints = [sql for sql in statements if 'FROM "complaints_complaint"' in sql]
    # The one pass, the grounds, the norms, the days to act, the late ones listed.
    assert len(reading_complaints) == 5, reading_complaints


@pytest.mark.django_db(transaction=True)
def test_the_migration_copies_what_followed_from_existing_rows() -> None:
    from django.db.migrations.executor import MigrationExecutor

    before = [("complaints", "0012_store_local_dates")]
    after = [("complaints", "0013_keep_what_followed")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model("auth", "User").objects.create(username="earlier")
    category = old.get_model("configuration", "Category").objects.create(
        code="earlier", label_nl="Vroeger"
    )

    def complaint(number: int) -> Any:
        return old.get_model("complaints", "Complaint").objects.create(
            reference=f"M-{number}",
            status="answered",
            channel="web",
            complainant_kind="person",
            language="nl",
            category=category,
            facts_start=datetime.date(2025, 3, 1),
            description="Een klacht.",
            received_at=at("2025-03-03"),
            acknowledgement_due=datetime.date(2025, 3, 5),
            answer_due=datetime.date(2025, 3, 17),
        )

    answered, refused = complaint(1), complaint(2)
    complaint(3)  # nothing followed: its columns stay empty
    decisions = old.get_model("complaints", "AdmissibilityDecision").objects
    decisions.create(
        complaint=refused, kind="admissible", decided_by=user, decided_at=at("2025-03-04")
    )
    decisions.create(
        complaint=refused,
        kind="inadmissible",
        grounds=["G2"],
        decided_by=user,
        decided_at=at("2025-03-05"),
    )
    decisions.create(
        complaint=answered, kind="admissible", decided_by=user, decided_at=at("2025-03-04")
    )
    final = old.get_model("complaints", "FinalAnswer").objects.create(
        complaint=answered, outcome="partially_founded", sent_by=user, sent_at=at("2025-03-10")
    )
    norms = [
        old.get_model("configuration", "Norm").objects.create(code=code, label_nl=code)
        for code in ("courtesy", "reasonable-time")
    ]
    final.norms_breached.set(norms)
    old.get_model("complaints", "Satisfaction").objects.create(
        complaint=answered, satisfied=True, at=at("2025-03-12")
    )
    old.get_model("complaints", "Extension").objects.create(
        complaint=refused,
        reason="Onderzoek",
        previous_due=datetime.date(2025, 3, 17),
        new_due=datetime.date(2025, 3, 31),
        by=user,
        at=at("2025-03-10"),
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    executor.loader.build_graph()
    kept = {
        row["reference"]: row
        for row in Complaint.objects.values(
            "reference",
            "decision_kind",
            "refusal_grounds",
            "outcome",
            "satisfied",
            "breached_norms",
            "extended",
        )
    }
    assert kept["M-1"] | {"reference": "", "breached_norms": None} == {
        "reference": "",
        "decision_kind": "admissible",
        "refusal_grounds": [],
        "outcome": "partially_founded",
        "satisfied": True,
        "breached_norms": None,
        "extended": False,
    }
    assert sorted(kept["M-1"]["breached_norms"]) == sorted(str(norm.pk) for norm in norms)
    assert (kept["M-2"]["breached_norms"], kept["M-2"]["extended"]) == ([], True)
    assert kept["M-3"]["extended"] is False
    assert (kept["M-2"]["decision_kind"], kept["M-2"]["refusal_grounds"]) == (
        "inadmissible",
        ["G2"],
    )
    assert (kept["M-3"]["decision_kind"], kept["M-3"]["outcome"]) == ("", "")
    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's covering index")
@pytest.mark.django_db(transaction=True)  # VACUUM sets the visibility map, as autovacuum does
def test_the_days_taken_are_read_from_the_index_alone(cast: Cast) -> None:
    """The days histogram needs no row of the complaints table on PostgreSQL: its columns are
    in ``complaint_received_acts``, so a year of complaints is an index-only scan."""
    for number in range(1, 40):
        received = at("2025-03-03") + datetime.timedelta(days=number)
        make(number, received, acknowledged_at=received + datetime.timedelta(days=1))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE complaints_complaint")
    calendar_ensure(datetime.date(2025, 1, 1), TODAY)
    plans: list[str] = []

    def explain(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.startswith("SELECT") and "SUM(acts.n)" in sql:
            with connection.cursor() as cursor:
                cursor.execute("SET enable_seqscan = off")  # a small table is read whole
                cursor.execute(f"EXPLAIN {sql}", params)
                plans.extend(row[0] for row in cursor.fetchall())
                cursor.execute("RESET enable_seqscan")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain):
        acknowledged, _ = days_histograms(
            Complaint.objects.filter(received_in(Period.year(2025))), True, True
        )
    assert sum(acknowledged.values()) == 39
    assert any("Index Only Scan using complaint_received_acts" in line for line in plans), plans


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's partial indexes")
@pytest.mark.django_db(transaction=True)  # VACUUM sets the visibility map, as autovacuum does
def test_grounds_and_norms_are_read_from_their_partial_indexes(cast: Cast) -> None:
    """The grounds of refusal and the norms breached read only the refused and the breaching
    complaints, each from its partial index alone, not from a pass over the whole period."""
    norm = Norm.objects.order_by("pk").first()
    assert norm is not None
    for number in range(1, 40):
        received = at("2025-03-03") + datetime.timedelta(days=number)
        if number % 3 == 0:
            make(number, received, decision_kind="inadmissible", refusal_grounds=["G2", "G5"])
        elif number % 3 == 1:
            make(number, received, outcome="founded", breached_norms=[str(norm.pk)])
        else:
            make(number, received)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE complaints_complaint")
    plans: dict[str, list[str]] = {"refusal_grounds": [], "breached_norms": []}

    def explain(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        column = next((c for c in plans if sql.startswith("SELECT") and f'"{c}" AS' in sql), None)
        if column and "GROUP BY" in sql:
            with connection.cursor() as cursor:
                cursor.execute("SET enable_seqscan = off")  # a small table is read whole
                cursor.execute(f"EXPLAIN {sql}", params)
                plans[column].extend(row[0] for row in cursor.fetchall())
                cursor.execute("RESET enable_seqscan")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain):
        found = evaluate(Period.year(2025), today=TODAY)
    assert (found.grounds["G2"], found.grounds["G5"], found.grounds["G1"]) == (13, 13, 0)
    assert sum(found.norms_by_unit.values()) == 13
    assert any(
        "Index Only Scan using complaint_refused" in line for line in plans["refusal_grounds"]
    ), plans
    assert any(
        "Index Only Scan using complaint_breached" in line for line in plans["breached_norms"]
    ), plans


def test_two_definitions_of_answered_within_the_deadline(year: dict[str, Complaint]) -> None:
    found = evaluate(Period.year(2025), today=TODAY)
    # Every final letter (an answer, a refusal, a forwarding, a not-a-complaint letter).
    assert (found.answer.met, found.answer.missed) == (6, 2)
    # Admissible complaints only: three on time; the one answered late, the one still open.
    admissible = found.admissible_answer
    assert (admissible.met, admissible.missed, admissible.pending) == (3, 2, 0)
    assert admissible.on_time.of == 5 and admissible.on_time.percent == 60.0
    # The federal indicators use the admissible complaints.
    total = found.total
    assert (total.answered_on_time, total.answer_due_passed) == (3, 2)


def test_withdrawn_complaints_have_their_own_count(year: dict[str, Complaint]) -> None:
    late = make(20, at("2025-07-01"), status="withdrawn", answer_due=datetime.date(2025, 7, 31))
    Complaint.objects.filter(pk=late.pk).update(closed_at=at("2025-08-20"))
    found = evaluate(Period.year(2025), today=TODAY)
    assert (found.withdrawn, found.withdrawn_after_deadline) == (2, 1)
    assert found.undecided == 0  # withdrawn is no "decision yet"
    assert found.table("status") == Counter(
        answered=4,
        inadmissible=1,
        withdrawn=2,
        not_a_complaint=1,
        forwarded=1,
        in_handling=1,
    )
