"""The staff's second factor (django-otp): an authenticator app (TOTP) set up on first login,
and ten recovery codes (a static device) for the day the phone is lost.

A user has at most one confirmed authenticator and one set of recovery codes; setting up a
new authenticator (after the administrator removed the old one at /admin/) makes new codes.
"""

from __future__ import annotations

import hashlib
from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10


def stored_form(recovery_code: str) -> str:
    """What the database keeps of a recovery code: a hash (in django-otp's 16-character token
    column), so a copy of the database holds no working code."""
    return hashlib.sha256(recovery_code.encode()).hexdigest()[:16]


def authenticator_of(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_authenticator(user: User) -> TOTPDevice:
    """The authenticator being set up: the same secret until its first code is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it by hand: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The set-up address as an inline SVG QR code (no inline style: CSP allows it)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    svg: str = image.to_string(encoding="unicode")
    return svg


@transaction.atomic
def confirm_authenticator(request: HttpRequest, device: TOTPDevice, code: str) -> list[str]:
    """Confirms ``device`` with its first code and marks the session verified; returns the new
    recovery codes (shown once), or an empty list when the code is wrong."""
    if not device.verify_token(code.strip()):
        return []
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    recovery, _created = StaticDevice.objects.get_or_create(user=device.user, name="recovery")
    recovery.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=recovery, token=stored_form(code)) for code in codes
    )
    django_otp.login(request, device)
    return codes


def verify_second_factor(request: HttpRequest, user: User, code: str) -> bool:
    """Checks an authenticator code or an unused recovery code (each recovery code works once);
    on success the session is verified. Wrong codes slow the device down (django-otp's
    throttling), on top of the login's own lock-out."""
    code = "".join(code.split()).lower()
    devices = [
        (authenticator_of(user), code),
        (StaticDevice.objects.filter(user=user).first(), stored_form(code)),
    ]
    for device, token in devices:
        if device is None:
            continue
        verified = django_otp.verify_token(user, device.persistent_id, token)
        if verified is not None:
            django_otp.login(request, verified)
            return True
    return False
