"""What staff are told about a complaint: the one path for it. Each domain write path that
staff must hear about (the complainant replies, says not satisfied, withdraws; the Ombudsman
asks) calls ``notify_staff`` in its own transaction, whoever called it (a web page, the
mailbox reader): a ``Notification`` row per recipient for the back office's list, and a mail
at once or in the morning's digest (``notifications_digest``), as each recipient chose.
Reminders are mail only. Each recipient reads in their own language, with a link to the
complaint's page."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from complaints.models import (
    Complaint,
    Notification,
    NotificationKind,
    NotificationMail,
    NotificationSetting,
)
from configuration.models import Organisation
from messaging.outbox import outbox_enqueue, render_message

# The digest leaves with the first run of the hourly job after this local hour.
DIGEST_HOUR = 7


def staff_recipients(
    complaint: Complaint, *, managers: bool, with_email: bool = True
) -> list[tuple[User, str]]:
    """The complaint's handler, and the complaints managers when ``managers`` is true or when
    nobody handles it yet; each with the language they read."""
    from access.models import Role, StaffMember

    who = Q(user_id=complaint.handler_id) if complaint.handler_id else Q(pk__in=[])
    if complaint.handler_id:  # whoever covers for an absent handler is told too
        today = timezone.localdate()
        who |= Q(
            user__substitutions__person_id=complaint.handler_id,
            user__substitutions__starts_on__lte=today,
            user__substitutions__ends_on__gte=today,
        )
    if managers or complaint.handler_id is None:
        who |= Q(role=Role.MANAGER)
    members = (
        StaffMember.objects.select_related("user").filter(who, user__is_active=True).distinct()
    )
    return [(m.user, m.language) for m in members if m.user.email or not with_email]


def _mail(user: User, language: str, template: str, context: dict[str, object]) -> None:
    full_context = {
        "organisation": Organisation.current(),
        "site_url": f"{settings.SITE_URL}/{language}/staff/",
        **context,
    }
    complaint = context.get("complaint")
    if isinstance(complaint, Complaint):
        full_context["staff_url"] = (
            f"{settings.SITE_URL}/{language}/staff/complaints/{complaint.pk}/"
        )
    subject, text, html = render_message(template, full_context, language)
    outbox_enqueue(to=user.email, subject=subject, text=text, html=html, language=language)


def notify_staff(
    complaint: Complaint,
    *,
    template: str,
    context: dict[str, object],
    managers: bool,
    kind: NotificationKind | None = None,
    not_to: User | None = None,
) -> int:
    """Tells the complaint's staff (see ``staff_recipients``): with a ``kind``, a notification
    each, mailed with ``messaging/<template>/`` at once to those who want that (the others get
    it in their digest); without one, the mail alone. ``not_to``: the staff member who did
    the act, who need not be told of it. Returns how many mails were queued."""
    mailed = 0
    now = timezone.now()
    digest = set(
        NotificationSetting.objects.filter(mail=NotificationMail.DIGEST).values_list(
            "user_id", flat=True
        )
    )
    for user, language in staff_recipients(complaint, managers=managers, with_email=False):
        if not_to is not None and user.pk == not_to.pk:
            continue
        at_once = kind is None or user.pk not in digest
        if kind is not None:
            Notification.objects.create(
                recipient=user,
                complaint=complaint,
                kind=kind,
                created_at=now,
                mailed_at=now if at_once or not user.email else None,
            )
        if at_once and user.email:
            _mail(user, language, template, {"complaint": complaint, "kind": kind, **context})
            mailed += 1
    return mailed


def notifications_digest(*, now: datetime.datetime | None = None) -> int:
    """Mails each staff member who chose the digest what they were told since the last one,
    once a day after ``DIGEST_HOUR``; returns how many digests left."""
    from access.models import StaffMember

    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < DIGEST_HOUR:
        return 0
    sent = 0
    due = NotificationSetting.objects.filter(mail=NotificationMail.DIGEST).filter(
        Q(digest_sent_on__isnull=True) | Q(digest_sent_on__lt=local.date())
    )
    for setting_pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            setting = (
                NotificationSetting.objects.select_for_update()
                .select_related("user")
                .filter(pk=setting_pk)
                .filter(Q(digest_sent_on__isnull=True) | Q(digest_sent_on__lt=local.date()))
                .first()
            )
            if setting is None:  # another worker sent it
                continue
            setting.digest_sent_on = local.date()
            setting.save(update_fields=["digest_sent_on"])
            pending = list(
                Notification.objects.select_related("complaint")
                .filter(recipient=setting.user, mailed_at__isnull=True)
                .order_by("created_at", "pk")
            )
            if not pending or not setting.user.email or not setting.user.is_active:
                continue
            member = StaffMember.objects.filter(user=setting.user).first()
            language = member.language if member else settings.LANGUAGE_CODE
            _mail(setting.user, language, "staff_digest", {"notifications": pending})
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(mailed_at=now)
            sent += 1
    return sent
