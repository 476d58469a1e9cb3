"""The configuration each web process keeps in memory follows a change made by another
process (another web machine, ``manage.py shell``) on the very next request."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.utils.html import escape

from configuration.demo import load_demo_configuration
from configuration.models import Category

ROOT = Path(__file__).resolve().parent.parent

CHANGE = """
from configuration.models import Category
category = Category.objects.get(code="waiting-time")
category.label_fr = "Attente changée ailleurs"
category.save()
"""


def run_in_another_process(code: str, tmp_path: Path) -> None:
    """``manage.py shell -c code`` against this test's database, in a process of its own."""
    env = dict(os.environ)
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        # The settings put the SQLite file in VAR_DIR: point a fresh VAR_DIR at the test's file.
        (tmp_path / "querela.sqlite3").symlink_to(database["NAME"])
        env["VAR_DIR"] = str(tmp_path)
        env.pop("DATABASE_URL", None)
    else:
        env["DATABASE_URL"] = (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        )
    done = subprocess.run(  # noqa: S603  # our own interpreter and manage.py
        [sys.executable, str(ROOT / "manage.py"), "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.django_db(transaction=True)
def test_a_change_saved_by_another_process_is_seen_on_the_next_request(
    client: Client, tmp_path: Path
) -> None:
    load_demo_configuration()
    before = escape(Category.objects.get(code="waiting-time").translated("label", "fr"))
    assert before in client.get("/fr/").content.decode()  # now in this process's memory

    run_in_another_process(CHANGE, tmp_path)

    page = client.get("/fr/").content.decode()
    assert "Attente changée ailleurs" in page
    assert before not in page
