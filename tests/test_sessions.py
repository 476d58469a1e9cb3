"""The session store (``querela.sessions``) reads and writes a session as Django's database
store does: its data while it has not expired, nothing (and no key) once it has or if it never
existed; a new session never overwrites another, a session deleted meanwhile is not
resurrected."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.sessions.backends.base import CreateError, UpdateError
from django.contrib.sessions.models import Session
from django.utils import timezone

from querela.sessions import SessionStore

pytestmark = pytest.mark.django_db


def saved(data: dict[str, object], expires_in: datetime.timedelta) -> str:
    store = SessionStore()
    store.update(data)
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() + expires_in
    )
    assert store.session_key is not None
    return store.session_key


def test_a_session_is_read_back_until_it_expires() -> None:
    key = saved({"triage_answers": {"appeal": False}}, datetime.timedelta(minutes=1))
    store = SessionStore(key)
    assert store.load() == {"triage_answers": {"appeal": False}}
    assert store.session_key == key


@pytest.mark.parametrize("expired", [datetime.timedelta(minutes=-1), datetime.timedelta(days=-30)])
def test_an_expired_session_reads_as_nothing_and_loses_its_key(expired: datetime.timedelta) -> None:
    key = saved({"filed_complaint": {"id": 1, "access": 2}}, expired)
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None


def test_an_unknown_key_reads_as_nothing() -> None:
    store = SessionStore("a" * 32)
    assert store.load() == {}
    assert store.session_key is None
    assert SessionStore().load() == {}  # no key at all


def test_a_changed_session_is_saved_and_a_new_one_inserted_once() -> None:
    store = SessionStore()
    store["triage_answers"] = {"appeal": True}
    store.save()  # no key yet: a new session is inserted
    key = store.session_key
    assert key is not None and Session.objects.filter(session_key=key).count() == 1
    again = SessionStore(key)
    again["filed_complaint"] = {"id": 7, "access": 9}
    again.save()
    assert SessionStore(key).load() == {
        "triage_answers": {"appeal": True},
        "filed_complaint": {"id": 7, "access": 9},
    }
    with pytest.raises(CreateError):
        SessionStore(key).save(must_create=True)  # a taken key is never overwritten
    assert SessionStore(key).load()["filed_complaint"] == {"id": 7, "access": 9}


def test_saving_a_session_deleted_meanwhile_is_refused() -> None:
    """As after a logout in another tab: the request's changes are not written back."""
    store = SessionStore()
    store["triage_answers"] = {}
    store.save()
    key = store.session_key
    stale = SessionStore(key)
    assert stale.get("triage_answers") == {}  # read in this request, before the delete
    Session.objects.filter(session_key=key).delete()
    stale["filed_complaint"] = {"id": 1, "access": 1}
    with pytest.raises(UpdateError):
        stale.save()
    assert not Session.objects.filter(session_key=key).exists()
