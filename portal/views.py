"""The public side: the procedure explained, the triage, the form, the confirmation."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from common import ratelimit
from complaints.forms import ComplaintForm
from complaints.models import AccessToken, Channel, PendingUpload
from complaints.services import Upload, complaint_submit
from configuration import cache
from configuration.filing import filing_limit
from configuration.models import DeadlineKind, DeadlinePolicy, TriageQuestion
from portal.forms import TriageForm
from portal.pages import shared_page
from portal.uploads import keep_for_next_try, kept_uploads

TRIAGE_SESSION_KEY = "triage_answers"
HONEYPOT_FIELD = "leave_empty"
FILED_SESSION_KEY = "filed_complaint"
# What the confirmation shows: the link and these few facts of the complaint, not its texts.
CONFIRMATION_FIELDS = (
    "nonce",
    "token_hash",
    "complaint__reference",
    "complaint__email",
    "complaint__received_at",
    "complaint__facts_start",
    "complaint__acknowledgement_due",
    "complaint__answer_due",
)


def home(request: HttpRequest) -> HttpResponse:
    return shared_page(
        request,
        "portal/home.html",
        {
            "categories": cache.current().categories,
            "acknowledgement": DeadlinePolicy.for_kind(DeadlineKind.ACKNOWLEDGEMENT),
            "answer": DeadlinePolicy.for_kind(DeadlineKind.ANSWER),
        },
    )


def _questions() -> list[TriageQuestion]:
    return list(cache.current().triage_questions)


@require_http_methods(["GET", "POST"])
def triage(request: HttpRequest) -> HttpResponse:
    """The questions that tell a complaint from an appeal or another body's matter (R8, E2)."""
    questions = _questions()
    if request.method == "POST":
        form = TriageForm(request.POST, questions=questions)
        if form.is_valid():
            answers = {code: bool(value) for code, value in form.cleaned_data.items()}
            request.session[TRIAGE_SESSION_KEY] = answers
            if any(answers.values()):
                return redirect("portal:advice")
            return redirect("portal:complaint_form")
    else:
        previous = request.session.get(TRIAGE_SESSION_KEY, {})
        initial = {code: "yes" if value else "no" for code, value in previous.items()}
        form = TriageForm(questions=questions, initial=initial)
        if not initial:  # the same empty questions for everyone
            return shared_page(request, "portal/triage.html", {"form": form})
    return render(request, "portal/triage.html", {"form": form})


def advice(request: HttpRequest) -> HttpResponse:
    """Where to go instead, for every "yes"; the person may still file."""
    answers: dict[str, bool] = request.session.get(TRIAGE_SESSION_KEY, {})
    yes = [q for q in _questions() if answers.get(q.code)]
    if not yes:
        return redirect("portal:triage")
    return render(request, "portal/advice.html", {"questions": yes})


@require_http_methods(["GET", "POST"])
def complaint_form(request: HttpRequest) -> HttpResponse:
    if TRIAGE_SESSION_KEY not in request.session:
        return redirect("portal:triage")
    kept = kept_uploads(request)
    status, wait, caught = 200, 0, False
    if request.method == "POST":
        form = ComplaintForm(request.POST, request.FILES, kept_uploads=len(kept))
        # A field people never see (no CAPTCHA, which shuts out assistive technology):
        # a program that fills every field gets the form back, and nothing is filed.
        caught = bool(request.POST.get(HONEYPOT_FIELD))
        if form.is_valid() and not caught:
            wait = ratelimit.take_filing(
                request, form.cleaned_data["email"], per_address=filing_limit(request)
            )
            if not wait:
                return _submit(request, form, kept)
        status = 429 if wait else 400 if caught else 200
        # Nothing the person attached is lost: valid files wait for the next try.
        kept += keep_for_next_try(request, form.valid_uploads)
    else:
        form = ComplaintForm(initial={"language": (get_language() or "nl")[:2]})
    context = {
        "form": form,
        "kept_uploads": kept,
        "max_bytes": settings.ATTACHMENT_MAX_BYTES,
        "honeypot_field": HONEYPOT_FIELD,
        "caught": caught,
        "wait_minutes": (wait + 59) // 60,
    }
    if not form.is_bound:  # the same empty form for everyone (files are kept on a post only)
        return shared_page(request, "portal/complaint_form.html", context)
    response = render(request, "portal/complaint_form.html", context, status=status)
    if wait:
        response["Retry-After"] = str(wait)
    return response


def _submit(request: HttpRequest, form: ComplaintForm, kept: list[PendingUpload]) -> HttpResponse:
    uploads = [
        Upload(
            file=pending.file,
            name=pending.original_name,
            content_type=pending.content_type,
            size=pending.size,
        )
        for pending in kept
    ] + form.uploads()
    submitted = complaint_submit(
        channel=Channel.WEB,
        **form.submission(),
        triage_answers=request.session.get(TRIAGE_SESSION_KEY, {}),
        uploads=uploads,
    )
    for pending in kept:  # now copied into the complaint's attachments
        pending.file.delete(save=False)
        pending.delete()
    request.session.pop(TRIAGE_SESSION_KEY, None)
    # The link's row, not its token: the session table holds no working link. The page after
    # the redirect shows the link once and forgets it.
    request.session[FILED_SESSION_KEY] = {
        "id": submitted.complaint.pk,
        "access": submitted.access.pk,
    }
    return redirect("portal:complaint_filed")


def complaint_filed(request: HttpRequest) -> HttpResponse:
    """The reference and the personal link, shown once: reloading the page (the next person at
    a shared computer) shows neither again."""
    filed = request.session.pop(FILED_SESSION_KEY, None)
    access = (
        AccessToken.objects.select_related("complaint")
        .only(*CONFIRMATION_FIELDS)
        .filter(pk=filed["access"], complaint_id=filed["id"])
        .first()
        if filed
        else None
    )
    if access is None:
        response = render(request, "portal/complaint_filed_shown.html")
    else:
        response = render(
            request,
            "portal/complaint_filed.html",
            {
                "complaint": access.complaint,
                "follow_path": reverse("portal:follow", kwargs={"token": access.token}),
            },
        )
    add_never_cache_headers(response)
    return response


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy.html")
