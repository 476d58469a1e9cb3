"""``{% language_links as links %}``: this page in every language, for the switcher."""

from typing import Any

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.encoding import iri_to_uri
from django.utils.translation import get_language, get_language_info, override

register = template.Library()


def _url_in(request: HttpRequest, code: str) -> str:
    """The requested page in language ``code``. The page was resolved once already: reverse
    that match in each language (``translate_url`` would resolve the path again for each)."""
    match = request.resolver_match
    if match is None or match.url_name is None:  # an error page: no view matched
        return translate_url(request.get_full_path(), code)
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    with override(code):
        try:
            path = reverse(name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return translate_url(request.get_full_path(), code)
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{iri_to_uri(query)}" if query else path


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[dict[str, object]]:
    request = context.get("request")
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": _url_in(request, code) if request is not None else translate_url("/", code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]
