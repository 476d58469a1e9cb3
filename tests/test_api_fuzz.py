"""The whole API fuzzed from its own OpenAPI document (schemathesis): whatever is sent, no
server error, no status the document does not list, and no answer that breaks its schema.
Bounded in examples per operation so that it stays within a minute or two."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.main import api
from api.models import ApiToken, Scope
from complaints.models import Status
from tests.conftest import Cast
from tests.helpers import file_complaint

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
APP = WSGIHandler()
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def manager_token(cast: Cast) -> str:
    """A few complaints to find (ids 1 to 3), and the manager's read-and-write token."""
    client = Client(HTTP_HOST="localhost")
    for i in range(3):
        complaint = file_complaint(client, email=f"fuzz{i}@example.be")
    complaint.status = Status.IN_HANDLING
    complaint.save()
    _row, token = ApiToken.issue(
        user=cast.manager,
        name="fuzz",
        scope=Scope.WRITE,
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    return token


@contextmanager
def connection_kept() -> Iterator[None]:
    """As Django's test client does: the WSGI handler must not close the test's connection
    (and with it the test's transaction) at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _no_filing_limits(settings: Any) -> None:
    # The limits are tested elsewhere; here they would turn most filings into 429s.
    settings.FILING_LIMIT_PER_ADDRESS = settings.FILING_LIMIT_PER_EMAIL = 10**6


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_breaks_the_api(case: Any, manager_token: str) -> None:
    with connection_kept():
        response = case.call(
            app=APP,
            headers={"Authorization": f"Bearer {manager_token}", "Host": "localhost"},
        )
    case.validate_response(response, checks=CHECKS)
