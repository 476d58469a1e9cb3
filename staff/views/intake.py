"""The intake queue (complaints managers): mail from the service's mailbox that waits for a
person. A new e-mail is registered as a complaint in a few clicks (the registration form,
filled from the mail; channel e-mail, received when the mailbox received it), or marked as not
a complaint or spam; a reply to a closed complaint is looked at and marked dealt with. The
mail's original (``.eml``) and its kept files are downloaded, each download in the audit log
like a complaint's attachment."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from access.audit import audit
from access.members import staff_view, user_of
from access.models import AuditAction, Role
from complaints.intake import AlreadyDecided, incoming_decide, incoming_uploads, intake_waiting
from complaints.models import (
    Channel,
    ComplainantKind,
    IncomingAttachment,
    IncomingKind,
    IncomingMail,
    IncomingState,
)
from staff.forms import RegisterForm
from staff.views.register import register_from_form


@staff_view(Role.MANAGER)
def intake(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/intake.html", {"mails": intake_waiting()})


def _initial(mail: IncomingMail) -> dict[str, object]:
    first, _space, last = mail.sender_name.strip().rpartition(" ")
    return {
        "channel": Channel.EMAIL,
        "received_on": timezone.localdate(mail.received_at),
        "language": settings.LANGUAGE_CODE,
        "complainant_kind": ComplainantKind.PERSON,
        "first_name": first,
        "last_name": last,
        "email": mail.sender,
        "description": mail.text,
    }


@staff_view(Role.MANAGER)
def intake_mail(request: HttpRequest, pk: int) -> HttpResponse:
    mail = get_object_or_404(IncomingMail.objects.select_related("complaint"), pk=pk)
    audit(user=user_of(request), action=AuditAction.VIEW, complaint=mail.complaint,
          detail=f"incoming mail {mail.pk}")  # fmt: skip
    registering = request.method == "POST" and request.POST.get("decision") == "register"
    form = RegisterForm(
        request.POST if registering else None,
        request.FILES if registering else None,
        initial=_initial(mail),
    )
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        try:
            if registering and mail.kind == IncomingKind.NEW:
                if form.is_valid():
                    # Deadlines count from the moment the mailbox received the mail.
                    complaint = register_from_form(
                        request,
                        form,
                        received_at=mail.received_at,
                        uploads=incoming_uploads(mail),
                        then=lambda c: incoming_decide(
                            mail=mail,
                            state=IncomingState.REGISTERED,
                            by=user_of(request),
                            complaint=c,
                        ),
                    )
                    messages.success(
                        request,
                        _("Complaint %(reference)s has been registered.")
                        % {"reference": complaint.reference},
                    )
                    return redirect("staff:complaint", pk=complaint.pk)
            elif decision in IncomingState.values and decision != IncomingState.WAITING:
                incoming_decide(mail=mail, state=IncomingState(decision), by=user_of(request))
                audit(user=user_of(request), action=AuditAction.CHANGE, complaint=mail.complaint,
                      detail=f"incoming mail {mail.pk}: {decision}")  # fmt: skip
                return redirect("staff:intake")
        except AlreadyDecided:
            messages.error(request, _("Someone has already dealt with this message."))
            return redirect("staff:intake")
    return render(
        request,
        "staff/intake_mail.html",
        {"mail": mail, "form": form, "attachments": mail.attachments.all()},
    )


def _download(
    file: IncomingMail | IncomingAttachment, *, name: str, content_type: str
) -> FileResponse:
    field = file.raw if isinstance(file, IncomingMail) else file.file
    if not field.name:
        raise Http404  # refused, or forgotten when its complaint was anonymised
    response = FileResponse(
        field.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_view(Role.MANAGER)
def intake_original(request: HttpRequest, pk: int) -> FileResponse:
    """The mail as the mailbox received it, to open in a mail program."""
    mail = get_object_or_404(IncomingMail.objects.select_related("complaint"), pk=pk)
    response = _download(mail, name=f"mail-{mail.pk}.eml", content_type="message/rfc822")
    audit(user=user_of(request), action=AuditAction.DOWNLOAD, complaint=mail.complaint,
          detail=f"incoming mail {mail.pk}: original")  # fmt: skip
    return response


@staff_view(Role.MANAGER)
def intake_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    attachment = get_object_or_404(
        IncomingAttachment.objects.select_related("mail__complaint"), pk=attachment_pk, mail_id=pk
    )
    response = _download(
        attachment, name=attachment.original_name, content_type=attachment.content_type
    )
    audit(user=user_of(request), action=AuditAction.DOWNLOAD, complaint=attachment.mail.complaint,
          detail=f"incoming mail {pk}: {attachment.original_name}")  # fmt: skip
    return response
