"""``{{ category|tr:"label" }}``: a configured text in the active language;
``{{ day|long_date }}``: a date as it reads in a sentence of the active language."""

import datetime

from django import template

from configuration import dates
from configuration.models import TranslatedModel

register = template.Library()


@register.filter
def tr(obj: TranslatedModel | None, field: str) -> str:
    return obj.translated(field) if obj is not None else ""


@register.filter
def long_date(value: datetime.date | None) -> str:
    return dates.long_date(value)
