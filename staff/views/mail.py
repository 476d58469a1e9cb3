"""Mail that could not be sent: the complaints manager sends it again from the complaint's page."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.audit import audit
from access.members import staff_view, user_of
from access.models import AuditAction, Role
from complaints.access import complaint_for_user
from messaging.outbox import outbox_retry
from staff.views.case import back_to


@require_POST
@staff_view(Role.MANAGER)
def mail_resend(request: HttpRequest, pk: int, mail_pk: int) -> HttpResponse:
    complaint = complaint_for_user(user_of(request), pk)
    mail = get_object_or_404(complaint.outbox, pk=mail_pk)
    with transaction.atomic():
        if outbox_retry(mail):
            audit(
                user=user_of(request),
                action=AuditAction.CHANGE,
                complaint=complaint,
                detail=f"e-mail {mail.pk} sent again",
            )
            messages.success(request, _("The e-mail will be sent again."))
        else:
            messages.error(request, _("Only an e-mail that could not be sent can be sent again."))
    return back_to(complaint)
