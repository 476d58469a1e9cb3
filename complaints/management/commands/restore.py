from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from complaints.backup import RestoreError, restore


class Command(BaseCommand):
    help = "Restores a backup into a migrated, empty database and an empty media storage."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source", type=Path, help="A file written by manage.py backup")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows, files = restore(options["source"])
        except RestoreError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{rows} rows and {files} files restored from {options['source']}")
