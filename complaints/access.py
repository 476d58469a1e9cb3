"""Which complaints a member of staff may see (E7, E17, E18). One function per object kind hands
objects to a user; a complaint that does not exist and one that is not theirs look the same:
404. The API and the back office both hand out complaints through these."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import Http404

from access.members import member_of
from access.models import Role
from complaints.models import Attachment, Complaint


def complaints_for(user: User) -> QuerySet[Complaint]:
    """The complaints ``user`` may see: all for the manager; for a handler, those assigned to
    them or to their unit; none for anyone else."""
    member = member_of(user)
    complaints = Complaint.objects.select_related("category", "unit", "handler")
    if member is None:
        return complaints.none()
    if member.role == Role.MANAGER:
        return complaints
    if member.role == Role.HANDLER:
        mine = Q(handler=user)
        if member.unit_id is not None:
            mine |= Q(unit_id=member.unit_id)
        # Never a complaint about themselves (E7), even when it sits in their unit.
        return complaints.filter(mine).exclude(concerned_staff=user)
    return complaints.none()


def complaint_for_user(user: User, pk: int) -> Complaint:
    complaint = complaints_for(user).filter(pk=pk).first()
    if complaint is None:
        raise Http404
    return complaint


def attachment_for_user(user: User, complaint_pk: int, pk: int) -> Attachment:
    complaint = complaint_for_user(user, complaint_pk)
    attachment = complaint.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    return attachment
