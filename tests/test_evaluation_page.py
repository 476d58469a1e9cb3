"""The evaluation page, its exports and the PDF report, through HTTP as the complaints manager
and management use them; bad periods get a clear page."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook
from pypdf import PdfReader
from pytest_django.fixtures import Settings

from complaints.models import Complaint
from configuration.models import Organisation
from tests.conftest import Cast
from tests.helpers import file_complaint, pass_second_factor, totp_code
from tests.test_evaluation import at, make

URL = "/{language}/staff/figures/"


@pytest.fixture
def filed(cast: Cast, client: Client) -> Complaint:
    complaint = file_complaint(client, last_name="Geheimnaam")
    Complaint.objects.filter(pk=complaint.pk).update(
        acknowledgement_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    return complaint


def body(response: HttpResponseBase) -> bytes:
    assert isinstance(response, StreamingHttpResponse | FileResponse)
    return response.getvalue()


def get(user: User, path: str = URL.format(language="en"), **query: str) -> str:
    response = Client(HTTP_HOST="localhost")
    response.force_login(user)
    pass_second_factor(response, user)
    answer = response.get(path, query)
    assert answer.status_code == 200, answer.content.decode()[:2000]
    return answer.content.decode()


def test_management_reads_the_evaluation_without_names(cast: Cast, filed: Complaint) -> None:
    page = get(cast.management)
    assert "Geheimnaam" not in page and filed.email not in page
    assert "Indicators for the federal complaint-management network" in page
    assert "<svg" in page and 'role="img"' in page


def test_a_closed_complaint_never_acknowledged_counts_as_missed(cast: Cast, client: Client) -> None:
    complaint = file_complaint(client)
    Complaint.objects.filter(pk=complaint.pk).update(
        status="withdrawn",
        closed_at=timezone.now(),
        acknowledged_at=None,
        acknowledgement_due=timezone.localdate() - datetime.timedelta(days=3),
    )
    page = get(cast.manager)
    assert "0 of 1 done or past their deadline (0.0 %)" in page
    assert complaint.reference in page  # listed among the late ones


def test_management_lands_on_the_evaluation_after_logging_in(cast: Cast) -> None:
    device = TOTPDevice.objects.create(user=cast.management, name="authenticator")
    client = Client(HTTP_HOST="localhost")
    response = client.post(
        reverse("staff:login"), {"username": "directie", "password": "demo-2026"}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(reverse("staff:second_factor"))
    response = client.post(
        response.redirect_chain[-1][0], {"code": totp_code(device.key)}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("reporting:evaluation")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": ""}, "Choose a year."),
        ({"year": "twenty"}, "is not a year"),
        ({"year": "2999"}, "This period has not started yet"),
        ({"year": "1850"}, "The figures start in 2000."),
        ({"start": "2025-03-31", "end": "2025-03-01"}, "comes before the first day"),
        ({"start": "2025-02-30", "end": "2025-03-01"}, "is not a date"),
        ({"start": "2025-03-01"}, "Give both the first and the last day"),
    ],
)
def test_a_bad_period_gets_a_clear_page(cast: Cast, query: dict[str, str], message: str) -> None:
    client = cast.client_for(cast.manager)
    for path in (
        reverse("reporting:evaluation"),
        reverse("reporting:report_pdf"),
        reverse("reporting:complaints_export", args=["csv"]),
    ):
        response = client.get(path, query)
        assert response.status_code == 400
        page = response.content.decode()
        assert message in page
        for value in query.values():  # what was typed is still there
            assert not value or value[:20] in page or "year" in query


def test_a_bad_period_is_explained_in_the_page_language(cast: Cast) -> None:
    client = cast.client_for(cast.manager)
    response = client.get(URL.format(language="fr"), {"year": "2999"})
    assert response.status_code == 400
    assert "Cette période n\u2019a pas encore commencé" in response.content.decode()


def test_a_year_without_complaints_shows_zeros(cast: Cast) -> None:
    page = get(cast.management, year="2021")
    assert "No complaint was received in this period." in page


def test_a_period_of_days_is_shown_beside_the_days_before(cast: Cast) -> None:
    make(1, at("2025-03-10"), channel="letter")
    page = get(cast.manager, start="2025-03-01", end="2025-03-31")
    assert "Evaluation 1 March 2025 - 31 March 2025" in page  # English as written in Europe
    assert "29 January 2025 - 28 February 2025" in page


def test_every_table_exports_as_csv_and_xlsx(cast: Cast) -> None:
    make(1, at("2025-03-10"), channel="letter")
    client = cast.client_for(cast.management)
    url = reverse("reporting:table_export", args=["channel", "csv"])
    response = client.get(url, {"year": "2025"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    drawn = timezone.localdate().isoformat()
    assert rows[0] == ["Received by channel", f"2025, as of {drawn}", f"2024, as of {drawn}"]
    assert ["Letter", "1", "0"] in rows
    response = client.get(
        reverse("reporting:table_export", args=["summary", "xlsx"]), {"year": "2025"}
    )
    sheet = load_workbook(io.BytesIO(body(response))).active
    assert sheet is not None
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Channel" and values[-1][:2] == ["Total", 1]
    assert client.get(reverse("reporting:table_export", args=["nothing", "csv"])).status_code == 404


def test_the_list_of_complaints_is_pseudonymised(cast: Cast) -> None:
    make(1, at("2025-03-10"), channel="letter", first_name="Zorro", description="Geheim verhaal")
    client = cast.client_for(cast.management)
    response = client.get(reverse("reporting:complaints_export", args=["csv"]), {"year": "2025"})
    text = body(response).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "reference" and rows[1][0] == "T-001"
    assert "Zorro" not in text and "Geheim" not in text
    response = client.get(reverse("reporting:complaints_export", args=["xlsx"]), {"year": "2025"})
    sheet = load_workbook(io.BytesIO(body(response))).active
    assert sheet is not None and sheet.max_row == 2


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_the_pdf_report_has_language_title_and_text(cast: Cast, language: str) -> None:
    make(1, at("2025-03-10"), channel="letter")
    organisation = Organisation.current()
    organisation.logo_url = "portal/logo.svg"
    organisation.save()
    client = cast.client_for(cast.manager)
    response = client.get(f"/{language}/staff/figures/report.pdf", {"year": "2025"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    catalog = reader.root_object
    assert str(catalog["/Lang"]) == language
    assert "/StructTreeRoot" in catalog  # tagged
    title = reader.metadata.title if reader.metadata else ""
    assert title and "2025" in title and organisation.translated("name", language) in title
    text = "\n".join(page.extract_text() for page in reader.pages)
    expected = {"nl": "Klachten", "fr": "Plaintes", "de": "Beschwerden", "en": "Complaints"}
    assert expected[language] in text and "2025" in text


def test_the_summary_pdf_is_one_page(cast: Cast) -> None:
    make(1, at("2025-03-10"))
    response = cast.client_for(cast.management).get(
        "/en/staff/figures/summary.pdf", {"year": "2025"}
    )
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert "Total" in reader.pages[0].extract_text()


def test_handlers_do_not_see_the_evaluation(cast: Cast) -> None:
    client = cast.client_for(cast.handler)
    assert client.get(reverse("reporting:evaluation")).status_code == 404
    assert client.get(reverse("reporting:report_pdf")).status_code == 404


def test_the_report_cover_shows_the_organisations_logo(
    cast: Cast, settings: Settings, tmp_path: Path
) -> None:
    from PIL import Image

    Image.new("RGB", (60, 30), "#00477f").save(tmp_path / "logo.png")
    settings.STATICFILES_DIRS = [tmp_path]
    organisation = Organisation.current()
    organisation.logo_url = "/static/logo.png"
    organisation.save()
    response = cast.client_for(cast.manager).get("/nl/staff/figures/report.pdf", {"year": "2025"})
    cover = PdfReader(io.BytesIO(response.content)).pages[0]
    assert len(cover.images) == 1


def test_the_plan_shows_the_periods_actions_and_those_carried_over(cast: Cast) -> None:
    from improvement.models import ActionStatus, ImprovementAction

    def action(title: str, created: datetime.date, **fields: object) -> None:
        ImprovementAction.objects.create(
            title=title, created_on=created, created_by=cast.manager, **fields
        )

    action(
        "Clearer letters",
        datetime.date(2025, 4, 1),
        status=ActionStatus.DONE,
        finished_on=datetime.date(2025, 9, 1),
        effect="Fewer questions",
    )
    action("Phone line staffed", datetime.date(2024, 6, 1), status=ActionStatus.IN_PROGRESS)
    action(
        "Done long ago",
        datetime.date(2023, 6, 1),
        status=ActionStatus.DONE,
        finished_on=datetime.date(2023, 9, 1),
    )
    page = get(cast.management, year="2025")
    assert "Clearer letters" in page and "Fewer questions" in page
    assert "Phone line staffed" in page and "carried over" in page
    assert "Done long ago" not in page
    response = cast.client_for(cast.manager).get("/en/staff/figures/report.pdf", {"year": "2025"})
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Clearer letters" in text and "Phone line staffed" in text


def test_the_running_year_says_as_of_which_day_on_the_page_the_pdf_and_the_exports(
    cast: Cast,
) -> None:
    today = timezone.localdate()
    make(1, at(today.isoformat()), channel="letter")
    shown = date_format(today)
    page = get(cast.manager, year=str(today.year))
    assert f"Figures as of {shown}" in page and "This period is not over" in page
    assert "Still open on the day drawn" in page
    client = cast.client_for(cast.manager)
    response = client.get("/en/staff/figures/report.pdf", {"year": str(today.year)})
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages
    )
    assert f"Figures as of {shown}" in text
    response = client.get(
        reverse("reporting:table_export", args=["channel", "csv"]), {"year": str(today.year)}
    )
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert rows[0][1] == f"{today.year}, as of {today.isoformat()}"
    response = client.get(
        reverse("reporting:table_export", args=["summary", "xlsx"]), {"year": str(today.year)}
    )
    sheet = load_workbook(io.BytesIO(body(response))).active
    assert sheet is not None
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][-1] == "As of" and values[1][-1] == today.isoformat()


def test_a_closed_year_says_the_day_it_was_drawn_and_counts_what_was_open_at_its_end(
    cast: Cast,
) -> None:
    make(1, at("2025-03-10"), channel="letter")
    page = get(cast.manager, year="2025")
    assert f"Figures as of {date_format(timezone.localdate())}" in page
    assert "This period is not over" not in page
    assert "Still open on the last day" in page


def test_each_answered_figure_says_what_it_counts_and_withdrawn_ones_are_apart(
    cast: Cast,
) -> None:
    make(1, at("2025-03-10"), status="withdrawn", closed_at=at("2025-03-11"))
    make(2, at("2025-03-12"))
    page = get(cast.manager, year="2025")
    assert "Answered within the deadline (every final letter:" in page
    assert "Admissible complaints answered within the answer deadline" in page
    assert "Withdrawn</dt><dd>1 (0)" in page
    admissibility = page.split('id="table-admissibility"')[1].split("</section>")[0]
    assert '<th scope="row">Withdrawn before a decision</th><td>1</td>' in admissibility
    assert '<th scope="row">No decision yet</th><td>1</td>' in admissibility
    by_status = page.split('id="table-status"')[1].split("</section>")[0]
    assert '<th scope="row">Withdrawn</th><td>1</td>' in by_status
    assert '<th scope="row">Receipt acknowledged</th><td>1</td>' in by_status
