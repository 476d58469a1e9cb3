import datetime

from django import template

from complaints.models import Complaint
from complaints.queries import next_deadline_kind

register = template.Library()


@register.filter
def subtract_days(later: datetime.date, earlier: datetime.date) -> int:
    """``{{ due|subtract_days:today }}``: whole days from ``earlier`` to ``later``."""
    return (later - earlier).days


@register.filter
def next_deadline_label(complaint: Complaint) -> str:
    """``{{ complaint|next_deadline_label }}``: which deadline ``next_due`` is."""
    kind = next_deadline_kind(complaint)
    return str(kind.label) if kind else ""
