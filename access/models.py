"""Who works in the back office (roles, E18) and what they did (the audit log, E17).

The tables kept the names they had when these models lived in ``staff``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from configuration.models import Unit


class Role(models.TextChoices):
    MANAGER = "manager", _("complaints manager")
    HANDLER = "handler", _("handler")
    MANAGEMENT = "management", _("management")
    ADMINISTRATOR = "administrator", _("administrator")


class StaffMember(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_member"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    language = models.CharField(
        _("language"), max_length=2, choices=settings.LANGUAGES, default="nl"
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        db_table = "staff_staffmember"

    def __str__(self) -> str:
        name = self.user.get_full_name() or self.user.get_username()
        return f"{name} ({self.get_role_display()})"


class AuditAction(models.TextChoices):
    VIEW = "view", _("viewed")
    CHANGE = "change", _("changed")
    DOWNLOAD = "download", _("downloaded an attachment")
    EXPORT = "export", _("exported")


class AuditEntry(models.Model):
    """Who saw or changed a complaint's personal data, and when. Appended, never edited: there
    is no view, form or admin that changes or deletes a row."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    complaint = models.ForeignKey(
        # By name: the domain sits above this layer.
        "complaints.Complaint",
        null=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    detail = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        db_table = "staff_auditentry"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.complaint_id}"
