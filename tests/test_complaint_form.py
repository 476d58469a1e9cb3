"""The public form (E1): every validation error, translated, beside its field and in the
summary; nothing typed or attached is lost; the confirmation shows reference and answer date."""

from __future__ import annotations

import datetime
import io
import re
from html import unescape
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape

from complaints.models import Complaint, PendingUpload, Status
from configuration.dates import long_date
from tests.helpers import file_complaint, triage_answers, valid_form

pytestmark = pytest.mark.usefixtures("demo")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def form_client(client: Client) -> Client:
    client.post("/fr/complaint/", triage_answers())
    return client


def post(client: Client, language: str = "fr", **overrides: Any) -> Any:
    return client.post(f"/{language}/complaint/form/", valid_form(**overrides))


def error_of(html: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="id_{field}_error">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def in_french(message: str) -> str:
    with translation.override("fr"):
        return escape(translation.gettext(message))


def test_a_valid_complaint_is_registered_and_confirmed(form_client: Client) -> None:
    response = post(form_client)
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert re.fullmatch(r"\d{4}-\d{6}", complaint.reference)
    assert complaint.status in {Status.RECEIVED, Status.ACKNOWLEDGED}
    assert complaint.channel == "web"
    page = form_client.get(response["Location"]).content.decode()
    assert complaint.reference in page
    assert long_date(complaint.answer_due, "fr") in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"complainant_kind": ""},
            "complainant_kind",
            "Say whether you are a person, a company or an institution.",
        ),
        (
            {"complainant_kind": "company", "organisation_name": ""},
            "organisation_name",
            "Enter the name of the company or institution.",
        ),
        ({"first_name": ""}, "first_name", "Enter your first name."),
        ({"last_name": "  "}, "last_name", "Enter your last name."),
        (
            {"email": "", "postal_address": ""},
            "email",
            "Give an e-mail address or a postal address so that we can answer you.",
        ),
        (
            {"email": "", "postal_address": ""},
            "postal_address",
            "Give an e-mail address or a postal address so that we can answer you.",
        ),
        ({"email": "anne@"}, "email", "Enter an e-mail address such as name@example.be."),
        ({"category": ""}, "category", "Choose what your complaint is about."),
        ({"facts_start": ""}, "facts_start", "Enter the date of the facts."),
        ({"facts_start": "31/02/2026"}, "facts_start", "Enter a date such as 2026-03-31."),
        (
            {"facts_start": "2999-01-01"},
            "facts_start",
            "The date of the facts cannot be in the future.",
        ),
        (
            {"facts_start": "2026-01-10", "facts_end": "2026-01-01"},
            "facts_end",
            "The last day cannot be before the date of the facts.",
        ),
        ({"facts_end": "2999-01-01"}, "facts_end", "The last day cannot be in the future."),
        ({"description": ""}, "description", "Describe what happened."),
    ],
    ids=lambda value: value if isinstance(value, str) and " " not in value else None,
)
def test_each_mistake_gets_a_translated_message_beside_the_field_and_in_the_summary(
    form_client: Client, overrides: dict[str, str], field: str, message: str
) -> None:
    response = post(form_client, **overrides)
    assert response.status_code == 200
    html = response.content.decode()
    assert in_french(message) in error_of(html, field)
    assert 'class="error-summary"' in html
    assert f'href="#id_{field}' in html
    assert 'aria-invalid="true"' in html
    assert Complaint.objects.count() == 0


def test_a_description_that_is_too_short_says_how_long_it_must_be(form_client: Client) -> None:
    html = post(form_client, description="Trop lent").content.decode()
    assert "20" in error_of(html, "description")
    assert "9" in error_of(html, "description")


def test_the_form_keeps_everything_typed_when_it_comes_back(form_client: Client) -> None:
    typed = valid_form(
        first_name="",
        last_name="Van den Broeck",
        email="jan@example.be",
        postal_address="Rue Haute 1\n1000 Bruxelles",
        phone="+32 470 12 34 56",
        desired_outcome="Des excuses.",
        concerned="Le service d'accueil",
        own_reference="DOS-123",
        facts_end="",
    )
    html = form_client.post("/fr/complaint/form/", typed).content.decode()
    # As the browser reads them: HTML may escape a quote as &#x27; or &#39;.
    for field in ("last_name", "email", "phone", "concerned", "own_reference", "facts_start"):
        value = re.search(rf'<input[^>]* name="{field}"[^>]* value="([^"]*)"', html)
        assert value is not None and unescape(value.group(1)) == typed[field], field
    for field in ("description", "postal_address", "desired_outcome"):
        text = re.search(rf'<textarea[^>]* name="{field}"[^>]*>(.*?)</textarea>', html, re.S)
        assert text is not None and unescape(text.group(1)).strip() == typed[field], field
    assert re.search(rf'name="category" value="{typed["category"]}"[^>]*checked', html)
    assert re.search(r'name="complainant_kind" value="person"[^>]*checked', html)
    assert re.search(r'<option value="fr" selected>', html)


def test_an_attachment_survives_a_form_that_comes_back(form_client: Client) -> None:
    first = form_client.post(
        "/fr/complaint/form/",
        {
            **valid_form(first_name=""),
            "attachments": [SimpleUploadedFile("lettre.pdf", PDF, content_type="application/pdf")],
        },
    )
    html = first.content.decode()
    pending = PendingUpload.objects.get()
    assert "lettre.pdf" in html
    assert f'name="keep_upload" value="{pending.pk}"' in html
    # The person fixes the mistake without attaching the file again.
    second = form_client.post(
        "/fr/complaint/form/", {**valid_form(), "keep_upload": [str(pending.pk)]}
    )
    assert second.status_code == 302
    complaint = Complaint.objects.get()
    attachment = complaint.attachments.get()
    assert attachment.original_name == "lettre.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.file.read() == PDF
    assert not PendingUpload.objects.exists()


def test_someone_elses_kept_upload_cannot_be_claimed(form_client: Client) -> None:
    form_client.post(
        "/fr/complaint/form/",
        {
            **valid_form(first_name=""),
            "attachments": [SimpleUploadedFile("lettre.pdf", PDF)],
        },
    )
    pending = PendingUpload.objects.get()
    stranger = Client(HTTP_HOST="localhost")
    stranger.post("/fr/complaint/", triage_answers())
    stranger.post("/fr/complaint/form/", {**valid_form(), "keep_upload": [str(pending.pk)]})
    assert not Complaint.objects.get().attachments.exists()


def test_the_type_of_an_attachment_is_checked_from_its_content(form_client: Client) -> None:
    disguised = SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00 a program", "application/pdf")
    response = form_client.post("/fr/complaint/form/", {**valid_form(), "attachments": [disguised]})
    assert response.status_code == 200
    assert "rapport.pdf" in error_of(response.content.decode(), "attachments")
    assert Complaint.objects.count() == 0


def test_a_picture_with_an_odd_name_is_accepted_by_its_content(form_client: Client) -> None:
    photo = SimpleUploadedFile("photo.dat", PNG, "application/octet-stream")
    assert (
        form_client.post(
            "/fr/complaint/form/", {**valid_form(), "attachments": [photo]}
        ).status_code
        == 302
    )
    assert Complaint.objects.get().attachments.get().content_type == "image/png"


def test_too_large_an_attachment_is_refused(form_client: Client, settings: Any) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("grand.pdf", PDF + b"0" * 2048, "application/pdf")
    html = form_client.post(
        "/fr/complaint/form/", {**valid_form(), "attachments": [big]}
    ).content.decode()
    assert "grand.pdf" in error_of(html, "attachments")


def test_too_many_attachments_are_refused(form_client: Client, settings: Any) -> None:
    settings.ATTACHMENT_MAX_COUNT = 2
    files = [SimpleUploadedFile(f"p{n}.pdf", PDF) for n in range(3)]
    html = form_client.post(
        "/fr/complaint/form/", {**valid_form(), "attachments": files}
    ).content.decode()
    assert "2" in error_of(html, "attachments")
    assert Complaint.objects.count() == 0


def test_facts_older_than_a_year_warn_but_do_not_block(form_client: Client) -> None:
    old = (timezone.localdate() - datetime.timedelta(days=400)).isoformat()
    response = post(form_client, facts_start=old)
    assert response.status_code == 302
    page = form_client.get(response["Location"]).content.decode()
    assert 'class="warning"' in page
    assert Complaint.objects.get().facts_older_than_a_year()


def test_recent_facts_give_no_warning(form_client: Client) -> None:
    page = form_client.get(post(form_client)["Location"]).content.decode()
    assert 'class="warning"' not in page


def test_a_company_files_with_its_name(form_client: Client) -> None:
    post(form_client, complainant_kind="company", organisation_name="ACME SA")
    complaint = Complaint.objects.get()
    assert (complaint.complainant_kind, complaint.organisation_name) == ("company", "ACME SA")


def test_a_person_without_e_mail_files_with_a_postal_address(client: Client) -> None:
    complaint = file_complaint(client, email="", postal_address="Rue Haute 1, 1000 Bruxelles")
    assert complaint.postal_address.startswith("Rue Haute")
    # The acknowledgement is a letter for staff to print, not an e-mail.
    assert list(complaint.messages.values_list("kind", "delivery")) == [
        ("acknowledgement", "letter")
    ]
    assert not complaint.outbox.exists()


def test_the_language_chosen_is_the_complaints_language(client: Client) -> None:
    assert file_complaint(client, "nl", language="de").language == "de"


def test_an_attachment_is_stored_under_a_name_nobody_can_guess(form_client: Client) -> None:
    upload = io.BytesIO(PDF)
    upload.name = "x.pdf"
    form_client.post("/fr/complaint/form/", {**valid_form(), "attachments": [upload]})
    attachment = Complaint.objects.get().attachments.get()
    assert "x.pdf" not in str(attachment.file.name)
