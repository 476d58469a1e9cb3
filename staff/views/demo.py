"""The demo mailbox page: the mail the local mail catcher received (demo mode only). A mail to
a complainant can be answered as the complainant: the answer is put in the demo's stand-in for
the service's mailbox (a folder, ``MAILBOX_DIRECTORY``), and the mailbox reader started by
``dev.py run`` takes it by the same path as a reply read from IMAP."""

from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from access.members import staff_view
from access.models import Role
from messaging.mailbox import StoredMail, read_mailbox, store_mail
from staff.forms import DemoReplyForm


@staff_view(*Role)
def demo_mailbox(request: HttpRequest) -> HttpResponse:
    if not settings.DEMO_MODE:
        raise Http404
    mails = read_mailbox(settings.VAR_DIR / "mailbox")[:100]
    name = request.GET.get("mail")
    selected = next((m for m in mails if m.name == name), None)
    # Only mail to a complainant carries a reply address; the answer goes there.
    can_answer = bool(selected and settings.MAILBOX_DIRECTORY and selected.message["Reply-To"])
    form = DemoReplyForm()
    if request.method == "POST" and selected is not None and can_answer:
        form = DemoReplyForm(request.POST, request.FILES)
        if form.is_valid():
            store_mail(Path(settings.MAILBOX_DIRECTORY), _answer(selected, form).as_bytes())
            messages.success(
                request,
                _(
                    "Your answer is in the service's mailbox. The mailbox reader takes it within "
                    "a few seconds: open the complaint to see it."
                ),
            )
            return redirect(f"{request.path}?mail={selected.name}")
    return render(
        request,
        "staff/demo_mailbox.html",
        {"mails": mails, "selected": selected, "form": form if can_answer else None},
    )


def _answer(mail: StoredMail, form: DemoReplyForm) -> EmailMessage:
    """The complainant's answer to ``mail``, as their mail program would write it."""
    original = mail.message
    answer = EmailMessage()
    answer["From"] = str(original["To"])
    answer["To"] = str(original["Reply-To"])
    subject = str(original["Subject"] or "")
    answer["Subject"] = subject if subject.lower().startswith("re:") else f"Re: {subject}"
    answer["Date"] = formatdate(localtime=True)
    answer["Message-ID"] = make_msgid(domain="demo.invalid")
    if original["Message-ID"]:
        answer["In-Reply-To"] = str(original["Message-ID"])
        answer["References"] = str(original["Message-ID"])
    answer.set_content(form.cleaned_data["text"])
    upload = form.cleaned_data["attachment"]
    if upload:
        maintype, _slash, subtype = (upload.content_type or "application/octet-stream").partition(
            "/"
        )
        answer.add_attachment(
            upload.read(),
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=upload.name,
        )
    return answer
