"""The work list's search (issue 20, ``complaints.search``): accent- and case-insensitive
everywhere, names with a typo, the complainant's own reference, descriptions by words and word
beginnings (not any piece of a word), a word found nowhere finds nothing; the same answers
whether few or many complaints match. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from complaints import search as search_module
from complaints.folding import fold
from complaints.models import Complaint
from complaints.retention import anonymise
from complaints.search import search
from configuration.models import Category
from tests.conftest import Cast

PEOPLE = {
    "peeters": {
        "first_name": "Anaïs",
        "last_name": "Peeters",
        "description": "Mijn leefloon komt opnieuw te laat. Ik stuurde een klachtenbrief.",
        "own_reference": "OCMW-Gent/2025/481",
    },
    "dubois": {
        "first_name": "Hélène",
        "last_name": "Dubois",
        "description": "Mon revenu d'intégration n'a pas été versé. Le guichet était fermé.",
        "own_reference": "CPAS Liège 77-A",
    },
    "muller": {
        "first_name": "Jürgen",
        "last_name": "Müller",
        "description": "Die Zahlung des Eingliederungseinkommens ist verspätet.",
        "organisation_name": "Straßenbau GmbH",
        "complainant_kind": "organisation",
    },
    "smith": {
        "first_name": "John",
        "last_name": "Smith",
        "description": "The BETALING page of the website shows an error. Brief and clear.",
    },
}


@pytest.fixture
def people(cast: Cast) -> dict[str, Complaint]:
    category = Category.objects.first()
    assert category is not None
    today = timezone.localdate()
    made = {}
    for index, (key, given) in enumerate(PEOPLE.items()):
        fields = dict(given)
        made[key] = Complaint.objects.create(
            reference=f"{today:%Y}-9{index:05d}",
            status="in_handling",
            channel="web",
            complainant_kind=fields.pop("complainant_kind", "person"),
            language="nl",
            category=category,
            facts_start=today,
            received_at=timezone.now(),
            acknowledgement_due=today,
            answer_due=today,
            email=f"{key}@example.be",
            **fields,
        )
    return made


def found(query: str) -> set[str]:
    return {
        key
        for key, last_name in ((key, fields["last_name"]) for key, fields in PEOPLE.items())
        if search(Complaint.objects.all(), query).complaints.filter(last_name=last_name).exists()
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("revenu d'integration", {"dubois"}),  # without its accent
        ("d'integration", {"dubois"}),
        ("n'a", {"dubois"}),
        ("REVENU D'INTÉGRATION", {"dubois"}),
        ("helene", {"dubois"}),
        ("anais peeters", {"peeters"}),
        ("muller", {"muller"}),
        ("strassenbau", {"muller"}),  # ß
        ("Peters", {"peeters"}),  # a typo in a name
        ("Duboiss", {"dubois"}),
        ("Smitth", {"smith"}),
        ("ocmw-gent/2025/481", {"peeters"}),  # the complainant's own reference
        ("cpas liege", {"dubois"}),
        ("77-a", {"dubois"}),
        ("betal", {"smith"}),  # a word's beginning, any case
        ("verspat", {"muller"}),
        ("leefloon laat", {"peeters"}),  # every word must match
        ("brief", {"smith"}),  # a word, not a piece of "klachtenbrief"
        ("klachtenbrief", {"peeters"}),
        ("courrier", set()),  # a word found nowhere
        ("zyxwv", set()),
        ("leefloon dubois", set()),
        ("@example.be", {"peeters", "dubois", "muller", "smith"}),
        ("ube", set()),  # not the start of a word: "Straßenbau"'s piece finds nothing
    ],
)
def test_the_search_matches_as_a_person_types(
    people: dict[str, Complaint], query: str, expected: set[str]
) -> None:
    assert found(query) == expected


def test_many_matches_give_the_same_answer_as_few(
    people: dict[str, Complaint], monkeypatch: pytest.MonkeyPatch
) -> None:
    few = {query: found(query) for query in ("example", "leefloon", "duboiss", "courrier")}
    monkeypatch.setattr(search_module, "EXACT_UP_TO", 0)
    assert {query: found(query) for query in few} == few


def test_many_matches_are_not_searched_again_to_count_them(
    cast: Cast, people: dict[str, Complaint], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the exact limit the work list's counts are estimates: when nothing but the search
    narrows the list, counting does not run the search a second time (its match query is the
    dearest of the page for a common word, bench/RESULTS.md)."""
    from django.test.utils import CaptureQueriesContext

    from complaints import queries

    monkeypatch.setattr(search_module, "EXACT_UP_TO", 0)
    monkeypatch.setattr(queries, "EXACT_UP_TO", 0)
    client = cast.client_for(cast.manager)

    def searched(params: dict[str, str]) -> tuple[list[str], int]:
        with CaptureQueriesContext(connection) as run:
            page = client.get(reverse("staff:work_list"), params)
        listed = re.findall(r">(\d{4}-\d{6})</a>", page.content.decode())
        return sorted(listed), sum("folded_names" in query["sql"] for query in run)

    everyone = sorted(person.reference for person in people.values())
    alone, alone_queries = searched({"q": "example"})
    with_channel, channel_queries = searched({"q": "example", "channel": "web"})
    assert alone == with_channel  # the same complaints either way
    if connection.vendor == "sqlite":  # counted exactly; PostgreSQL estimates (from no statistics)
        assert alone == everyone
    assert alone_queries == channel_queries - 1  # the channel's sample: counted again


def test_a_reference_typed_in_full_is_looked_up(people: dict[str, Complaint]) -> None:
    reference = people["smith"].reference
    assert list(search(Complaint.objects.all(), reference).complaints) == [people["smith"]]


def test_the_work_list_searches_with_it(cast: Cast, people: dict[str, Complaint]) -> None:
    page = cast.client_for(cast.manager).get(
        reverse("staff:work_list"), {"q": "revenu d'integration"}
    )
    assert re.findall(r">(\d{4}-\d{6})</a>", page.content.decode()) == [people["dubois"].reference]


def test_folding_takes_accents_and_case_away() -> None:
    assert fold("Intégration ÉÈÊ Straße Œuvre") == "integration eee strasse oeuvre"


def test_a_complaint_is_found_by_what_it_says_after_an_edit(
    people: dict[str, Complaint],
) -> None:
    dubois = people["dubois"]
    dubois.last_name = "Lefèvre"
    dubois.description = "Le courrier n'est jamais arrivé."
    dubois.save(update_fields=["last_name", "description"])
    assert (found("lefevre"), found("courrier arrive")) == (set(), set())  # found() by PEOPLE
    matched = search(Complaint.objects.all(), "lefevre courrier arrive").complaints
    assert list(matched) == [dubois]
    assert found("guichet") == set()  # what it said before


def test_an_anonymised_complaint_is_no_longer_found_by_its_person(
    people: dict[str, Complaint],
) -> None:
    anonymise(people["peeters"], at=timezone.now())
    assert found("peeters") == found("leefloon") == found("ocmw-gent") == set()
    assert found("anais") == set()


@pytest.mark.django_db(transaction=True)
def test_the_migration_folds_the_complaints_that_exist() -> None:
    before = [("complaints", "0023_keep_the_searched_columns_folded")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    category = old.get_model("configuration", "Category").objects.create(
        code="earlier", label_nl="Vroeger"
    )
    today = timezone.localdate()
    for number, (last_name, description) in enumerate(
        [("Müller", "Die Zahlung ist verspätet."), ("Dubois", "Mon revenu d'intégration.")]
    ):
        old.get_model("complaints", "Complaint").objects.create(
            reference=f"M-{number}",
            status="in_handling",
            channel="web",
            complainant_kind="person",
            first_name="Hélène",
            last_name=last_name,
            own_reference=f"CPAS Liège {number}",
            language="nl",
            category=category,
            facts_start=today,
            description=description,
            received_at=timezone.now(),
            acknowledgement_due=today,
            answer_due=today,
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    def references(query: str) -> list[str]:
        return sorted(c.reference for c in search(Complaint.objects.all(), query).complaints)

    assert references("helene") == ["M-0", "M-1"]
    assert references("muller verspat") == ["M-0"]
    assert references("Muler") == ["M-0"]  # a typo
    assert references("integration") == references("liege 1") == ["M-1"]
