"""A staff member's notifications (``complaints.notify``): the list, newest first, and how
they want to be mailed."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from access.members import CASE_ROLES, staff_view, user_of
from complaints.models import Notification, NotificationSetting
from staff.forms import NotificationSettingForm

PAGE_SIZE = 50


@staff_view(*CASE_ROLES)
def notifications(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    setting, _created = NotificationSetting.objects.get_or_create(user=user)
    form = NotificationSettingForm(request.POST or None, initial={"mail": setting.mail})
    if request.method == "POST" and form.is_valid():
        setting.mail = form.cleaned_data["mail"]
        setting.save(update_fields=["mail"])
        messages.success(request, _("Your choice has been saved."))
        return redirect("staff:notifications")
    page = Paginator(
        Notification.objects.filter(recipient=user).select_related("complaint"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "staff/notifications.html", {"page": page, "form": form})


@require_POST
@staff_view(*CASE_ROLES)
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks the notification read and opens its complaint."""
    notification = get_object_or_404(Notification, pk=pk, recipient=user_of(request))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return redirect("staff:complaint", pk=notification.complaint_id)


@require_POST
@staff_view(*CASE_ROLES)
def notifications_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(recipient=user_of(request), read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, _("Every notification is marked as read."))
    return redirect("staff:notifications")
