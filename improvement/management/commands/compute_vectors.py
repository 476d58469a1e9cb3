"""Computes the sentence vectors of the complaints that have none (after an upgrade, or a
change of model), ``--batch`` at a time, each batch committed: stopped, it goes on where it
stopped when run again. Run it where the worker runs (it loads the encoder)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from complaints.models import Complaint


class Command(BaseCommand):
    help = "Computes the missing sentence vectors of the complaints (resumable)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=256, help="complaints per commit")
        parser.add_argument("--limit", type=int, default=None, help="stop after so many")

    def handle(self, *args: Any, **options: Any) -> None:
        from improvement.vectors import vectors_fill, without_vector

        missing = without_vector(Complaint.objects.all()).count()
        self.stdout.write(f"{missing} complaints without a vector")
        done = vectors_fill(
            Complaint.objects.all(),
            batch=options["batch"],
            limit=options["limit"],
            progress=lambda n: self.stdout.write(f"{n} / {missing}"),
        )
        self.stdout.write(f"{done} vectors computed")
