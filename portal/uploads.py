"""Files attached to a form that came back with errors wait, bound to the browser session, so
the person need not attach them again (the public form and the follow-up reply form)."""

from __future__ import annotations

import secrets

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest

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
    # ASCII digits only: "²" is a digit to str.isdigit() but not to int().
    ids = [int(pk) for pk in request.POST.getlist("keep_upload") if pk.isascii() and pk.isdigit()]
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
