"""The address a complainant's reply goes to. With ``MAILBOX_REPLY_ADDRESS`` set, every mail
to a complainant carries a Reply-To of that address with the complaint's reference and a tag
added after a plus (``klachten+2026-000123.k3x9q2mz7d@example.org``), chosen by the domain when
it stores the mail (``outbox_enqueue(reply_to=...)``): most mail servers deliver it to the same
mailbox, and the reader (``inbox``) knows the complaint from it. The tag, an HMAC of the
reference under ``SECRET_KEY``, keeps someone who knows a reference from posing as a reply to
it by the address alone."""

from __future__ import annotations

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "querela.reply-address"


def _tag(reference: str) -> str:
    return salted_hmac(_SALT, reference, algorithm="sha256").hexdigest()[:10]


def reply_address(reference: str) -> str:
    """The Reply-To of a mail about complaint ``reference``; "" when none is configured."""
    base: str = settings.MAILBOX_REPLY_ADDRESS
    if not base:
        return ""
    if not settings.MAILBOX_PLUS_ADDRESSING:
        return base
    local, _at, domain = base.rpartition("@")
    return f"{local}+{reference}.{_tag(reference)}@{domain}"


def reference_in_address(address: str) -> str | None:
    """The reference of the complaint whose reply address ``address`` is, or None."""
    base: str = settings.MAILBOX_REPLY_ADDRESS
    if not base or not settings.MAILBOX_PLUS_ADDRESSING:
        return None
    base_local, _at, base_domain = base.rpartition("@")
    local, _at, domain = address.strip().rpartition("@")
    name, plus, detail = local.partition("+")
    if not plus or name.lower() != base_local.lower() or domain.lower() != base_domain.lower():
        return None
    reference, _dot, tag = detail.rpartition(".")
    if reference and constant_time_compare(tag.lower(), _tag(reference)):
        return reference
    return None
