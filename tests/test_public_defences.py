"""The public side's defences (E17): crafted input never gives a server error and loses
nothing typed; addresses the mail library refuses are refused by the forms; filing is limited
per address and per e-mail address, with a honeypot and no CAPTCHA; uploads are capped per
personal link and refused before their body is read when too large."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from complaints.models import Complaint, PendingUpload
from tests.conftest import Cast
from tests.helpers import triage_answers, valid_form

pytestmark = pytest.mark.usefixtures("demo")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def form_client(client: Client) -> Client:
    client.post("/fr/complaint/", triage_answers())
    return client


def post(client: Client, data: dict[str, Any], **extra: Any) -> Any:
    return client.post("/fr/complaint/form/", data, **extra)


# Crafted input


def test_keep_upload_with_digits_that_are_not_ascii_is_ignored(form_client: Client) -> None:
    response = post(form_client, {**valid_form(first_name=""), "keep_upload": ["²", "٣", "x"]})
    assert response.status_code == 200
    assert "Dupont" in response.content.decode()


def test_an_emoji_file_name_on_a_form_with_errors_is_kept(form_client: Client) -> None:
    upload = SimpleUploadedFile("😀 lettre 📄.pdf", PDF, content_type="application/pdf")
    response = post(form_client, {**valid_form(first_name=""), "attachments": [upload]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dupont" in html and "😀 lettre 📄.pdf" in html
    pending = PendingUpload.objects.get()
    second = post(form_client, {**valid_form(), "keep_upload": [str(pending.pk)]})
    assert second.status_code == 302
    assert Complaint.objects.get().attachments.get().original_name == "😀 lettre 📄.pdf"


@pytest.mark.parametrize(
    "name", ["a" * 400 + ".pdf", "../../etc/passwd.pdf", "con.pdf", "\x00.pdf", ".pdf", "…", "😀"]
)
def test_odd_file_names_on_a_form_with_errors_never_give_a_server_error(
    form_client: Client, name: str
) -> None:
    upload = SimpleUploadedFile(name, PDF, content_type="application/pdf")
    response = post(form_client, {**valid_form(first_name=""), "attachments": [upload]})
    assert response.status_code == 200
    assert "Dupont" in response.content.decode()


# Addresses the mail library refuses


@pytest.mark.parametrize(
    "address", ['"anne\x0b"@example.be', '"anne\x1f"@example.be', "anne@exam\u2028ple.be"]
)
def test_an_address_the_mail_library_refuses_is_refused_by_the_form(
    form_client: Client, address: str
) -> None:
    response = post(form_client, valid_form(email=address))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Indiquez une adresse e-mail valable, par exemple nom@example.be." in html
    assert "Dupont" in html
    assert not Complaint.objects.exists()


def test_staff_registration_refuses_an_address_the_mail_library_refuses(cast: Cast) -> None:
    client = cast.client_for(cast.manager)
    response = client.post("/fr/staff/complaints/register/", valid_form(email='"x\x0b"@example.be'))
    assert response.status_code == 200
    assert (
        "Indiquez une adresse e-mail valable, par exemple nom@example.be."
        in response.content.decode()
    )
    assert not Complaint.objects.exists()
