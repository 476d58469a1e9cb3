"""Logging in to the back office and the admin (E17): lock-out after repeated failures per
account and per address, the second factor (authenticator app with real TOTP codes, recovery
codes), the idle time-out, single sign-on's user mapping, and the demo accounts' guard."""

from __future__ import annotations

import base64
import importlib
import io
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import clear_url_caches, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings

from staff.middleware import LAST_SEEN_SESSION_KEY, LOGGED_IN_AT_SESSION_KEY
from staff.second_factor import stored_form
from staff.sso import staff_for_claims
from tests.conftest import Cast
from tests.helpers import pass_second_factor, totp_code

PASSWORD = "demo-2026"


def log_in(
    client: Client, username: str, password: str = PASSWORD, address: str = "10.0.0.1"
) -> Any:
    return client.post(
        "/nl/staff/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def wrong_code(key: str) -> str:
    """A code the device refuses for sure: none of the codes of the windows it accepts now."""
    now = time.time()
    accepted = {totp_code(key, at=now + shift) for shift in (-60, -30, 0, 30, 60)}
    return next(code for code in (f"{n:06d}" for n in range(10)) if code not in accepted)


def authenticator(user: User) -> TOTPDevice:
    device: TOTPDevice = TOTPDevice.objects.create(user=user, name="authenticator")
    return device


# Lock-out


def test_the_right_password_is_refused_after_five_wrong_ones_for_the_account(cast: Cast) -> None:
    for attempt in range(4):
        response = log_in(Client(), "beheerder", "wrong", address=f"10.0.1.{attempt}")
        assert response.status_code == 200
    assert log_in(Client(), "beheerder", "wrong", address="10.0.1.9").status_code == 429
    response = log_in(Client(), "beheerder", address="10.0.2.1")
    assert response.status_code == 429
    assert "_auth_user_id" not in response.wsgi_request.session
    assert "Aanmelden is tijdelijk geblokkeerd" in response.content.decode()


def test_an_address_that_guesses_many_accounts_is_locked_out(cast: Cast) -> None:
    for number in range(20):
        log_in(Client(), f"guess{number}", "wrong", address="10.0.3.3")
    response = log_in(Client(), "beheerder", address="10.0.3.3")
    assert response.status_code == 429
    assert "Er waren 20 mislukte pogingen" in response.content.decode()
    # Another address is not blocked, and the account itself has no failures.
    assert log_in(Client(), "beheerder", address="10.0.4.4").status_code == 302


def test_a_few_typos_in_an_office_behind_one_address_lock_nobody_else_out(cast: Cast) -> None:
    for number in range(6):
        log_in(Client(), f"colleague{number}", "typo", address="10.0.5.5")
    assert log_in(Client(), "beheerder", address="10.0.5.5").status_code == 302


def test_the_lock_out_page_speaks_the_page_language(cast: Cast) -> None:
    for _ in range(6):
        response = Client().post(
            "/fr/staff/login/",
            {"username": "directie", "password": "wrong"},
            REMOTE_ADDR="10.9.9.9",
        )
    assert response.status_code == 429
    assert "La connexion est bloquée pour le moment" in response.content.decode()
    assert response["Retry-After"] == "900"


def test_the_admin_login_is_the_back_office_login(cast: Cast, client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/nl/staff/login/?next=/admin/")


# The second factor


def test_the_first_login_sets_up_the_authenticator_with_a_real_code(cast: Cast) -> None:
    client = Client()
    assert log_in(client, "beheerder").status_code == 302
    response = client.get("/nl/staff/deadlines/")
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/nl/staff/login/authenticator/")
    assert "<svg" in page  # the QR code, inline
    secret = re.search(r'<code class="secret" id="secret">([A-Z2-7 ]+)</code>', page)
    assert secret is not None
    key = base64.b32decode(secret.group(1).replace(" ", "")).hex()
    assert TOTPDevice.objects.get(user=cast.manager, confirmed=False).key == key

    done = client.post(
        "/nl/staff/login/authenticator/?next=/nl/staff/deadlines/", {"code": totp_code(key)}
    )
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/nl/staff/deadlines/").status_code == 200

    # The codes are kept as hashes only; one of them opens a later login, once.
    from django_otp.plugins.otp_static.models import StaticToken

    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    later = Client()
    log_in(later, "beheerder", address="10.0.0.5")
    later.post("/nl/staff/login/second-factor/", {"code": codes[3].upper()})
    assert later.get("/nl/staff/deadlines/").status_code == 200
    assert StaticToken.objects.count() == 9


def test_every_later_login_asks_the_authenticator_code(cast: Cast) -> None:
    device = authenticator(cast.handler)
    client = Client()
    log_in(client, "behandelaar")
    response = client.get("/nl/staff/complaints/")
    assert (
        response["Location"] == "/nl/staff/login/second-factor/?next=%2Fnl%2Fstaff%2Fcomplaints%2F"
    )
    accepted = client.post(response["Location"], {"code": totp_code(device.key)})
    assert accepted["Location"] == "/nl/staff/complaints/"
    assert client.get("/nl/staff/complaints/").status_code == 200


def test_a_code_from_an_hour_ago_is_refused_with_a_clear_message(cast: Cast) -> None:
    device = authenticator(cast.handler)
    client = Client()
    log_in(client, "behandelaar")
    old = totp_code(device.key, at=time.time() - 3600)
    if old not in {totp_code(device.key, at=time.time() + s) for s in (-60, -30, 0, 30, 60)}:
        refused = client.post("/nl/staff/login/second-factor/", {"code": old})
    else:  # one chance in about 200,000: the old code is also a current one
        refused = client.post("/nl/staff/login/second-factor/", {"code": wrong_code(device.key)})
    assert "Deze code klopt niet of werd al gebruikt" in refused.content.decode()
    assert client.get("/nl/staff/complaints/").status_code == 302


def test_a_wrong_first_code_keeps_the_authenticator_being_set_up(cast: Cast) -> None:
    client = Client()
    log_in(client, "beheerder")
    first = client.get("/nl/staff/login/authenticator/").content.decode()
    wrong = client.post("/nl/staff/login/authenticator/", {"code": "123"}).content.decode()
    assert "Deze code klopt niet. Vul de code in die de app nu toont." in wrong
    secret = re.compile(r'id="secret">([A-Z2-7 ]+)<')
    assert secret.findall(first) == secret.findall(wrong)
    assert not TOTPDevice.objects.filter(user=cast.manager, confirmed=True).exists()


def test_a_recovery_code_works_once(cast: Cast) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice

    authenticator(cast.handler)
    recovery = StaticDevice.objects.create(user=cast.handler, name="recovery")
    recovery.token_set.create(token=stored_form("abcd2345"))
    first = Client()
    log_in(first, "behandelaar")
    first.post("/nl/staff/login/second-factor/", {"code": "ABCD 2345"})
    assert first.get("/nl/staff/complaints/").status_code == 200
    second = Client()
    log_in(second, "behandelaar", address="10.0.0.2")
    second.post("/nl/staff/login/second-factor/", {"code": "abcd2345"})
    assert second.get("/nl/staff/complaints/").status_code == 302


def test_the_admin_asks_the_second_factor_too(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.administrator)
    response = client.get("/admin/configuration/category/")
    assert response.status_code == 302
    assert response["Location"].startswith("/nl/staff/login/second-factor/")
    pass_second_factor(client, cast.administrator)
    assert client.get("/admin/configuration/category/").status_code == 200


def test_demo_mode_asks_no_second_factor(cast: Cast, settings: Settings) -> None:
    settings.SECOND_FACTOR_REQUIRED = False
    client = Client()
    log_in(client, "beheerder")
    assert client.get("/nl/staff/deadlines/").status_code == 200


# Sessions and caching


def test_a_staff_session_ends_after_a_working_day_without_a_request(cast: Cast) -> None:
    client = cast.client_for(cast.manager)
    assert client.get("/nl/staff/deadlines/").status_code == 200
    session = client.session
    session[LAST_SEEN_SESSION_KEY] = time.time() - 8 * 3600 - 60
    session.save()
    response = client.get("/nl/staff/deadlines/")
    assert response["Location"].startswith("/nl/staff/login/")
    assert client.get("/nl/staff/deadlines/")["Location"].startswith("/nl/staff/login/")


def test_a_staff_session_in_use_goes_on(cast: Cast) -> None:
    client = cast.client_for(cast.manager)
    session = client.session
    session[LAST_SEEN_SESSION_KEY] = time.time() - 7 * 3600
    session.save()
    assert client.get("/nl/staff/deadlines/").status_code == 200
    assert client.session[LAST_SEEN_SESSION_KEY] > time.time() - 60


def in_use_since(client: Client, seconds: float) -> None:
    """Logged in ``seconds`` ago, and used all along: the last request a minute ago."""
    session = client.session
    session[LOGGED_IN_AT_SESSION_KEY] = time.time() - seconds
    session[LAST_SEEN_SESSION_KEY] = time.time() - 60
    session.save()


def test_a_staff_session_in_constant_use_ends_after_twelve_hours(cast: Cast) -> None:
    """OWASP ASVS 3.3.2: whatever the use, a staff member logs in again at least every 12
    hours; the login page says why."""
    for user, url in [(cast.manager, "/nl/staff/deadlines/"), (cast.administrator, "/admin/")]:
        client = cast.client_for(user)
        in_use_since(client, 12 * 3600 - 120)
        assert client.get(url).status_code == 200, url  # not quite twelve hours
        in_use_since(client, 12 * 3600 + 60)
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0].startswith("/nl/staff/login/"), url
        assert "Uw sessie is na 12 uur beëindigd" in response.content.decode()
        assert client.get(url).status_code == 302  # logged out, not only sent away
        assert "_auth_user_id" not in client.session


def test_the_staff_session_lifetime_is_a_setting(cast: Cast, settings: Settings) -> None:
    settings.STAFF_SESSION_MAX_SECONDS = 3600
    client = cast.client_for(cast.manager)
    in_use_since(client, 3600 + 60)
    response = client.get("/fr/staff/deadlines/", follow=True)
    assert "Votre session a pris fin après 1 heure" in response.content.decode()


def test_back_office_and_admin_pages_are_never_cached(cast: Cast) -> None:
    for user, url in [(cast.manager, "/nl/staff/deadlines/"), (cast.administrator, "/admin/")]:
        response = cast.client_for(user).get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], url
    assert "no-store" in Client().get("/nl/staff/login/")["Cache-Control"]


# Demo accounts


def test_demo_accounts_refuses_to_run_outside_demo_mode(db: None, settings: Settings) -> None:
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("demo_accounts", stdout=io.StringIO())
    assert not User.objects.filter(username="beheerder").exists()


# Single sign-on


def test_single_sign_on_finds_the_staff_member_by_verified_e_mail(cast: Cast) -> None:
    found = staff_for_claims({"email": "BEHEERDER@example.org", "email_verified": True})
    assert list(found) == [cast.manager]
    assert not staff_for_claims({"email": "beheerder@example.org", "email_verified": False})
    assert not staff_for_claims({"sub": "123"})
    User.objects.create_user("visitor", email="visitor@example.org")  # no staff role
    assert not staff_for_claims({"email": "visitor@example.org"})
    cast.handler.is_active = False
    cast.handler.save()
    assert not staff_for_claims({"email": "behandelaar@example.org"})


@pytest.fixture
def sso_on(settings: Settings) -> Iterator[None]:
    import querela.urls

    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "querela"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example.be/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://login.example.be/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://login.example.be/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://login.example.be/jwks"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_USE_PKCE = True
    importlib.reload(querela.urls)
    clear_url_caches()
    yield
    settings.OIDC_ENABLED = False
    importlib.reload(querela.urls)
    clear_url_caches()


def test_without_sso_settings_the_login_page_has_no_sso_button(db: None, client: Client) -> None:
    assert "/oidc/authenticate/" not in client.get("/nl/staff/login/").content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404


def test_with_sso_settings_the_login_button_sends_to_the_identity_provider(
    db: None, sso_on: None, client: Client
) -> None:
    page = client.get("/nl/staff/login/?next=/nl/staff/complaints/").content.decode()
    assert 'href="/oidc/authenticate/?next=/nl/staff/complaints/"' in page
    response = client.get("/oidc/authenticate/?next=/nl/staff/complaints/")
    assert response.status_code == 302
    assert response["Location"].startswith("https://login.example.be/authorize?")
    assert "code_challenge=" in response["Location"]
    assert reverse("oidc_authentication_callback") == "/oidc/callback/"


def test_sso_needs_every_endpoint() -> None:
    from tests.test_settings import production

    done = production("", SECRET_KEY="x" * 50, OIDC_RP_CLIENT_ID="querela")
    assert done.returncode != 0
    assert "OIDC_RP_CLIENT_SECRET" in done.stderr


@pytest.fixture
def identity_provider(settings: Settings) -> Iterator[str]:
    """A real OpenID Connect provider on loopback (oidc-provider-mock) that knows the manager
    by their e-mail address and a stranger; Querela's SSO settings point at it."""
    import oidc_provider_mock
    import requests

    import querela.urls

    users = [
        oidc_provider_mock.User(
            sub="kim", claims={"email": "beheerder@example.org", "email_verified": True}
        ),
        oidc_provider_mock.User(
            sub="eve", claims={"email": "eve@example.org", "email_verified": True}
        ),
    ]
    with oidc_provider_mock.run_server_in_thread(user_claims=users) as server:
        base = f"http://localhost:{server.server_port}"
        discovery = requests.get(f"{base}/.well-known/openid-configuration", timeout=10).json()
        settings.OIDC_ENABLED = True
        settings.OIDC_RP_CLIENT_ID = "querela"
        settings.OIDC_RP_CLIENT_SECRET = "querela-secret"
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
        settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
        settings.OIDC_OP_USER_ENDPOINT = discovery["userinfo_endpoint"]
        settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
        settings.OIDC_RP_SIGN_ALGO = "RS256"
        settings.OIDC_RP_SCOPES = "openid email"
        settings.OIDC_CREATE_USER = False
        settings.OIDC_USE_PKCE = True
        settings.LOGIN_REDIRECT_URL_FAILURE = "/staff/login/?sso=failed"
        settings.AUTHENTICATION_BACKENDS = [
            *settings.AUTHENTICATION_BACKENDS,
            "staff.sso.StaffOIDCBackend",
        ]
        importlib.reload(querela.urls)
        clear_url_caches()
        yield base
    settings.OIDC_ENABLED = False
    importlib.reload(querela.urls)
    clear_url_caches()


def sign_in_at_provider(client: Client, subject: str) -> Any:
    """Follows the login button to the provider, signs in there as ``subject``, and comes back
    to Querela's callback with the provider's code."""
    import requests

    to_provider = client.get("/oidc/authenticate/?next=/nl/staff/complaints/")
    assert to_provider.status_code == 302
    back = requests.post(
        to_provider["Location"], data={"sub": subject}, allow_redirects=False, timeout=10
    )
    assert back.status_code == 302, back.text
    callback = back.headers["Location"]
    assert callback.startswith("http://localhost/oidc/callback/?")
    return client.get(callback.removeprefix("http://localhost"))


def test_a_staff_member_signs_in_through_the_identity_provider(
    cast: Cast, identity_provider: str, client: Client
) -> None:
    response = sign_in_at_provider(client, "kim")
    assert response.status_code == 302
    assert response["Location"] == "/nl/staff/complaints/"
    # The provider asked its own second factor: Querela does not ask another.
    assert client.get("/nl/staff/complaints/").status_code == 200
    assert client.session["_auth_user_id"] == str(cast.manager.pk)


def test_someone_the_provider_knows_but_without_a_staff_account_is_refused(
    cast: Cast, identity_provider: str, client: Client
) -> None:
    response = sign_in_at_provider(client, "eve")
    assert response.status_code == 302
    page = client.get(response["Location"], follow=True).content.decode()
    assert "geen enkele backoffice-account heeft dat e-mailadres" in page
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="eve@example.org").exists()


def test_guessing_codes_is_slowed_down(cast: Cast, settings: Settings) -> None:
    """After a wrong code even the right one waits (django-otp's throttling doubles the wait
    with each failure), so six digits cannot be guessed in bulk."""
    # The first wait is one second, which a loaded machine can spend between two requests:
    # the same throttling with a first wait of a minute.
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = authenticator(cast.handler)
    client = Client()
    log_in(client, "behandelaar")
    client.post("/nl/staff/login/second-factor/", {"code": wrong_code(device.key)})
    client.post("/nl/staff/login/second-factor/", {"code": totp_code(device.key)})
    assert client.get("/nl/staff/complaints/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1


def test_sso_waits_for_a_provider_ten_seconds_at_most() -> None:
    from tests.test_settings import production

    names = (
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT",
        "OIDC_OP_JWKS_ENDPOINT",
    )
    endpoints = dict.fromkeys(names, "https://login.example.be/x")
    done = production(
        "from django.conf import settings; print(settings.OIDC_TIMEOUT)",
        SECRET_KEY="x" * 50,
        OIDC_RP_CLIENT_ID="querela",
        OIDC_RP_CLIENT_SECRET="secret",
        **endpoints,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "10"


def test_the_test_client_can_still_log_in_with_a_password(cast: Cast) -> None:
    """Logins without a web request (the test client's, a command's) pass the lock-out check
    instead of failing for want of an address."""
    client = Client()
    assert client.login(username="beheerder", password=PASSWORD)
    assert not Client().login(username="beheerder", password="wrong")
