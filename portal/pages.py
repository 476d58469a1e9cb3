"""Public pages that are the same for every visitor, served from this process's memory.

The first page of the triage and the empty complaint form differ between two visitors only by
the CSRF token in their form. Each is rendered once per process, language, path and
configuration stamp, with a placeholder where the token goes, and kept in the local ``pages``
cache; every visitor then gets the kept page with their own token put in. A new stamp (an
administrator's change) makes new keys, so a changed configuration is shown on the next
request. The home page, with no form, is kept the same way.

Only for pages whose template reads nothing of the visitor but the token: not the session's
answers, not errors, not the query string (a page with one is rendered as usual, so no visitor
can fill the cache with keys of their choosing).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from configuration import cache

# Letters and digits only, like a token: the template's escaping leaves it as it is. New in
# each process, so no text of a configuration can contain it by chance.
TOKEN_PLACEHOLDER = f"csrftoken{secrets.token_hex(16)}"


def shared_page(request: HttpRequest, template_name: str, context: dict[str, Any]) -> HttpResponse:
    """``render(request, template_name, context)``, rendered once per process for everyone."""
    stamp = cache.current().stamp
    if stamp is None or request.META.get("QUERY_STRING"):
        return render(request, template_name, context)
    key = f"page:{template_name}:{get_language()}:{request.path}:{stamp}"
    pages = caches["pages"]
    html: str | None = pages.get(key)
    if html is None:
        html = render_to_string(
            template_name, {**context, "csrf_token": TOKEN_PLACEHOLDER}, request
        )
        pages.set(key, html, None)
    return HttpResponse(html.replace(TOKEN_PLACEHOLDER, get_token(request)))
