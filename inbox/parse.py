"""Reading one mail as it arrived: who sent it, what it answers, its text, its files, whether it
is a bounce or an automatic reply. Nothing here touches the database.

Mail is written by anyone: every header and part is read defensively. A header that cannot be
parsed is read as plain text; a part in an unknown character set is read as UTF-8 with
replacement characters; HTML is sanitised (nh3) and turned into text; a TNEF part
(``winmail.dat``, from Outlook) gives its body and files. What cannot be read at all raises,
and the caller keeps the mail aside with the reason.
"""

from __future__ import annotations

import email.policy
import email.utils
import html as html_lib
import logging
import re
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.parser import BytesParser, HeaderParser
from typing import BinaryIO

import nh3
import tnefparse

logger = logging.getLogger(__name__)

MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
# A complaint's reference in a subject ("Re: Uw klacht 2026-000123").
REFERENCE = re.compile(r"\b(\d{4}-\d{6})\b")
TEXT_LIMIT = 200_000  # characters of a mail's text kept on the timeline; the original is kept

# Subjects of automatic replies from servers that do not say so in their headers.
AUTOMATIC_SUBJECTS = re.compile(
    r"^\s*(auto(matic)?[ -]?(reply|response|antwoord)|out of (the )?office|"
    r"afwezig|automatisch antwoord|r[ée]ponse automatique|absence|abwesen|"
    r"automatische antwort)",
    re.IGNORECASE,
)
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
# HTML kept for reading: structure and links only. No image (nothing remote is ever loaded),
# no style, no script, no form.
HTML_TAGS = {
    "a", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "hr", "i",
    "li", "ol", "p", "pre", "span", "strong", "table", "tbody", "td", "th", "thead", "tr",
    "u", "ul",
}  # fmt: skip
BLOCK_END = re.compile(r"<\s*(br\s*/?|/p|/div|/li|/tr|/h\d|/blockquote|hr\s*/?)\s*>", re.I)


@dataclass
class Part:
    """A file the mail carries."""

    name: str
    content_type: str  # as the mail declares it; the file's content decides what it is
    data: bytes


@dataclass
class Bounce:
    original_ids: list[str]
    reason: str


@dataclass
class Parsed:
    mail_id: str = ""
    sender: str = ""
    sender_name: str = ""
    recipients: list[str] = field(default_factory=list)
    subject: str = ""
    text: str = ""
    html: str = ""
    refers_to: list[str] = field(default_factory=list)  # In-Reply-To, then References
    sender_checks: str = ""
    automatic: bool = False
    bounce: Bounce | None = None
    files: list[Part] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def references_in_subject(self) -> list[str]:
        return REFERENCE.findall(self.subject)


def header(message: Message, name: str) -> str:
    """A header's value as text; one that the mail library cannot parse, as it stands."""
    try:
        values = message.get_all(name) or []
        return " ".join(" ".join(str(value).split()) for value in values)
    except Exception:  # any defect of a hostile header: fall back to the raw text
        raw = [value for key, value in message.raw_items() if key.lower() == name.lower()]
        return " ".join(" ".join(str(value).split()) for value in raw)


def addresses(message: Message, name: str) -> list[tuple[str, str]]:
    """(name, address) of each address in a header, lower-cased addresses."""
    found = email.utils.getaddresses([header(message, name)])
    return [(display, address.strip().lower()) for display, address in found if "@" in address]


def parse(source: BinaryIO) -> Parsed:
    message = BytesParser(policy=email.policy.default).parse(source)
    assert isinstance(message, EmailMessage)  # noqa: S101  # policy.default makes these
    parsed = Parsed()
    parsed.mail_id = (MESSAGE_ID.findall(header(message, "Message-ID")) or [""])[0]
    senders = addresses(message, "From")
    if senders:
        parsed.sender_name, parsed.sender = senders[0][0][:200], senders[0][1][:320]
    parsed.recipients = [
        address
        for name in ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")
        for _display, address in addresses(message, name)
    ]
    parsed.subject = header(message, "Subject")[:300]
    parsed.refers_to = MESSAGE_ID.findall(header(message, "In-Reply-To")) + MESSAGE_ID.findall(
        header(message, "References")
    )
    parsed.sender_checks = "\n".join(
        " ".join(str(value).split()) for value in message.get_all("Authentication-Results") or []
    )
    parsed.bounce = _bounce(message, parsed)
    parsed.automatic = parsed.bounce is None and _automatic(message, parsed)
    _read_body_and_files(message, parsed)
    return parsed


def _automatic(message: Message, parsed: Parsed) -> bool:
    """An automatic reply (out of office, an auto-responder, a list): RFC 3834's
    Auto-Submitted, the headers Exchange and others add, or the subject they use."""
    submitted = header(message, "Auto-Submitted").lower()
    if submitted and not submitted.startswith("no"):
        return True
    if any(header(message, name) for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponse")):
        return True
    if header(message, "Precedence").lower() in AUTOMATIC_PRECEDENCE:
        return True
    if header(message, "X-Auto-Response-Suppress").lower() in {"all", "oof"} and (
        AUTOMATIC_SUBJECTS.match(parsed.subject)
    ):
        return True
    return bool(AUTOMATIC_SUBJECTS.match(parsed.subject))


def _bounce(message: Message, parsed: Parsed) -> Bounce | None:
    """A delivery status notification (RFC 3464), or a mailer daemon's plain bounce."""
    report = (
        message.get_content_type() == "multipart/report"
        and message.get_param("report-type", "").lower() == "delivery-status"  # type: ignore[union-attr]  # a str param
    )
    daemon = parsed.sender.split("@")[0] in {"mailer-daemon", "postmaster"}
    if not report and not daemon:
        return None
    original: list[str] = []
    reasons: list[str] = []
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            for block in part.get_payload() or []:
                if isinstance(block, Message):
                    for name in ("Status", "Diagnostic-Code"):
                        if value := header(block, name):
                            reasons.append(value)
        elif kind == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                original += MESSAGE_ID.findall(header(inner[0], "Message-ID"))
        elif kind == "text/rfc822-headers":
            raw = part.get_payload(decode=True)
            text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
            original += MESSAGE_ID.findall(header(HeaderParser().parsestr(text), "Message-ID"))
    original += parsed.refers_to
    if not report and not original:
        return None  # a person writing from a postmaster address
    return Bounce(original_ids=original, reason="; ".join(reasons)[:1000] or parsed.subject)


def _text_of(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]  # EmailMessage under policy.default
        if isinstance(content, str):
            return content
    except (LookupError, UnicodeError, ValueError, AssertionError) as exc:
        logger.info("mail part read as UTF-8 with replacements: %s", exc)
    raw = part.get_payload(decode=True)
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else ""


def sanitise_html(html: str) -> str:
    """HTML safe to show: nh3 keeps structure and links (``rel=noopener noreferrer``)."""
    return nh3.clean(
        html, tags=HTML_TAGS, attributes={"a": {"href"}}, link_rel="noopener noreferrer"
    )


def html_to_text(html: str) -> str:
    text = nh3.clean(BLOCK_END.sub("\n", html), tags=set())
    lines = (" ".join(line.split()) for line in html_lib.unescape(text).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _read_body_and_files(message: EmailMessage, parsed: Parsed) -> None:
    plain = message.get_body(preferencelist=("plain",))
    rich = message.get_body(preferencelist=("html",))
    body_parts = {id(plain), id(rich)}
    if plain is not None:
        parsed.text = _text_of(plain)
    if rich is not None:
        parsed.html = sanitise_html(_text_of(rich))
        if not parsed.text.strip():
            parsed.text = html_to_text(parsed.html)
    if parsed.bounce is not None:
        return  # a bounce's parts are the report and our own message: no files
    for part in message.walk():
        if part.is_multipart() or id(part) in body_parts:
            continue
        kind = part.get_content_type()
        name = part.get_filename() or ""
        if not name and part.get_content_disposition() != "attachment":
            if kind.startswith("text/") and not parsed.text.strip():
                parsed.text = _text_of(part)
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            data = bytes(part.as_bytes()) if kind == "message/rfc822" else b""
        name = (name or "attachment").replace("\x00", "")[:255]
        if kind == "application/ms-tnef" or name.lower() == "winmail.dat":
            _read_tnef(data, parsed)
            continue
        parsed.files.append(Part(name=name, content_type=kind, data=data))
    parsed.text = parsed.text.replace("\x00", "").strip()[:TEXT_LIMIT]


def _read_tnef(data: bytes, parsed: Parsed) -> None:
    """Outlook's ``winmail.dat``: its files become the mail's, its text the mail's text when
    the mail had none. A TNEF that cannot be read is kept as the file it is."""
    try:
        tnef = tnefparse.TNEF(data, do_checksum=False)
        files = [
            Part(
                name=(str(attachment.long_filename() or "attachment")).strip("\x00")[:255],
                content_type="application/octet-stream",
                data=bytes(attachment.data),
            )
            for attachment in tnef.attachments
        ]
        body = tnef.body or b""
        html = tnef.htmlbody or b""
    except Exception as exc:  # a damaged or hostile TNEF: keep it as it came
        parsed.problems.append(f"winmail.dat could not be read ({type(exc).__name__})")
        parsed.files.append(Part("winmail.dat", "application/ms-tnef", data))
        return
    parsed.files += files
    if not parsed.text.strip():
        if body:
            parsed.text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        elif html:
            text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
            parsed.html = sanitise_html(text)
            parsed.text = html_to_text(parsed.html)
