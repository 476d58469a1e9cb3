"""Sentence vectors (issue 20): computed in the worker when a complaint is filed, for the
complaints without one by a command that picks up where it stopped; a text that says nothing
is set aside; the same subject in four languages is closer than two subjects in one."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complaint
from improvement.embedding import MODEL, embed, from_bytes
from improvement.models import ComplaintVector
from tests.conftest import Cast
from tests.helpers import file_complaint
from tests.test_api_public import file_through_api
from tests.test_api_staff import registration, token_for
from tests.test_staff_register import what_arrived
from tests.themes_corpus import Generated, generate, store


def test_the_same_subject_in_four_languages_is_closer_than_two_subjects_in_one() -> None:
    paid, wheelchair = (
        embed(
            [
                "Mijn leefloon is deze maand niet gestort.",
                "Mon revenu d'intégration n'a pas été versé ce mois.",
                "Mein Eingliederungseinkommen wurde diesen Monat nicht überwiesen.",
                "My integration income was not paid this month.",
            ]
        ),
        embed(["Het gebouw is niet toegankelijk met een rolstoel."]),
    )
    vectors = np.stack([v for v in paid if v is not None])
    other = wheelchair[0]
    assert other is not None and len(vectors) == 4
    across = vectors @ vectors.T
    assert across[np.triu_indices(4, 1)].min() > float((vectors @ other)[0]) + 0.05


def test_texts_that_say_nothing_are_set_aside_and_long_ones_are_cut() -> None:
    vectors = embed(["", "!!! ???", "😀😡🙏", "leefloon", "x" * 50_000, "Пенсию не выплатили"])
    assert [v is None for v in vectors] == [True, True, True, False, False, False]
    assert all(abs(float(np.linalg.norm(v)) - 1) < 1e-4 for v in vectors if v is not None)


def test_a_complaint_filed_on_the_public_form_gets_its_vector(
    demo: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        complaint = file_complaint(Client())
    stored = ComplaintVector.objects.get(complaint=complaint)
    assert stored.model == MODEL and stored.vector is not None
    assert from_bytes(stored.vector).shape == (512,)


@pytest.mark.parametrize("face", ["staff registration", "API filing", "API registration"])
def test_a_complaint_filed_by_any_face_gets_its_vector_once(
    cast: Cast, face: str, django_capture_on_commit_callbacks: Any
) -> None:
    """No face asks for the vector: the domain says a complaint was filed
    (``complaints.signals.complaint_filed``) and the themes' app starts the task."""
    token = token_for(cast.manager)
    api = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")
    with django_capture_on_commit_callbacks(execute=True) as started:
        if face == "staff registration":
            cast.client_for(cast.manager).post(reverse("staff:register"), what_arrived())
        elif face == "API filing":
            assert file_through_api(Client()).status_code == 201
        else:
            assert api.post("/api/v1/staff/complaints", registration()).status_code == 201
    complaint = Complaint.objects.get()
    stored = ComplaintVector.objects.get(complaint=complaint)
    assert stored.model == MODEL and stored.vector is not None
    vector_tasks = [c for c in started if c.__qualname__.startswith("vector_compute_later.")]
    assert len(vector_tasks) == 1


def test_the_command_computes_the_missing_vectors_and_resumes_where_it_stopped(
    cast: Cast,
) -> None:
    ids = store([*generate(30), Generated("***", "nl", "")], timezone.now())
    out = io.StringIO()
    call_command("compute_vectors", "--batch", "8", "--limit", "16", stdout=out)
    assert ComplaintVector.objects.filter(complaint_id__in=ids).count() == 16
    first = dict(ComplaintVector.objects.values_list("complaint_id", "computed_at"))

    call_command("compute_vectors", "--batch", "8", stdout=out)

    assert ComplaintVector.objects.filter(complaint_id__in=ids).count() == 31
    assert ComplaintVector.objects.get(complaint_id=ids[-1]).vector is None
    again = dict(ComplaintVector.objects.filter(pk__in=first).values_list("pk", "computed_at"))
    assert again == first  # the first 16 were not computed again
    assert "15 vectors computed" in out.getvalue()
