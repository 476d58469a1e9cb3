"""A complaint's page: everything on file, its deadlines, timeline, notes and letters."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from access.audit import audit
from access.members import CASE_ROLES, member_of, staff_view, user_of
from access.models import AuditAction, Role
from complaints.access import attachment_for_user, complaint_for_user
from complaints.admissibility import propose_grounds
from complaints.complainant import HELPED_CHOICES
from complaints.handling import actions_allowed
from complaints.models import Complaint, Delivery, Satisfaction, reveal_link
from complaints.queries import open_deadlines, timeline
from configuration.models import TriageQuestion
from improvement.section import for_complaint as improvement_for_complaint
from staff.forms import NoteForm


@staff_view(*CASE_ROLES)
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    complaint = complaint_for_user(user, pk)
    audit(user=user, action=AuditAction.VIEW, complaint=complaint)
    member = member_of(user)
    questions = {q.code: q for q in TriageQuestion.objects.all()}
    return render(
        request,
        "staff/complaint_detail.html",
        {
            "complaint": complaint,
            "satisfaction": Satisfaction.objects.filter(complaint=complaint).first(),
            "helped": dict(HELPED_CHOICES),
            "is_manager": member is not None and member.role == Role.MANAGER,
            "actions": actions_allowed(complaint),
            "deadlines": open_deadlines(complaint),
            "today": timezone.localdate(),
            "triage": [
                (questions.get(code), answer) for code, answer in complaint.triage_answers.items()
            ],
            "proposals": propose_grounds(complaint),
            "timeline": timeline(complaint),
            "attachments": complaint.attachments.select_related("message"),
            "letters": complaint.messages.filter(delivery=Delivery.LETTER, posted_at__isnull=True),
            "mails": complaint.outbox.order_by("created_at"),
            "note_form": NoteForm(),
            **improvement_for_complaint(request, complaint),
        },
    )


@staff_view(*CASE_ROLES)
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    user = user_of(request)
    attachment = attachment_for_user(user, pk, attachment_pk)
    audit(
        user=user,
        action=AuditAction.DOWNLOAD,
        complaint=attachment.complaint,
        detail=attachment.original_name,
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_view(*CASE_ROLES)
def letter(request: HttpRequest, pk: int, message_pk: int) -> HttpResponse:
    """A message as a printable letter, for complainants without an e-mail address. Paper is
    the one way such a complainant gets their personal link, so the letter to print carries
    it (put in now; stored masked) until it is marked as posted; every opening is in the audit
    log. E-mailed messages are shown masked: staff never see the link of a complainant who has
    an e-mail address."""
    user = user_of(request)
    complaint = complaint_for_user(user, pk)
    message = get_object_or_404(
        complaint.messages.select_related("access_token"), pk=message_pk, from_complainant=False
    )
    audit(user=user, action=AuditAction.VIEW, complaint=complaint, detail=f"letter {message.pk}")
    body = message.body
    if message.delivery == Delivery.LETTER and message.posted_at is None:
        body = reveal_link(body, message.access_token)
    return render(
        request, "staff/letter.html", {"complaint": complaint, "message": message, "body": body}
    )


@staff_view(Role.MANAGER)
def audit_log(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = complaint_for_user(user_of(request), pk)
    return render(
        request,
        "staff/audit_log.html",
        {
            "complaint": complaint,
            "entries": complaint.audit_entries.select_related("actor").order_by("-at", "-pk"),
        },
    )


def back_to(complaint: Complaint) -> HttpResponse:
    return redirect("staff:complaint", pk=complaint.pk)
