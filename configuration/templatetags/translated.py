"""``{{ category|tr:"label" }}``: a configured text in the active language."""

from django import template

from configuration.models import TranslatedModel

register = template.Library()


@register.filter
def tr(obj: TranslatedModel | None, field: str) -> str:
    return obj.translated(field) if obj is not None else ""
