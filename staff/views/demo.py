"""The demo mailbox page: the mail the local mail catcher received (demo mode only)."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from access.members import staff_view
from access.models import Role
from messaging.mailbox import read_mailbox


@staff_view(*Role)
def demo_mailbox(request: HttpRequest) -> HttpResponse:
    if not settings.DEMO_MODE:
        raise Http404
    mails = read_mailbox(settings.VAR_DIR / "mailbox")[:100]
    selected = next((m for m in mails if m.name == request.GET.get("mail")), None)
    return render(request, "staff/demo_mailbox.html", {"mails": mails, "selected": selected})
