"""The action plan (E13): which actions a period's plan holds, carried-over actions included,
and who reads and edits it."""

from __future__ import annotations

import datetime

from improvement.models import ActionStatus, ImprovementAction
from improvement.plan import actions_for_period
from tests.conftest import Cast

D = datetime.date


def make_action(cast: Cast, title: str, created: D, **fields: object) -> ImprovementAction:
    return ImprovementAction.objects.create(
        title=title, created_on=created, created_by=cast.manager, **fields
    )


def test_a_years_plan_holds_new_due_and_carried_over_actions(cast: Cast) -> None:
    make_action(cast, "new", D(2026, 3, 1))
    make_action(
        cast,
        "due this year",
        D(2025, 11, 1),
        due=D(2026, 2, 1),
        status=ActionStatus.DONE,
        finished_on=D(2025, 12, 1),
    )
    make_action(cast, "still open", D(2025, 5, 1), status=ActionStatus.IN_PROGRESS)
    make_action(
        cast,
        "finished in January",
        D(2025, 5, 1),
        status=ActionStatus.DONE,
        finished_on=D(2026, 1, 10),
    )
    make_action(
        cast,
        "finished last year",
        D(2025, 5, 1),
        status=ActionStatus.DONE,
        finished_on=D(2025, 12, 31),
    )
    make_action(
        cast,
        "dropped last year",
        D(2025, 5, 1),
        status=ActionStatus.DROPPED,
        finished_on=D(2025, 6, 1),
    )
    make_action(cast, "next year", D(2027, 1, 1))

    plan = actions_for_period(D(2026, 1, 1), D(2026, 12, 31))

    assert [(entry.action.title, entry.carried_over) for entry in plan] == [
        ("still open", True),
        ("finished in January", True),
        ("due this year", False),
        ("new", False),
    ]


def test_a_reversed_or_empty_period_has_an_empty_plan(cast: Cast) -> None:
    make_action(cast, "new", D(2026, 3, 1))
    assert actions_for_period(D(2026, 12, 31), D(2026, 1, 1)) == []
    assert actions_for_period(D(2020, 1, 1), D(2020, 12, 31)) == []
