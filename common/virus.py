"""Attachments scanned for viruses by ClamAV (clamd), for every face that takes files."""

from __future__ import annotations

from typing import BinaryIO, Protocol, cast

from clamav_client.clamd import ClamdError, ClamdNetworkSocket, ClamdUnixSocket
from django.conf import settings


class Readable(Protocol):
    """A file of bytes that can be read in pieces and rewound: an upload of a web form, or an
    attachment the mailbox reader spooled to a temporary file."""

    def read(self, size: int = ..., /) -> bytes: ...
    def seek(self, offset: int, whence: int = ..., /) -> int: ...


class ScanUnavailable(Exception):
    """The virus scanner did not answer: the file cannot be accepted now."""


def virus_in(upload: Readable) -> str | None:
    """The name of the virus ClamAV (clamd) finds in ``upload``, or None when it is clean or
    no scanner is configured (``CLAMD_SOCKET`` or ``CLAMD_HOST``). Raises ScanUnavailable
    when a configured scanner cannot be reached or fails: files are then refused, not let in
    unscanned. The file is sent to the scanner in pieces, never read whole."""
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
