"""The admin speaks the staff member's language; its login opens in the language last chosen
on the site (else the service's own), never English by default; every page has a favicon."""

from __future__ import annotations

from django.test import Client

from access.models import StaffMember
from tests.conftest import Cast


def test_the_admin_login_opens_in_the_services_language_not_english(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/", HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert response["Location"] == "/nl/staff/login/?next=/admin/"


def test_the_admin_login_follows_the_language_chosen_on_the_site(client: Client) -> None:
    client.cookies["django_language"] = "fr"
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"] == "/fr/staff/login/?next=/admin/"


def test_the_admin_is_in_the_staff_members_language(cast: Cast) -> None:
    StaffMember.objects.filter(user=cast.administrator).update(language="de")
    admin = cast.client_for(cast.administrator)
    page = admin.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert page.status_code == 200
    assert '<html lang="de"' in page.content.decode()
    assert page["Content-Language"] == "de"


def test_the_favicon_is_there(demo: None, client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".ico")
    assert 'rel="icon"' in client.get("/nl/").content.decode()
