"""The public path reads the configuration from memory: each page makes a fixed, small number
of queries, and a change an administrator makes is seen on the very next request."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from complaints.models import Complaint
from configuration.models import Category, TriageQuestion
from tests.conftest import Cast
from tests.helpers import file_complaint, triage_answers, valid_form

pytestmark = pytest.mark.usefixtures("demo")


def statements(captured: CaptureQueriesContext) -> list[str]:
    """The SQL statements of a request, without the savepoints that exist only because each
    test runs inside a transaction (in production the same blocks are BEGIN and COMMIT)."""
    return [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def request(client: Client, method: str, path: str, data: Any = None) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(path, data) if method == "POST" else client.get(path)
    return response, statements(captured)


@pytest.fixture
def warm(demo: None) -> None:
    """A first visitor has filed a complaint: the configuration is cached in this process and
    the year's reference counter exists, as on any morning after the first complaint."""
    file_complaint(Client(HTTP_HOST="localhost"))


@pytest.mark.usefixtures("warm")
def test_each_page_of_the_path_makes_a_fixed_number_of_queries(client: Client) -> None:
    steps = [
        # the configuration's stamp
        ("GET", "/fr/", None, 1),
        ("GET", "/fr/complaint/", None, 1),
        # the stamp, the new session
        ("POST", "/fr/complaint/", triage_answers(), 2),
        # the session, the stamp
        ("GET", "/fr/complaint/form/", None, 2),
        # the session, the stamp; the filing limits of the address and the e-mail address (one
        # upsert); the reference counter (one UPDATE ... RETURNING), the complaint, its first
        # status, its token, the acknowledgement and its outbox row; the session's update
        ("POST", "/fr/complaint/form/", valid_form(), 10),
        # the session, the stamp, the complaint it shows; the session's update (the personal
        # link is shown once, then forgotten)
        ("GET", "/fr/complaint/filed/", None, 4),
    ]
    for method, path, data, expected in steps:
        response, sql = request(client, method, path, data)
        assert response.status_code in {200, 302}, (path, response.status_code)
        assert len(sql) == expected, (method, path, sql)
    assert Complaint.objects.count() == 2


@pytest.mark.usefixtures("warm")
def test_the_other_public_pages_read_only_the_configurations_stamp(client: Client) -> None:
    for path in ("/nl/accessibility/", "/fr/privacy/"):
        response, sql = request(client, "GET", path)
        assert response.status_code == 200
        assert len(sql) == 1, (path, sql)
    question = TriageQuestion.objects.filter(active=True).first()
    assert question is not None
    client.post("/fr/complaint/", triage_answers(**{question.code: True}))
    # the session, the stamp
    response, sql = request(client, "GET", "/fr/complaint/advice/")
    assert response.status_code == 200
    assert len(sql) == 2, sql


@pytest.mark.usefixtures("warm")
def test_the_form_post_makes_ten_queries_or_fewer(client: Client) -> None:
    client.post("/nl/complaint/", triage_answers())
    response, sql = request(client, "POST", "/nl/complaint/form/", valid_form(language="nl"))
    assert response.status_code == 302
    assert len(sql) <= 10, sql
    assert not [query for query in sql if "configuration_" in query and "version" not in query]


@pytest.mark.usefixtures("warm")
def test_a_form_that_comes_back_with_errors_reads_no_configuration_but_the_stamp(
    client: Client,
) -> None:
    client.post("/fr/complaint/", triage_answers())
    response, sql = request(client, "POST", "/fr/complaint/form/", valid_form(category="9999"))
    assert response.status_code == 200
    assert 'id="id_category_error"' in response.content.decode()
    assert [query for query in sql if "configuration_" in query] == [
        query for query in sql if "configurationversion" in query
    ]


def test_an_administrators_change_to_a_category_is_seen_on_the_next_request(
    client: Client, cast: Cast
) -> None:
    category = Category.objects.get(code="waiting-time")
    before = escape(category.translated("label", "fr"))
    assert before in client.get("/fr/").content.decode()

    admin = cast.client_for(cast.administrator)
    changed = {k: v for k, v in model_to_dict(category).items() if v is not None}
    changed["label_fr"] = "Attente bien trop longue"
    response = admin.post(f"/admin/configuration/category/{category.pk}/change/", changed)
    assert response.status_code == 302, response.content.decode()[:2000]

    page = client.get("/fr/").content.decode()
    assert "Attente bien trop longue" in page
    assert before not in page


def test_a_triage_question_deleted_in_the_admin_is_no_longer_asked(
    client: Client, cast: Cast
) -> None:
    question = TriageQuestion.objects.filter(active=True).first()
    assert question is not None
    assert (
        escape(question.translated("question", "fr"))
        in client.get("/fr/complaint/").content.decode()
    )

    admin = cast.client_for(cast.administrator)
    response = admin.post(
        "/admin/configuration/triagequestion/",
        {"action": "delete_selected", "_selected_action": [question.pk], "post": "yes"},
    )
    assert response.status_code == 302

    assert (
        escape(question.translated("question", "fr"))
        not in client.get("/fr/complaint/").content.decode()
    )


def test_a_bulk_update_is_seen_on_the_next_request(client: Client) -> None:
    category = Category.objects.get(code="waiting-time")
    client.post("/fr/complaint/", triage_answers())
    assert (
        escape(category.translated("label", "fr"))
        in client.get("/fr/complaint/form/").content.decode()
    )

    # A bulk update tells nothing to this process: the next request sees the new stamp.
    Category.objects.filter(pk=category.pk).update(active=False)

    page = client.get("/fr/complaint/form/").content.decode()
    assert escape(category.translated("label", "fr")) not in page
    response = client.post("/fr/complaint/form/", valid_form(category=category.pk))
    assert response.status_code == 200
    assert 'id="id_category_error"' in response.content.decode()


def test_a_triage_answered_before_is_shown_with_its_answers(client: Client) -> None:
    client.get("/fr/complaint/")  # the empty questions, kept in memory
    question = TriageQuestion.objects.filter(active=True).first()
    assert question is not None
    client.post("/fr/complaint/", triage_answers(**{question.code: True}))
    page = client.get("/fr/complaint/").content.decode()
    assert re.search(rf'name="{question.code}" value="yes"[^>]*checked', page)


def test_the_language_switcher_links_to_the_same_page_in_every_language(client: Client) -> None:
    page = client.get("/fr/complaint/?from=home").content.decode()
    for code in ("nl", "de", "en"):
        assert f'href="/{code}/complaint/?from=home" lang="{code}"' in page
    assert '<span aria-current="true" lang="fr">' in page
    missing = client.get("/fr/no-such-page/")
    assert missing.status_code == 404


def test_templates_are_read_and_compiled_once_per_process() -> None:
    from django.template import engines
    from django.template.loaders.cached import Loader as CachedLoader

    engine = engines["django"].engine  # type: ignore[attr-defined]
    assert [type(loader) for loader in engine.template_loaders] == [CachedLoader]
