"""Registering a complaint that did not come through the form (R9)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from access.audit import audit
from access.members import CASE_ROLES, staff_view, user_of
from access.models import AuditAction
from complaints.access import complaints_for
from complaints.models import Channel, ComplainantKind, Complaint
from complaints.services import Upload, complaint_submit, received_at_on
from staff.forms import RegisterForm


@staff_view(*CASE_ROLES)
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "received_on": timezone.localdate(),
            "language": settings.LANGUAGE_CODE,
            "complainant_kind": ComplainantKind.PERSON,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        complaint = register_from_form(
            request, form, received_at=received_at_on(data["received_on"])
        )
        messages.success(
            request,
            _("Complaint %(reference)s has been registered.") % {"reference": complaint.reference},
        )
        if complaints_for(user_of(request)).filter(pk=complaint.pk).exists():
            return redirect("staff:complaint", pk=complaint.pk)
        return redirect("staff:work_list")
    return render(request, "staff/register.html", {"form": form})


def register_from_form(
    request: HttpRequest,
    form: RegisterForm,
    *,
    received_at: datetime.datetime,
    uploads: list[Upload] | None = None,
    then: Callable[[Complaint], object] | None = None,
) -> Complaint:
    """Registers the complaint a valid ``form`` describes, with the form's files and
    ``uploads``, and its audit row; ``then`` runs in the same transaction (the intake queue
    records that its mail became this complaint)."""
    data = form.cleaned_data
    with transaction.atomic():  # the audit row belongs to the registration's transaction
        submitted = complaint_submit(
            channel=Channel(data["channel"]),
            **form.submission(),
            triage_answers={
                code: code in data["triage"]
                for code, _label in form.fields["triage"].choices  # type: ignore[attr-defined]
            },
            uploads=form.uploads() + (uploads or []),
            received_at=received_at,
            registered_by=user_of(request),
        )
        complaint = submitted.complaint
        audit(
            user=user_of(request),
            action=AuditAction.CHANGE,
            complaint=complaint,
            detail=f"registered ({complaint.channel})",
        )
        if then is not None:
            then(complaint)
    return complaint
