"""The limits on guessing personal links, asking for lost links and failing staff logins
hold whatever else happens: many other addresses counting at the same time, or one guesser
sending its tries all at once."""

from __future__ import annotations

import hashlib
import threading

import pytest
from django.db import connection
from django.http import HttpRequest
from django.test import RequestFactory

from common import ratelimit

LIMIT = ratelimit.TOKEN_LOOKUPS


def from_address(address: str) -> HttpRequest:
    return RequestFactory().get("/", REMOTE_ADDR=address)


@pytest.mark.django_db
def test_a_limit_reached_stays_reached_while_four_hundred_other_addresses_count() -> None:
    others = [f"10.1.{n // 256}.{n % 256}" for n in range(400)]
    # The address whose count a store that evicts old entries by key would drop first.
    guesser = min(["192.0.2.7", *others], key=lambda a: hashlib.sha256(a.encode()).hexdigest())
    others = [address for address in [*others, "192.0.2.7"] if address != guesser]
    for _ in range(LIMIT.hits):
        ratelimit.hit(LIMIT, from_address(guesser))
    assert ratelimit.is_limited(LIMIT, from_address(guesser))
    for address in others:
        ratelimit.hit(LIMIT, from_address(address))
    assert ratelimit.is_limited(LIMIT, from_address(guesser))
    assert 1 <= ratelimit.retry_after(LIMIT, from_address(guesser)) <= LIMIT.seconds + 1
    assert not ratelimit.is_limited(LIMIT, from_address(others[0]))


@pytest.mark.django_db(transaction=True)
def test_tries_sent_all_at_once_are_each_counted() -> None:
    tries = 12
    start = threading.Barrier(tries)
    failed: list[BaseException] = []

    def guess() -> None:
        try:
            start.wait(timeout=10)
            ratelimit.hit(LIMIT, from_address("192.0.2.9"))
        except BaseException as error:  # reported below, not lost in the thread
            failed.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _ in range(tries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not failed
    assert ratelimit.hit(LIMIT, from_address("192.0.2.9")) == tries + 1
