"""The administrator configures the service; complainants' data and staff members'
second-factor secrets stay out of the admin (E17, E18)."""

from __future__ import annotations

from django.contrib import admin
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from access.models import AuditAction, AuditEntry
from configuration.models import CompetentBody
from tests.conftest import Cast
from tests.helpers import file_complaint


def test_no_model_of_a_complaint_is_in_the_admin() -> None:
    apps = {model._meta.app_label for model in admin.site._registry}
    assert "complaints" not in apps


def test_the_audit_log_in_the_admin_does_not_show_what_was_sent(cast: Cast, client: Client) -> None:
    complaint = file_complaint(client)
    entry = AuditEntry.objects.create(
        actor=cast.manager,
        action=AuditAction.CHANGE,
        complaint=complaint,
        detail="attachment Dupont-loonbrief.pdf",
    )
    administrator = cast.client_for(cast.administrator)
    listing = administrator.get("/admin/access/auditentry/").content.decode()
    page = administrator.get(f"/admin/access/auditentry/{entry.pk}/change/").content.decode()
    assert complaint.reference in listing
    assert "Dupont-loonbrief" not in listing and "Dupont-loonbrief" not in page


def test_the_admin_never_shows_second_factor_secrets(cast: Cast) -> None:
    device = TOTPDevice.objects.create(user=cast.manager, name="authenticator")
    codes = StaticDevice.objects.create(user=cast.manager, name="recovery")
    codes.token_set.create(token="secretcode")
    administrator = cast.client_for(cast.administrator)
    for url in [
        "/admin/otp_totp/totpdevice/",
        f"/admin/otp_totp/totpdevice/{device.pk}/change/",
        "/admin/otp_static/staticdevice/",
        f"/admin/otp_static/staticdevice/{codes.pk}/change/",
    ]:
        response = administrator.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert device.key not in html and "secretcode" not in html, url
        assert "qrcode" not in html, url


def test_the_administrator_removes_a_lost_authenticator(cast: Cast) -> None:
    device = TOTPDevice.objects.create(user=cast.manager, name="authenticator")
    administrator = cast.client_for(cast.administrator)
    response = administrator.post(
        f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_the_admin_refuses_a_competent_body_address_the_mail_library_refuses(
    cast: Cast,
) -> None:
    administrator = cast.client_for(cast.administrator)
    response = administrator.post(
        "/admin/configuration/competentbody/add/",
        {
            "name_nl": "OCMW Gent",
            "name_fr": "CPAS Gand",
            "name_de": "ÖSHZ Gent",
            "name_en": "PCSW Ghent",
            "email": '"ocmw\x0b"@example.be',
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert not CompetentBody.objects.filter(name_nl="OCMW Gent").exists()


def test_the_admin_shows_no_task_traceback_that_could_quote_a_complainant(cast: Cast) -> None:
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult.objects.create(
        task_path="messaging.tasks.deliver_message",
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        queue_name="default",
        run_after=timezone.now(),
        status="FAILED",
        exception_class_path="smtplib.SMTPRecipientsRefused",
        traceback="SMTPRecipientsRefused: {'anne.dupont@example.be': (550, b'No such user')}",
    )
    administrator = cast.client_for(cast.administrator)
    response = administrator.get(f"/admin/django_tasks_database/dbtaskresult/{task.pk}/change/")
    assert response.status_code == 200
    assert "smtplib.SMTPRecipientsRefused" in response.content.decode()
    assert "anne.dupont@example.be" not in response.content.decode()
