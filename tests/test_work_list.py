"""The work list: filters, search, sort by next deadline, pagination, counts per status."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from complaints.models import Complaint
from configuration.models import Category, Unit
from staff.views.worklist import PAGE_SIZE
from tests.conftest import Cast
from tests.helpers import file_complaint

TODAY = timezone.localdate()


def make(client: Client, name: str, due_in: int, **fields: object) -> Complaint:
    complaint = file_complaint(client, last_name=name, email=f"{name.lower()}@example.be")
    Complaint.objects.filter(pk=complaint.pk).update(
        acknowledged_at=timezone.now(),
        status=fields.pop("status", "in_handling"),
        answer_due=TODAY + datetime.timedelta(days=due_in),
        **fields,
    )
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def cases(cast: Cast, client: Client) -> dict[str, Complaint]:
    front = Unit.objects.get(code="front-office")
    return {
        "late": make(client, "Laat", -3),
        "soon": make(client, "Snel", 2, unit=front, handler=cast.handler),
        "later": make(
            client, "Later", 20, channel="phone", category=Category.objects.get(code="behaviour")
        ),
        "closed": make(client, "Dicht", 5, status="answered", closed_at=timezone.now()),
    }


def listed(cast: Cast, query: str = "") -> list[str]:
    page = cast.client_for(cast.manager).get(reverse("staff:work_list") + query)
    assert page.status_code == 200
    return re.findall(r">(\d{4}-\d{6})</a>", page.content.decode())


def refs(cases: dict[str, Complaint], *names: str) -> list[str]:
    return [cases[name].reference for name in names]


def test_the_default_order_is_the_next_deadline_with_closed_ones_last(
    cast: Cast, cases: dict[str, Complaint]
) -> None:
    assert listed(cast) == refs(cases, "late", "soon", "later", "closed")


def test_each_row_says_how_late_or_how_much_time_is_left(
    cast: Cast, cases: dict[str, Complaint]
) -> None:
    with translation.override("en"):
        url = reverse("staff:work_list")
    html = cast.client_for(cast.manager).get(url).content.decode()
    assert "3 days late" in html
    assert "2 days left" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?overdue=on", ["late"]),
        ("?due_within=5", ["late", "soon"]),
        ("?status=open", ["late", "soon", "later"]),
        ("?status=answered", ["closed"]),
        ("?channel=phone", ["later"]),
        ("?q=snel", ["soon"]),
        ("?q=laat%40example.be", ["late"]),
        ("?sort=-received_at", ["closed", "later", "soon", "late"]),
        ("?sort=reference", ["late", "soon", "later", "closed"]),
    ],
)
def test_filters_search_and_sorts(
    cast: Cast, cases: dict[str, Complaint], query: str, expected: list[str]
) -> None:
    assert listed(cast, query) == refs(cases, *expected)


def test_filter_by_category_unit_and_handler(cast: Cast, cases: dict[str, Complaint]) -> None:
    behaviour = Category.objects.get(code="behaviour").pk
    front = Unit.objects.get(code="front-office").pk
    assert listed(cast, f"?category={behaviour}") == refs(cases, "later")
    assert listed(cast, f"?unit={front}") == refs(cases, "soon")
    assert listed(cast, f"?handler={cast.handler.pk}") == refs(cases, "soon")


def test_search_finds_words_of_the_description_and_the_reference(
    cast: Cast, cases: dict[str, Complaint]
) -> None:
    assert len(listed(cast, "?q=courrier")) == 4
    assert listed(cast, f"?q={cases['later'].reference}") == refs(cases, "later")


def test_counts_per_status_follow_the_other_filters(
    cast: Cast, cases: dict[str, Complaint]
) -> None:
    with translation.override("en"):
        url = reverse("staff:work_list") + "?channel=web"
    html = cast.client_for(cast.manager).get(url).content.decode()
    assert re.search(r"being handled: 2<", html)
    assert re.search(r"answered: 1<", html)


def test_the_list_is_paginated(cast: Cast, client: Client) -> None:
    for n in range(PAGE_SIZE + 3):
        make(client, f"P{n}", n)
    assert len(listed(cast)) == PAGE_SIZE
    assert len(listed(cast, "?page=2")) == 3
    html = cast.client_for(cast.manager).get(reverse("staff:work_list") + "?page=2&channel=web")
    assert "channel=web&amp;page=1" in html.content.decode()


def test_counts_above_the_exact_limit_are_estimates_on_postgresql_and_exact_on_sqlite(
    cast: Cast, cases: dict[str, Complaint], monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection

    from complaints import queries

    monkeypatch.setattr(queries, "EXACT_UP_TO", 2)
    with translation.override("en"):
        url = reverse("staff:work_list")
    html = cast.client_for(cast.manager).get(url).content.decode()
    assert re.search(r"answered: 1<", html)  # at most the limit: counted
    if connection.vendor == "postgresql":  # three rows, more than the limit: estimated
        assert re.search(r"being handled: about \d+<", html)
        assert re.search(r"about \d+ complaints", html)
    else:  # SQLite, a small installation: counted
        assert re.search(r"being handled: 3<", html)
        assert "4 complaints" in html


def test_a_reference_typed_in_full_finds_that_complaint_only(
    cast: Cast, cases: dict[str, Complaint]
) -> None:
    reference = cases["soon"].reference
    assert listed(cast, f"?q={reference}") == [reference]
    assert listed(cast, f"?q=+{reference}+") == [reference]
