"""Dates read naturally in each language: "1er décembre" in French, "1. Dezember" in German."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation

from complaints.models import Complaint
from configuration.dates import long_date
from tests.conftest import Cast
from tests.helpers import file_complaint, personal_token


@pytest.mark.parametrize(
    ("day", "language", "expected"),
    [
        (datetime.date(2026, 12, 1), "fr", "1er décembre 2026"),
        (datetime.date(2026, 12, 2), "fr", "2 décembre 2026"),
        (datetime.date(2026, 12, 1), "de", "1. Dezember 2026"),
        (datetime.date(2026, 3, 21), "de", "21. März 2026"),
        (datetime.date(2026, 12, 1), "nl", "1 december 2026"),
        (datetime.date(2026, 12, 1), "en", "1 December 2026"),
    ],
)
def test_a_date_reads_as_in_a_sentence_of_the_language(
    day: datetime.date, language: str, expected: str
) -> None:
    assert long_date(day, language) == expected
    with translation.override(language):
        assert long_date(day) == expected


def test_a_moment_is_read_on_the_day_it_is_in_brussels() -> None:
    late = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)  # 0:30 on 1 December
    assert long_date(late, "fr") == "1er décembre 2026"


def test_the_complainants_page_and_mail_say_1er_decembre(demo: None, client: Client) -> None:
    complaint = file_complaint(client, page_language="fr", language="fr")
    token = personal_token(client)
    first = datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)
    Complaint.objects.filter(pk=complaint.pk).update(received_at=first)
    with translation.override("fr"):
        page = client.get(reverse("portal:follow", args=[token])).content.decode()
    assert "1er décembre 2026" in page


def test_english_dates_put_the_day_before_the_month() -> None:
    day = datetime.date(2026, 12, 1)
    with translation.override("en"):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "01/12/2026"
        moment = datetime.datetime(2026, 12, 1, 15, 30, tzinfo=datetime.UTC)
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "01/12/2026 15:30"


def test_the_english_back_office_shows_deadlines_day_first(cast: Cast, client: Client) -> None:
    complaint = file_complaint(client)
    with translation.override("en"):
        url = reverse("staff:complaint", args=[complaint.pk])
    page = cast.client_for(cast.manager).get(url).content.decode()
    assert complaint.answer_due.strftime("%d/%m/%Y") in page
