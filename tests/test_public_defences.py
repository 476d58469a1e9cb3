"""The public side's defences (E17): crafted input never gives a server error and loses
nothing typed; addresses the mail library refuses are refused by the forms; filing is limited
per address and per e-mail address, with a honeypot and no CAPTCHA; uploads are capped per
personal link and refused before their body is read when too large."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from common import ratelimit
from common.models import RateWindow
from complaints.models import Complaint, PendingUpload
from tests.conftest import Cast
from tests.helpers import personal_token, triage_answers, valid_form

pytestmark = pytest.mark.usefixtures("demo")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def form_client(client: Client) -> Client:
    client.post("/fr/complaint/", triage_answers())
    return client


def post(client: Client, data: dict[str, Any], **extra: Any) -> Any:
    return client.post("/fr/complaint/form/", data, **extra)


# Crafted input


def test_keep_upload_with_digits_that_are_not_ascii_or_too_many_is_ignored(
    form_client: Client,
) -> None:
    response = post(
        form_client, {**valid_form(first_name=""), "keep_upload": ["²", "٣", "x", "9" * 30]}
    )
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


# Filing limits and the honeypot


def file_from(address: str, **overrides: Any) -> Any:
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR=address)
    client.post("/fr/complaint/", triage_answers())
    return post(client, valid_form(**overrides))


@pytest.fixture
def production_limits(settings: Any) -> None:
    """The production defaults (the suite's settings lift them)."""
    settings.FILING_LIMIT_PER_ADDRESS = 10
    settings.FILING_LIMIT_PER_EMAIL = 3


@pytest.mark.usefixtures("production_limits")
def test_one_address_files_ten_complaints_an_hour_and_keeps_what_it_typed_after() -> None:
    for number in range(10):
        assert file_from("10.1.1.1", email=f"p{number}@example.be").status_code == 302
    refused = file_from(
        "10.1.1.1", email="late@example.be", description="Mon onzième texte, gardé."
    )
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    html = refused.content.decode()
    assert "Votre plainte n'a pas encore été envoyée" in html
    assert "Mon onzième texte, gardé." in html and "late@example.be" in html
    assert Complaint.objects.count() == 10
    assert file_from("10.1.1.2", email="other@example.be").status_code == 302


@pytest.mark.usefixtures("production_limits")
def test_one_e_mail_address_gets_three_complaints_a_day_whatever_the_address() -> None:
    for number in range(3):
        assert file_from(f"10.2.0.{number}", email="Victim@example.be").status_code == 302
    assert file_from("10.2.0.9", email="victim@EXAMPLE.be").status_code == 429
    assert Complaint.objects.count() == 3


def test_a_program_that_fills_the_hidden_field_files_nothing(form_client: Client) -> None:
    response = post(form_client, {**valid_form(), "leave_empty": "http://spam.example"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Dupont" in html and "http://spam.example" not in html
    assert not Complaint.objects.exists()


def test_the_hidden_field_is_hidden_from_people_and_screen_readers(form_client: Client) -> None:
    html = form_client.get("/fr/complaint/form/").content.decode()
    assert '<div class="leave-empty" aria-hidden="true">' in html
    assert 'tabindex="-1" autocomplete="off"' in html


# What one personal link may upload


def test_a_personal_link_uploads_no_more_than_the_cap(client: Client, settings: Any) -> None:
    from tests.helpers import file_complaint

    settings.ATTACHMENT_MAX_PER_COMPLAINT = 3
    complaint = file_complaint(
        client, attachments=[SimpleUploadedFile("plainte.pdf", PDF, "application/pdf")]
    )
    token = personal_token(client)

    def reply(*names: str) -> Any:
        files = [SimpleUploadedFile(name, PDF, "application/pdf") for name in names]
        return client.post(f"/fr/follow/{token}/reply/", {"text": "Voici.", "attachments": files})

    assert reply("a.pdf", "b.pdf").status_code == 302
    refused = reply("c.pdf")
    assert refused.status_code == 200
    assert "Vous ne pouvez plus ajouter de fichiers à cette plainte" in refused.content.decode()
    assert "Voici." in refused.content.decode()
    assert complaint.attachments.count() == 3
    assert not PendingUpload.objects.exists()


def test_the_cap_counts_bytes_too(client: Client, settings: Any) -> None:
    from tests.helpers import file_complaint

    settings.ATTACHMENT_MAX_BYTES_PER_COMPLAINT = len(PDF) * 2
    file_complaint(client)
    token = personal_token(client)
    files = [SimpleUploadedFile(n, PDF, "application/pdf") for n in ("a.pdf", "b.pdf", "c.pdf")]
    response = client.post(f"/fr/follow/{token}/reply/", {"text": "Voici.", "attachments": files})
    assert response.status_code == 200
    assert "Vous ne pouvez plus ajouter" in response.content.decode()


# Too large a request


@pytest.mark.django_db(transaction=True)
def test_a_200_mb_upload_is_refused_before_its_body_is_read(live_server: Any) -> None:
    """Only the headers and a few bytes are sent: the answer comes at once, without waiting
    for the 200 MB the request announces."""
    host, port = live_server.url.removeprefix("http://").split(":")
    head = (
        "POST /fr/complaint/form/ HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        "Content-Type: multipart/form-data; boundary=x\r\n"
        f"Content-Length: {200 * 1024 * 1024}\r\n\r\n--x\r\n"
    )
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=3) as connection:
        connection.sendall(head.encode())
        answer = b""
        while b"</html>" not in answer and (chunk := connection.recv(65536)):
            answer += chunk
    assert time.monotonic() - started < 5
    status, _headers, body = answer.decode().partition("\r\n")[0], "", answer.decode()
    assert " 413 " in status
    assert "Les fichiers sont trop volumineux" in body
    assert "au maximum 5 fichiers de 10 Mo" in body


def test_a_staff_choice_with_a_key_no_database_holds_is_an_error_not_a_crash(
    cast: Cast, client: Client
) -> None:
    from tests.helpers import file_complaint

    complaint = file_complaint(client)
    manager = cast.client_for(cast.manager)
    response = manager.post(
        f"/nl/staff/complaints/{complaint.pk}/answer/",
        {"outcome": "founded", "norms": ["9" * 20], "measure": "x"},
    )
    assert response.status_code in {200, 302}


def test_ended_rate_windows_are_pruned_and_running_ones_kept() -> None:
    RateWindow.objects.create(key="ended", hits=3, ends=time.time() - 1)
    RateWindow.objects.create(key="running", hits=3, ends=time.time() + 600)
    assert ratelimit.prune() == 1
    assert list(RateWindow.objects.values_list("key", flat=True)) == ["running"]
