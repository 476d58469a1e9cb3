"""The intake queue: mail taken from the service's mailbox (``inbox``) that waits for the
complaints manager. A new e-mail is registered as a complaint (channel e-mail, deadlines
from the moment the mailbox received it) or marked as not a complaint or as spam; a reply to a
closed complaint, a bounce nobody recognised and a message kept aside are marked dealt with."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from complaints.models import Complaint, IncomingKind, IncomingMail, IncomingState, NotificationKind
from complaints.notify import notify_staff
from complaints.services import Upload


class AlreadyDecided(Exception):
    """Someone decided on this mail already (a second click, a second tab)."""


# What may be decided about each kind of mail waiting in the queue.
DECISIONS: dict[str, frozenset[str]] = {
    IncomingKind.NEW: frozenset(
        {IncomingState.REGISTERED, IncomingState.NOT_A_COMPLAINT, IncomingState.SPAM}
    ),
    IncomingKind.CLOSED_REPLY: frozenset({IncomingState.DONE}),
    IncomingKind.BOUNCE: frozenset({IncomingState.DONE}),
    IncomingKind.KEPT_ASIDE: frozenset({IncomingState.DONE, IncomingState.SPAM}),
}


def intake_tell_closed_reply(mail: IncomingMail) -> int:
    """A reply to a closed complaint waits in the queue: its handler and the complaints
    managers are told (in the transaction that stores it), so it is never silently left there.
    Returns how many were told."""
    assert mail.complaint is not None  # noqa: S101  # a reply to a complaint
    return notify_staff(
        mail.complaint,
        template="staff_closed_complaint_wrote",
        managers=True,
        context={"sender": mail.sender, "sender_unknown": mail.sender_unknown},
        kind=NotificationKind.REPLY,
    )


def intake_waiting() -> list[IncomingMail]:
    return list(
        IncomingMail.objects.filter(state=IncomingState.WAITING)
        .select_related("complaint")
        .order_by("received_at", "pk")
    )


def incoming_uploads(mail: IncomingMail) -> list[Upload]:
    """The accepted files of ``mail``, to register with it as the complaint's attachments."""
    return [
        Upload(
            file=File(attachment.file.open("rb"), name=attachment.original_name),
            name=attachment.original_name,
            content_type=attachment.content_type,
            size=attachment.size,
        )
        for attachment in mail.attachments.exclude(file="")
    ]


def incoming_decide(
    *, mail: IncomingMail, state: IncomingState, by: User, complaint: Complaint | None = None
) -> IncomingMail:
    """Records the manager's decision on a waiting mail; ``complaint`` is the one it was
    registered as. Raises ``AlreadyDecided`` when it no longer waits or the decision does
    not fit the kind of mail."""
    with transaction.atomic():
        mail = IncomingMail.objects.select_for_update().get(pk=mail.pk)
        if mail.state != IncomingState.WAITING or state not in DECISIONS.get(mail.kind, ()):
            raise AlreadyDecided(mail.pk)
        mail.state = state
        mail.decided_by = by
        mail.decided_at = timezone.now()
        if complaint is not None:
            mail.complaint = complaint
        mail.save(update_fields=["state", "decided_by", "decided_at", "complaint"])
    return mail
