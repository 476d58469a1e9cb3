"""The filing limit of a client's address, as the configuration sets it: the public form and
the API both count filings with it."""

from __future__ import annotations

from django.http import HttpRequest

from common import ratelimit
from configuration import cache
from configuration.models import FilingAddressKind


def filing_limit(request: HttpRequest) -> ratelimit.Limit | None:
    """The filing limit of the client's address: a configured intermediary's own (or none),
    otherwise the limit for anyone (``FILING_LIMIT_PER_ADDRESS``)."""
    address = ratelimit.client_address(request)
    for entry in cache.current().filing_addresses:
        if entry.covers(address):
            if entry.kind == FilingAddressKind.EXEMPT:
                return None
            return ratelimit.Limit(f"filing-intermediary-{entry.pk}", entry.per_hour, 60 * 60)
    return ratelimit.filing_per_address()
