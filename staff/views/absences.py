"""Absences: who is away, and who covers for them. The complaints manager records anyone's; a
handler their own."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from access.absences import AbsenceError, absence_delete, absence_register
from access.members import CASE_ROLES, member_of, staff_view, user_of
from access.models import Absence, Role
from staff.forms import AbsenceForm


def _is_manager(request: HttpRequest) -> bool:
    member = member_of(user_of(request))
    return member is not None and member.role == Role.MANAGER


@staff_view(*CASE_ROLES)
def absences(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    manager = _is_manager(request)
    form = AbsenceForm(request.POST or None, initial={"person": user})
    if not manager:  # a handler records their own absence
        form.fields["person"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            absence_register(
                person=data["person"] if manager else user,
                substitute=data["substitute"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                by=user,
            )
        except AbsenceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The absence has been recorded."))
            return redirect("staff:absences")
    shown = Absence.objects.select_related("person", "substitute").filter(
        ends_on__gte=timezone.localdate()
    )
    if not manager:
        shown = shown.filter(Q(person=user) | Q(substitute=user))
    return render(
        request,
        "staff/absences.html",
        {"form": form, "absences": shown, "today": timezone.localdate(), "user_pk": user.pk},
    )


@require_POST
@staff_view(*CASE_ROLES)
def absence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    absence = get_object_or_404(Absence, pk=pk)
    if not _is_manager(request) and absence.person_id != user.pk:
        raise Http404
    absence_delete(absence=absence, by=user)
    messages.success(request, _("The absence has been deleted."))
    return redirect("staff:absences")
