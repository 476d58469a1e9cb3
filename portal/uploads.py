"""Files attached to a form that came back with errors wait, bound to the browser session, so
the person need not attach them again (the public form and the follow-up reply form); a
request too large for any form is refused before its body is read; and files are scanned for
viruses when a ClamAV daemon is configured."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from complaints.models import PendingUpload


def _session_key(request: HttpRequest) -> str:
    if request.session.session_key is None:
        request.session.save()
    key = request.session.session_key
    assert key is not None  # noqa: S101  # saved just above
    return key


def kept_uploads(request: HttpRequest) -> list[PendingUpload]:
    """Files attached to an earlier try of this form that the person chose to keep."""
    if request.method != "POST" or request.session.session_key is None:
        return []
    # ASCII digits only ("²" is a digit to str.isdigit() but not to int()), and no more of
    # them than a database key holds.
    ids = [
        int(pk)
        for pk in request.POST.getlist("keep_upload")
        if pk.isascii() and pk.isdigit() and len(pk) <= 18
    ]
    return list(PendingUpload.objects.filter(pk__in=ids, session_key=request.session.session_key))


def keep_for_next_try(
    request: HttpRequest, uploads: list[tuple[UploadedFile[bytes], str]]
) -> list[PendingUpload]:
    """Stores the valid files of a form that came back with errors, for the next try."""
    session_key = _session_key(request)
    kept = []
    for upload, content_type in uploads:
        pending = PendingUpload(
            session_key=session_key,
            original_name=(upload.name or "file")[:255],
            content_type=content_type,
            size=upload.size or 0,
        )
        # Stored under a random name: the person's file name (emoji, "..", nothing left once
        # cleaned) is only shown, never used as a path.
        pending.file.save(secrets.token_hex(16), upload, save=False)
        pending.save()
        kept.append(pending)
    return kept


class RequestSizeLimitMiddleware:
    """Refuses a request whose announced body is larger than a form with the most and largest
    attachments allowed, before anything reads the body (a 200 MB upload is not read at all):
    the person gets a translated page that says what the limits are.

    The WSGI server reads no more than Content-Length, so the announced size is the real bound.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            announced = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            announced = 0  # Django reads no body it cannot size
        if announced > settings.REQUEST_MAX_BYTES:
            response = render(
                request,
                "413.html",
                {
                    "max_count": settings.ATTACHMENT_MAX_COUNT,
                    "max_mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
                },
                status=413,
            )
            return response
        return self.get_response(request)
