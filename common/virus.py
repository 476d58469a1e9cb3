"""Attachments scanned for viruses by ClamAV (clamd), for every face that takes files."""

from __future__ import annotations

from typing import BinaryIO, cast

from clamav_client.clamd import ClamdError, ClamdNetworkSocket, ClamdUnixSocket
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile


class ScanUnavailable(Exception):
    """The virus scanner did not answer: the file cannot be accepted now."""


def virus_in(upload: UploadedFile[bytes]) -> str | None:
    """The name of the virus ClamAV (clamd) finds in ``upload``, or None when it is clean or
    no scanner is configured (``CLAMD_SOCKET`` or ``CLAMD_HOST``). Raises ScanUnavailable
    when a configured scanner cannot be reached or fails: files are then refused, not let in
    unscanned."""
    if settings.CLAMD_SOCKET:
        client: ClamdNetworkSocket = ClamdUnixSocket(
            path=settings.CLAMD_SOCKET, timeout=settings.CLAMD_TIMEOUT
        )
    elif settings.CLAMD_HOST:
        client = ClamdNetworkSocket(
            host=settings.CLAMD_HOST, port=settings.CLAMD_PORT, timeout=settings.CLAMD_TIMEOUT
        )
    else:
        return None
    upload.seek(0)
    try:
        report = client.instream(cast(BinaryIO, upload))  # a file object that reads bytes
    except (ClamdError, OSError) as error:
        raise ScanUnavailable(str(error)) from error
    finally:
        upload.seek(0)
    status, reason = report.get("stream", ("ERROR", "no answer"))
    if status == "FOUND":
        return str(reason)
    if status != "OK":
        raise ScanUnavailable(f"{status}: {reason}")
    return None
