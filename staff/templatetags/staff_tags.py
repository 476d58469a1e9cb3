import datetime

from django import template

register = template.Library()


@register.filter
def subtract_days(later: datetime.date, earlier: datetime.date) -> int:
    """``{{ due|subtract_days:today }}``: whole days from ``earlier`` to ``later``."""
    return (later - earlier).days
