"""The exports as a reader reads them (issue 17): the CSV's and the spreadsheet's cells hold
translated labels in the page's language, times in ISO 8601 to the second in the service's
time zone, and the files are named in the page's language."""

from __future__ import annotations

import csv
import io

import pytest
from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from openpyxl import load_workbook

from complaints.models import Complaint
from configuration.models import Unit
from tests.conftest import Cast
from tests.test_evaluation import answer, at, decide, make


def body(response: HttpResponseBase) -> bytes:
    assert isinstance(response, StreamingHttpResponse | FileResponse)
    return response.getvalue()


def csv_cells(response: HttpResponseBase) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def xlsx_cells(response: HttpResponseBase) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(body(response))).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def filename(response: HttpResponseBase) -> str:
    return response["Content-Disposition"].split('filename="')[1].rstrip('"')


@pytest.fixture
def answered(cast: Cast) -> Complaint:
    complaint = make(
        1,
        at("2025-03-10").replace(microsecond=123456),
        status="answered",
        channel="letter",
        unit=Unit.objects.get(code="front-office"),
        acknowledged_at=at("2025-03-11", 9).replace(second=7, microsecond=5),
        answered_at=at("2025-07-01", 16),  # summer time: +02:00
        closed_at=at("2025-07-01", 16),
    )
    decide(complaint, cast.manager, "inadmissible", grounds=["G3"])
    decide(complaint, cast.manager, "admissible")  # a second decision: still one row
    answer(complaint, cast.manager, "founded")
    return complaint


DUTCH_ROW = {
    "referentie": "T-001",
    "ontvangen": "2025-03-10T10:00:00+01:00",
    "ontvangst bevestigd op": "2025-03-11T09:00:07+01:00",
    "beantwoord": "2025-07-01T16:00:00+02:00",
    "kanaal": "brief",
    "status": "beantwoord",
    "beslissing": "ontvankelijk",
    "uitkomst": "gegrond",
}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_list_of_complaints_reads_in_the_pages_language(
    cast: Cast, answered: Complaint, kind: str
) -> None:
    client = cast.client_for(cast.manager)
    response = client.get(f"/nl/staff/figures/complaints.{kind}", {"year": "2025"})
    assert response.status_code == 200
    rows = csv_cells(response) if kind == "csv" else xlsx_cells(response)
    assert len(rows) == 2, rows
    row = dict(zip(rows[0], rows[1], strict=True))
    for header, value in DUTCH_ROW.items():
        assert row[header] == value, (header, row)
    assert row["dienst"] == Unit.objects.get(code="front-office").translated("name", "nl")
    assert row["categorie"] == answered.category.translated("label", "nl")
    assert filename(response) == f"klachten-2025.{kind}"


def test_a_table_and_the_reports_are_named_in_the_pages_language(
    cast: Cast, answered: Complaint
) -> None:
    client = cast.client_for(cast.manager)
    drawn = timezone.localdate().isoformat()
    response = client.get("/fr/staff/figures/tables/channel.csv", {"year": "2025"})
    rows = csv_cells(response)
    assert rows[0] == [
        "Reçues par canal",
        f"2025, situation au {drawn}",
        f"2024, situation au {drawn}",
    ]
    assert filename(response) == "recues-par-canal-2025.csv"
    response = client.get("/de/staff/figures/tables/summary.xlsx", {"year": "2025"})
    assert filename(response) == "indikatoren-2025.xlsx"
    assert xlsx_cells(response)[0][0] == "Eingangsweg"
    response = client.get("/nl/staff/figures/report.pdf", {"year": "2025"})
    assert filename(response) == "evaluatie-2025.pdf"
    response = client.get("/fr/staff/figures/summary.pdf", {"year": "2025"})
    assert filename(response) == "indicateurs-2025.pdf"
