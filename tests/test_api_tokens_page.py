"""The staff member's own page of API tokens: made there (shown once), listed, revoked; only
their own; linked from the back office's menu."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from api.models import ApiToken, Scope, hash_api_token
from tests.conftest import Cast

PAGE = "/en/staff/api-tokens/"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["manager", "handler", "management", "administrator"])
def test_each_staff_member_makes_a_token_shown_once(cast: Cast, who: str) -> None:
    user = getattr(cast, who)
    client = cast.client_for(user)
    assert 'href="/en/staff/api-tokens/"' in client.get(PAGE).content.decode()  # the menu
    page = client.post(PAGE, {"name": "records", "scope": Scope.WRITE, "days": 30})
    assert page.status_code == 200
    shown = re.search(r'<code class="api-token">(qrl_[^<]+)</code>', page.content.decode())
    assert shown is not None
    token = ApiToken.objects.get(user=user)
    assert token.token_hash == hash_api_token(shown.group(1))
    assert token.scope == Scope.WRITE
    assert shown.group(1) not in client.get(PAGE).content.decode()
    assert "no-store" in page["Cache-Control"]


@pytest.mark.django_db
def test_a_token_is_revoked_by_its_owner_only(cast: Cast) -> None:
    row, _token = ApiToken.issue(
        user=cast.handler, name="x", scope=Scope.READ, expires_at=_in_days(10)
    )
    other = cast.client_for(cast.other_handler)
    other.post(f"{PAGE}{row.pk}/revoke/")
    row.refresh_from_db()
    assert row.revoked_at is None
    cast.client_for(cast.handler).post(f"{PAGE}{row.pk}/revoke/")
    row.refresh_from_db()
    assert row.revoked_at is not None


@pytest.mark.django_db
def test_a_visitor_is_sent_to_the_login_page(cast: Cast) -> None:
    answer = Client(HTTP_HOST="localhost").get(PAGE)
    assert answer.status_code == 302 and "/login/" in answer["Location"]


@pytest.mark.django_db
def test_a_token_lives_at_most_a_year(cast: Cast) -> None:
    client = cast.client_for(cast.manager)
    page = client.post(PAGE, {"name": "records", "scope": Scope.READ, "days": 400})
    assert page.status_code == 200
    assert not ApiToken.objects.exists()


def _in_days(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)
