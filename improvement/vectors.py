"""The complaints' sentence vectors in the database: computed by the worker when a complaint is
filed, by whichever face (``on_complaint_filed``, connected to the domain's ``complaint_filed``,
starts ``vector_compute_later``: a task started after the commit), and for the complaints that
have none by the command ``compute_vectors``, which picks up where it stopped. The encoder
(``improvement.embedding``) is imported inside the functions that run in the worker."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from complaints.models import Complaint
from improvement.models import ComplaintVector

BATCH = 256


def complaint_text(description: str, desired_outcome: str) -> str:
    return f"{description}\n{desired_outcome}".strip()


def vector_compute_later(complaint_id: int) -> None:
    """Once the filing is committed, the worker computes the complaint's vector."""
    from improvement.tasks import compute_vector

    transaction.on_commit(lambda: compute_vector.enqueue(complaint_id))


def on_complaint_filed(sender: object, complaint: Complaint, **kwargs: object) -> None:
    """Connected to ``complaints.signals.complaint_filed`` (``improvement.apps``): every face
    that files a complaint gets its vector computed without calling for it."""
    vector_compute_later(complaint.pk)


def without_vector(complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """The complaints with text (not anonymised) that have no vector of the current model."""
    from improvement.embedding import MODEL

    return complaints.filter(anonymised_at__isnull=True).exclude(vector__model=MODEL)


def vectors_fill(
    complaints: QuerySet[Complaint],
    *,
    batch: int = BATCH,
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Computes the vectors ``complaints`` lack, in order of id, ``batch`` at a time, each batch
    committed: stopped anywhere, the next call goes on with the complaints still without one.
    Returns how many were computed (a text set aside counts: its row has no vector)."""
    from improvement.embedding import MODEL, embed, to_bytes

    done, last = 0, 0
    while limit is None or done < limit:
        size = batch if limit is None else min(batch, limit - done)
        rows = list(
            without_vector(complaints)
            .filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "description", "desired_outcome")[:size]
        )
        if not rows:
            break
        vectors = embed([complaint_text(description, wanted) for _, description, wanted in rows])
        now = timezone.now()
        ComplaintVector.objects.bulk_create(
            [
                ComplaintVector(
                    complaint_id=pk,
                    model=MODEL,
                    vector=None if vector is None else to_bytes(vector),
                    computed_at=now,
                )
                for (pk, _, _), vector in zip(rows, vectors, strict=True)
            ],
            update_conflicts=True,
            unique_fields=["complaint"],
            update_fields=["model", "vector", "computed_at"],
        )
        done, last = done + len(rows), rows[-1][0]
        if progress is not None:
            progress(done)
    return done
