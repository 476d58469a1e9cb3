"""The complainant's own page, reached with the personal link from their acknowledgement:
where the complaint stands, the messages, adding information, withdrawing, saying whether the
answer helped, downloading everything held about them; and the form for a lost link.

Every view that takes a token goes through ``personal_link``: a bad link gets a clear 404 page,
and an address that keeps trying bad links gets a 429 page instead of more guesses.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common import ratelimit
from complaints.complainant import (
    SATISFACTION_STATUSES,
    ComplainantError,
    complainant_give_satisfaction,
    complainant_reply,
    complainant_request_new_link,
    complainant_withdraw,
    complaint_export,
    complaint_for_token,
)
from complaints.models import (
    LINK_MASK,
    Attachment,
    Complaint,
    MessageKind,
    PendingUpload,
    Status,
)
from complaints.services import Upload
from portal.follow_forms import LostLinkForm, ReplyForm, SatisfactionForm, WithdrawForm
from portal.uploads import keep_for_next_try, kept_uploads

# Where the complaint stands, as the complainant reads it (not the staff labels).
STATUS_IN_PLAIN_WORDS: dict[str, Promise] = {
    Status.RECEIVED: _("We have received your complaint."),
    Status.ACKNOWLEDGED: _(
        "We have confirmed that we received your complaint. "
        "We are looking at whether we can handle it."
    ),
    Status.IN_HANDLING: _("We are handling your complaint."),
    Status.WAITING_FOR_COMPLAINANT: _("We are waiting for information from you."),
    Status.ANSWERED: _("We have answered your complaint."),
    Status.INADMISSIBLE: _(
        "We cannot handle your complaint. Our letter explains why and where you can go instead."
    ),
    Status.NOT_A_COMPLAINT: _("Your message is not a complaint. We have answered it."),
    Status.FORWARDED: _(
        "Your complaint is not for us. We have sent it to the body that can handle it."
    ),
    Status.WITHDRAWN: _("You have withdrawn your complaint."),
}


def _personal_headers[R: HttpResponseBase](response: R) -> R:
    """Pages behind a personal link hold personal data: never cached, never indexed, and the
    link never leaves for another site in a Referer header. (Not "no-referrer": Chromium then
    sends ``Origin: null`` with the page's own forms, which CSRF protection refuses.)"""
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def too_many_requests(request: HttpRequest, limit: ratelimit.Limit) -> HttpResponse:
    seconds = ratelimit.retry_after(limit, request)
    response = render(
        request,
        "portal/follow/too_many_requests.html",
        {
            "minutes": max(1, (seconds + 59) // 60),
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return _personal_headers(response)


def invalid_link(request: HttpRequest) -> HttpResponse:
    response = render(request, "portal/follow/invalid_link.html", status=404)
    return _personal_headers(response)


def personal_link[**P](
    view: Callable[Concatenate[HttpRequest, Complaint, str, P], HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Opens the complaint of the link in the URL for ``view``. Failed look-ups count towards
    the address's limit; once it is reached, every look-up from there is refused for a while,
    good links included, so that guessing gains nothing. The wrapped view takes ``token`` by
    keyword, as the URL resolver passes it."""

    def wrapped(
        request: HttpRequest, token: str, *args: P.args, **kwargs: P.kwargs
    ) -> HttpResponseBase:
        if ratelimit.is_limited(ratelimit.TOKEN_LOOKUPS, request):
            return too_many_requests(request, ratelimit.TOKEN_LOOKUPS)
        try:
            complaint = complaint_for_token(token)
        except Http404:
            ratelimit.hit(ratelimit.TOKEN_LOOKUPS, request)
            return invalid_link(request)
        return _personal_headers(view(request, complaint, token, *args, **kwargs))

    return wraps(view)(wrapped)


def _follow_url(token: str, fragment: str = "") -> str:
    url = reverse("portal:follow", kwargs={"token": token})
    return f"{url}#{fragment}" if fragment else url


def _page(
    request: HttpRequest,
    complaint: Complaint,
    token: str,
    *,
    reply_form: ReplyForm | None = None,
    satisfaction_form: SatisfactionForm | None = None,
    kept_uploads: list[PendingUpload] | None = None,
) -> HttpResponse:
    """The complainant's page, with the forms that fit the complaint's state."""
    is_open = not complaint.is_closed
    waiting = complaint.status == Status.WAITING_FOR_COMPLAINANT
    satisfaction = getattr(complaint, "satisfaction", None)
    can_give_satisfaction = complaint.status in SATISFACTION_STATUSES
    if is_open and reply_form is None:
        reply_form = ReplyForm(answering=waiting)
    if can_give_satisfaction and satisfaction_form is None:
        initial: dict[str, Any] = {}
        if satisfaction is not None:
            initial = {
                "satisfied": "yes" if satisfaction.satisfied else "no",
                "helped": satisfaction.helped,
                "comment": satisfaction.comment,
            }
        satisfaction_form = SatisfactionForm(initial=initial)
    attachments = list(complaint.attachments.all())
    messages_shown = list(complaint.messages.all())
    for message in messages_shown:  # the link is stored masked; this visitor holds one
        message.body = message.body.replace(f"/{LINK_MASK}/", f"/{token}/")
    correspondence = [
        (message, [a for a in attachments if a.message_id == message.pk])
        for message in messages_shown
    ]
    information_requests = [
        message
        for message, _files in correspondence
        if message.kind == MessageKind.INFORMATION_REQUEST
    ]
    return render(
        request,
        "portal/follow/page.html",
        {
            "complaint": complaint,
            "token": token,
            "status_text": STATUS_IN_PLAIN_WORDS[complaint.status],
            "history": [
                (change, STATUS_IN_PLAIN_WORDS[change.to_status])
                for change in complaint.history.all()
            ],
            "extensions": list(complaint.extensions.all()),
            "correspondence": correspondence,
            "filed_attachments": [
                a for a in attachments if a.message_id is None and not a.from_staff
            ],
            "open_request": information_requests[-1] if waiting and information_requests else None,
            "is_open": is_open,
            "waiting": waiting,
            "reply_form": reply_form,
            "kept_uploads": kept_uploads or [],
            "can_give_satisfaction": can_give_satisfaction,
            "satisfaction": satisfaction,
            "satisfaction_form": satisfaction_form,
            "follow_url": _follow_url(token),
        },
    )


@require_GET
@personal_link
def follow(request: HttpRequest, complaint: Complaint, token: str) -> HttpResponse:
    return _page(request, complaint, token)


def _uploaded_through_link(complaint: Complaint, kept: list[PendingUpload]) -> tuple[int, int]:
    """Files and bytes the complainant has added (the form's included), and those waiting."""
    added = complaint.attachments.filter(from_staff=False).aggregate(
        count=Count("pk"), size=Sum("size")
    )
    return (
        added["count"] + len(kept),
        (added["size"] or 0) + sum(pending.size for pending in kept),
    )


@require_POST
@personal_link
def follow_reply(request: HttpRequest, complaint: Complaint, token: str) -> HttpResponseBase:
    """The answer to a request for information, or information added at any time."""
    waiting = complaint.status == Status.WAITING_FOR_COMPLAINANT
    kept = kept_uploads(request)
    form = ReplyForm(
        request.POST,
        request.FILES,
        answering=waiting,
        kept_uploads=len(kept),
        uploaded=_uploaded_through_link(complaint, kept),
    )
    if not form.is_valid():
        # Nothing attached is lost: valid files wait for the next try.
        kept += keep_for_next_try(request, form.valid_uploads)
        return _page(request, complaint, token, reply_form=form, kept_uploads=kept)
    uploads = [
        Upload(
            file=pending.file,
            name=pending.original_name,
            content_type=pending.content_type,
            size=pending.size,
        )
        for pending in kept
    ] + [
        Upload(
            file=upload,
            name=upload.name or "file",
            content_type=content_type,
            size=upload.size or 0,
        )
        for upload, content_type in form.cleaned_data["attachments"]
    ]
    try:
        message = complainant_reply(
            complaint=complaint, text=form.cleaned_data["text"], uploads=uploads
        )
    except ComplainantError as error:
        messages.error(request, str(error))
        return redirect(_follow_url(token))
    for pending in kept:  # now copied into the complaint's attachments
        pending.file.delete(save=False)
        pending.delete()
    if message.kind == MessageKind.REPLY:
        messages.success(
            request,
            _("Thank you. We have received your answer and continue handling your complaint."),
        )
    else:
        messages.success(request, _("Thank you. We have added your information to your complaint."))
    return redirect(_follow_url(token, "correspondence"))


@require_http_methods(["GET", "POST"])
@personal_link
def follow_withdraw(request: HttpRequest, complaint: Complaint, token: str) -> HttpResponseBase:
    """Withdrawing is final, so it asks for confirmation first (WCAG 3.3.4)."""
    if complaint.is_closed:
        messages.error(request, _("Your complaint is already closed."))
        return redirect(_follow_url(token))
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                complainant_withdraw(complaint=complaint, reason=form.cleaned_data["reason"])
            except ComplainantError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "You have withdrawn your complaint. We have closed "
                        "it and sent you a confirmation."
                    ),
                )
            return redirect(_follow_url(token))
    else:
        form = WithdrawForm()
    return render(
        request,
        "portal/follow/withdraw.html",
        {
            "complaint": complaint,
            "form": form,
            "follow_url": _follow_url(token),
        },
    )


@require_POST
@personal_link
def follow_satisfaction(request: HttpRequest, complaint: Complaint, token: str) -> HttpResponseBase:
    form = SatisfactionForm(request.POST)
    if not form.is_valid():
        return _page(request, complaint, token, satisfaction_form=form)
    try:
        satisfaction = complainant_give_satisfaction(
            complaint=complaint,
            satisfied=form.cleaned_data["satisfied"],
            helped=form.cleaned_data["helped"],
            comment=form.cleaned_data["comment"],
        )
    except ComplainantError as error:
        messages.error(request, str(error))
        return redirect(_follow_url(token))
    if satisfaction.satisfied:
        messages.success(request, _("Thank you for telling us. We are glad we could help you."))
        return redirect(_follow_url(token, "satisfaction"))
    messages.success(
        request, _("Thank you for telling us. We use your opinion to improve our service.")
    )
    return redirect(_follow_url(token, "ombudsman"))


@require_GET
@personal_link
def follow_export(request: HttpRequest, complaint: Complaint, token: str) -> HttpResponse:
    """Everything held about the complainant for this complaint (E17)."""
    response = HttpResponse(complaint_export(complaint), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="complaint-{complaint.reference}.zip"'
    return response


@require_GET
@personal_link
def follow_attachment(
    request: HttpRequest, complaint: Complaint, token: str, attachment_id: int
) -> HttpResponseBase:
    attachment = get_object_or_404(Attachment, pk=attachment_id, complaint=complaint)
    try:
        content = attachment.file.open("rb")
    except OSError:
        raise Http404("attachment file missing") from None
    # Served as a download with the type its content showed on upload, never rendered inline.
    return FileResponse(
        content,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@require_http_methods(["GET", "POST"])
def lost_link(request: HttpRequest) -> HttpResponseBase:
    """ "I lost my link": a fresh one goes to the e-mail address of the complaint when the
    reference and the address match. The answer is the same whether they match or not."""
    if request.method == "POST":
        if ratelimit.is_limited(ratelimit.LOST_LINK, request):
            return too_many_requests(request, ratelimit.LOST_LINK)
        ratelimit.hit(ratelimit.LOST_LINK, request)
        form = LostLinkForm(request.POST)
        if form.is_valid():
            complainant_request_new_link(
                reference=form.cleaned_data["reference"], email=form.cleaned_data["email"]
            )
            return redirect("portal:lost_link_sent")
    else:
        form = LostLinkForm()
    return render(request, "portal/follow/lost_link.html", {"form": form})


@require_GET
def lost_link_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/follow/lost_link_sent.html")
