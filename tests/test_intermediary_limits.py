"""Filing limits that fit intermediaries: a counter of the service, or a partner office
(an OCMW/CPAS social worker), files for many people from one address. Configured addresses are
exempt from the limit per address or have their own; the limit per e-mail address (one person)
still holds."""

from __future__ import annotations

import pytest

from complaints.models import Complaint
from configuration.models import FilingAddress, FilingAddressKind
from tests.test_public_defences import file_from, production_limits  # noqa: F401  # fixture

pytestmark = [pytest.mark.usefixtures("demo", "production_limits")]


def test_a_counter_of_the_service_is_not_limited_per_address() -> None:
    FilingAddress.objects.create(
        name="Loket Brussel", network="10.9.0.0/24", kind=FilingAddressKind.EXEMPT
    )
    for number in range(12):
        assert file_from("10.9.0.7", email=f"p{number}@example.be").status_code == 302
    assert Complaint.objects.count() == 12


def test_a_partner_office_has_its_own_limit() -> None:
    FilingAddress.objects.create(
        name="OCMW Gent", network="10.8.0.5", kind=FilingAddressKind.OWN_LIMIT, per_hour=12
    )
    for number in range(12):
        assert file_from("10.8.0.5", email=f"p{number}@example.be").status_code == 302
    assert file_from("10.8.0.5", email="late@example.be").status_code == 429
    # Another address, not configured, keeps the limit for anyone.
    for number in range(10):
        assert file_from("10.8.0.6", email=f"q{number}@example.be").status_code == 302
    assert file_from("10.8.0.6", email="late2@example.be").status_code == 429


def test_a_person_is_still_limited_at_a_counter() -> None:
    FilingAddress.objects.create(
        name="Loket Brussel", network="10.9.0.0/24", kind=FilingAddressKind.EXEMPT
    )
    for _ in range(3):
        assert file_from("10.9.0.7", email="same@example.be").status_code == 302
    assert file_from("10.9.0.7", email="same@example.be").status_code == 429


def test_a_wrong_network_is_refused_in_the_configuration() -> None:
    from django.core.exceptions import ValidationError

    entry = FilingAddress(name="Typo", network="10.9.0.0/33", kind=FilingAddressKind.EXEMPT)
    with pytest.raises(ValidationError):
        entry.full_clean()
