from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from complaints.backup import backup


class Command(BaseCommand):
    help = "Writes the database and the attachments to one .tar.gz file (see docs/operations.md)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("target", type=Path, help="The file to write, e.g. querela.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        rows, files = backup(options["target"])
        self.stdout.write(f"{rows} rows and {files} files written to {options['target']}")
