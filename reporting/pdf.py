"""The published report as PDF (WeasyPrint): tagged PDF/UA with the document's language and
title, drawn from the same tables and SVG charts as the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def logo_url(logo: str) -> str | None:
    """The organisation's logo as a file the PDF can embed, when it is a static path."""
    if not logo:
        return None
    static_url = str(settings.STATIC_URL)
    relative = logo.removeprefix(static_url) if logo.startswith(static_url) else logo.lstrip("/")
    found = finders.find(relative)
    if isinstance(found, str):
        return Path(found).as_uri()
    return None


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    # WeasyPrint (and Pango under it) is loaded by the first report, not by every web worker
    # as the URLs load: it is most of a worker's memory, and few workers ever draw a report.
    from weasyprint import HTML, URLFetcher

    html = render_to_string(template, context)
    # Local files only (the logo from the static files): a report never reaches the network.
    document = HTML(
        string=html,
        base_url=str(settings.BASE_DIR),
        url_fetcher=URLFetcher(allowed_protocols={"file", "data"}),
    )
    pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1")
    return pdf
