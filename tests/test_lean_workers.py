"""A web worker loads the PDF and spreadsheet libraries only when it first draws a report or a
spreadsheet, and never the clustering of themes (scikit-learn, SciPy, NumPy: the worker's).
Loaded as the URLs load, they made every web worker hold 172 MB after the public path's load
benchmark (issue 10's ceiling is 150)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.conf import settings

HEAVY = ("weasyprint", "openpyxl", "sklearn", "scipy", "numpy", "lingua")


def test_loading_every_url_loads_no_report_library() -> None:
    probe = (
        "import json, sys, django; django.setup();"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        "from django.core.handlers.wsgi import WSGIHandler; WSGIHandler();"
        f"print(json.dumps([name for name in {HEAVY!r} if name in sys.modules]))"
    )
    environment = os.environ | {"DJANGO_SETTINGS_MODULE": "querela.settings_test"}
    done = subprocess.run(  # noqa: S603  # our own interpreter and a fixed probe
        [sys.executable, "-c", probe],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout.splitlines()[-1]) == []
