"""Recurring themes (R12): the run that groups a period's complaints into themes and keeps
each theme's id from one run to the next, the cheap matching of a new complaint to a theme,
and the complaints manager's changes (name, merge, split). Clustering itself is in
``improvement.clustering``; this module is its database side."""

from __future__ import annotations

import datetime
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from access.audit import audit, audit_many
from access.models import AuditAction
from complaints.models import Complaint
from improvement.models import ComplaintVector, Theme, ThemeExclusion, ThemeMember, ThemeRun
from improvement.vectors import complaint_text, vectors_fill

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

# A new cluster keeps the id of the theme that held this share of its complaints before...
OVERLAP_SHARE = 0.3
# ... or, failing that, of the theme whose centre is this close to its own.
CENTRE_MATCH = 0.8
# A new complaint joins the nearest theme when its vector (its language's mean away) is ...
ASSIGN_SIMILARITY = 0.4  # as close as a member of a theme must be to its centre
NEW_COMPLAINT_DAYS = 7
NEIGHBOURS = 20  # similar complaints kept per complaint of a theme
NEIGHBOUR_POOL = 1000  # the newest complaints of a theme a complaint is compared with


class ThemeError(Exception):
    """A change the complaints manager asked for that cannot be made; the message says why."""


def day_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    """``start`` 00:00 to the day after ``end`` 00:00, in the service's time zone."""
    zone = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    return first, after.replace(tzinfo=zone)


def complaints_in(start: datetime.date, end: datetime.date) -> QuerySet[Complaint]:
    """The complaints received in the period whose text is still there (not anonymised)."""
    first, after = day_bounds(start, end)
    return Complaint.objects.filter(
        received_at__gte=first, received_at__lt=after, anonymised_at__isnull=True
    )


def themes_refresh(*, start: datetime.date, end: datetime.date) -> ThemeRun:
    """Groups the period's complaints into themes by meaning (in the worker: seconds to a
    minute). Complaints without a vector get one first. A cluster keeps the id of the theme
    most of its complaints were in, or else of the theme whose centre is closest, so names and
    links survive. What the complaints manager decided stays: complaints placed by hand
    (``pinned``) stay where they are, and one taken out of a theme is never put back in it."""
    # NumPy, scikit-learn and the encoder are loaded here and in ``new_complaints_assign``,
    # which run in the worker: a web process never loads them.
    import numpy as np

    from improvement.clustering import cluster_vectors
    from improvement.embedding import DIMENSIONS, MODEL, from_bytes, to_bytes

    began = time.perf_counter()
    run = ThemeRun.objects.create(start=start, end=end, started_at=timezone.now())
    ComplaintVector.objects.filter(complaint__anonymised_at__isnull=False).delete()
    vectors_fill(complaints_in(start, end))
    rows = list(
        complaints_in(start, end)
        .filter(vector__model=MODEL)
        .order_by("pk")
        .values_list("pk", "language", "description", "desired_outcome", "vector__vector")
    )
    matrix = np.zeros((len(rows), DIMENSIONS), dtype=np.float32)
    for row, stored in enumerate(rows):
        if stored[-1] is not None:
            matrix[row] = from_bytes(stored[-1])
    clusters = cluster_vectors(
        matrix,
        [stored[1] for stored in rows],
        [complaint_text(stored[2], stored[3]) for stored in rows],
    )
    pks = [row[0] for row in rows]
    with transaction.atomic():
        ThemeMember.objects.filter(complaint__anonymised_at__isnull=False).delete()
        window = ThemeMember.objects.filter(complaint_id__in=complaints_in(start, end))
        before = dict(window.values_list("complaint_id", "theme_id"))
        pinned = set(window.filter(pinned=True).values_list("complaint_id", flat=True))
        excluded = set(ThemeExclusion.objects.values_list("theme_id", "complaint_id"))
        window.filter(pinned=False).delete()
        used: set[int] = set()
        members = []
        now = timezone.now()
        for cluster in clusters:
            ids = [pks[index] for index in cluster.members]
            theme = _matching_theme(cluster.centre, ids, before, used)
            used.add(theme.pk)
            theme.keywords, theme.words = cluster.keywords, cluster.words
            theme.centre, theme.language_centres = (
                to_bytes(cluster.centre),
                cluster.language_centres,
            )
            theme.refreshed_at = now
            theme.save(
                update_fields=["keywords", "words", "centre", "language_centres", "refreshed_at"]
            )
            near = nearest(matrix[cluster.members], ids)
            members += [
                ThemeMember(
                    theme=theme, complaint_id=pk, similarity=similarity, neighbours=near[pk]
                )
                for pk, similarity in zip(ids, cluster.similarities, strict=True)
                if pk not in pinned and (theme.pk, pk) not in excluded
            ]
        ThemeMember.objects.bulk_create(members, batch_size=2000)
        run.complaints, run.themes = len(rows), len(clusters)
        run.means = clusters[0].means if clusters else {}
        run.finished_at, run.seconds = timezone.now(), round(time.perf_counter() - began, 2)
        run.save()
    return run


def nearest(vectors: NDArray[np.float32], ids: list[int]) -> dict[int, list[int]]:
    """For each of ``ids`` (in order of id; their vectors are the rows of ``vectors``), the
    ``NEIGHBOURS`` closest to it among the theme's newest ``NEIGHBOUR_POOL``, nearest first:
    a theme of 20,000 complaints would otherwise cost 20,000 squared products."""
    import numpy as np

    pool = np.arange(max(0, len(ids) - NEIGHBOUR_POOL), len(ids))
    keep = min(NEIGHBOURS, len(pool) - 1)
    if keep <= 0:
        return {pk: [] for pk in ids}
    out: dict[int, list[int]] = {}
    for first in range(0, len(ids), 1024):
        similarity = vectors[first : first + 1024] @ vectors[pool].T
        rows = np.arange(similarity.shape[0])
        similarity[np.equal.outer(first + rows, pool)] = -np.inf
        top = np.argpartition(-similarity, keep - 1, axis=1)[:, :keep]
        for row in rows:
            order = top[row][np.argsort(-similarity[row, top[row]])]
            out[ids[first + row]] = [ids[int(pool[index])] for index in order]
    return out


def _matching_theme(
    centre: NDArray[np.float32], ids: list[int], before: dict[int, int], used: set[int]
) -> Theme:
    from improvement.embedding import from_bytes

    overlap = Counter(before[pk] for pk in ids if pk in before)
    for theme_id, count in overlap.most_common():
        if theme_id not in used and count >= OVERLAP_SHARE * len(ids):
            return _live(Theme.objects.get(pk=theme_id))
    candidates = Theme.objects.filter(merged_into__isnull=True, centre__isnull=False)
    best, best_similarity = None, CENTRE_MATCH
    for pk, theirs in candidates.exclude(pk__in=used).values_list("pk", "centre"):
        similarity = float(from_bytes(theirs) @ centre)
        if similarity >= best_similarity:
            best, best_similarity = pk, similarity
    if best is not None:
        return Theme.objects.get(pk=best)
    return Theme.objects.create()


def _live(theme: Theme) -> Theme:
    """The theme a merged theme went into (following a chain of merges)."""
    seen = {theme.pk}
    while theme.merged_into_id is not None and theme.merged_into_id not in seen:
        seen.add(theme.merged_into_id)
        theme = Theme.objects.get(pk=theme.merged_into_id)
    return theme


def new_complaints_assign() -> int:
    """Puts the week's new complaints that are in no theme yet into the theme whose centre is
    closest, when one is close enough (vectors computed first where missing): the handler sees
    the pattern the same day, not after the nightly run."""
    import numpy as np

    from improvement.clustering import centred
    from improvement.embedding import MODEL, from_bytes

    since = timezone.now() - datetime.timedelta(days=NEW_COMPLAINT_DAYS)
    recent = Complaint.objects.filter(received_at__gte=since)
    vectors_fill(recent)
    themes = list(
        Theme.objects.filter(merged_into__isnull=True, centre__isnull=False).values_list(
            "pk", "centre", "language_centres"
        )
    )
    if not themes:
        return 0
    waiting = recent.filter(
        anonymised_at__isnull=True,
        theme_membership__isnull=True,
        vector__model=MODEL,
        vector__vector__isnull=False,
    ).values_list("pk", "language", "vector__vector")
    excluded = set(ThemeExclusion.objects.values_list("theme_id", "complaint_id"))
    last = ThemeRun.objects.filter(finished_at__isnull=False).exclude(means={}).first()
    means = last.means if last is not None else {}
    members = []
    for pk, language, vector in waiting:
        mine = centred(from_bytes(vector)[None, :], [language], means)[0]
        # The closer of the theme's centre and its centre in the complaint's language.
        similarity = np.array(
            [
                max(
                    float(from_bytes(centre) @ mine),
                    float(np.asarray(by_language[language], dtype=np.float32) @ mine)
                    if language in by_language
                    else -1.0,
                )
                for _, centre, by_language in themes
            ]
        )
        for best in np.argsort(-similarity):
            theme_id = themes[int(best)][0]
            if similarity[best] < ASSIGN_SIMILARITY:
                break
            if (theme_id, pk) not in excluded:
                members.append(
                    ThemeMember(
                        theme_id=theme_id,
                        complaint_id=pk,
                        similarity=round(float(similarity[best]), 4),
                        neighbours=_neighbours_in(theme_id, from_bytes(vector)),
                    )
                )
                break
    ThemeMember.objects.bulk_create(members, ignore_conflicts=True)
    return len(members)


def _neighbours_in(theme_id: int, vector: NDArray[np.float32]) -> list[int]:
    """The theme's complaints closest to ``vector`` (of its newest ``NEIGHBOUR_POOL``)."""
    import numpy as np

    from improvement.embedding import from_bytes

    rows = list(
        ThemeMember.objects.filter(theme_id=theme_id, complaint__vector__vector__isnull=False)
        .order_by("-complaint__received_at")
        .values_list("complaint_id", "complaint__vector__vector")[:NEIGHBOUR_POOL]
    )
    if not rows:
        return []
    similarity = np.stack([from_bytes(theirs) for _, theirs in rows]) @ vector
    return [rows[int(index)][0] for index in np.argsort(-similarity)[:NEIGHBOURS]]


@dataclass(frozen=True)
class Similar:
    theme: Theme
    this_year: int  # other complaints of the theme received this year
    nearest: list[Complaint]  # of those, the closest by meaning the user may open


def similar_for(
    complaint: Complaint, visible: QuerySet[Complaint], shown: int = 5
) -> Similar | None:
    """The open theme ``complaint`` is in, how many complaints of this year share it, and the
    ``shown`` of them closest to it in meaning among ``visible`` (the user's complaints)."""
    membership = ThemeMember.objects.filter(complaint=complaint).select_related("theme").first()
    if membership is None:
        return None
    theme = _live(membership.theme)
    year = timezone.localdate().year
    others = (
        complaints_in(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        .filter(theme_membership__theme=theme)
        .exclude(pk=complaint.pk)
    )
    return Similar(theme, others.count(), nearest_of(membership, others & visible, shown))


def nearest_of(
    membership: ThemeMember, candidates: QuerySet[Complaint], limit: int
) -> list[Complaint]:
    """``candidates`` in the order of the member's stored neighbours (nearest first); those
    the last run did not rank follow, the most similar to the theme first."""
    ranked = {pk: rank for rank, pk in enumerate(membership.neighbours)}
    rows = list(
        candidates.filter(pk__in=membership.neighbours).order_by("pk")[: len(ranked)]
        if ranked
        else []
    )
    rows.sort(key=lambda c: ranked[c.pk])
    if len(rows) < limit:
        rows += list(
            candidates.exclude(pk__in=[c.pk for c in rows]).order_by(
                "-theme_membership__similarity", "pk"
            )[: limit - len(rows)]
        )
    return rows[:limit]


def themes_for_period(start: datetime.date, end: datetime.date) -> list[tuple[Theme, int]]:
    """The themes with complaints received in the period, largest first, with their size."""
    first, after = day_bounds(start, end)
    in_period = Q(
        members__complaint__received_at__gte=first,
        members__complaint__received_at__lt=after,
        members__complaint__anonymised_at__isnull=True,
    )
    themes = (
        Theme.objects.filter(merged_into__isnull=True)
        .annotate(size=Count("members", filter=in_period))
        .filter(size__gt=0)
        .order_by("-size", "pk")
    )
    return [(theme, theme.size) for theme in themes]


def monthly_sizes(
    theme: Theme, start: datetime.date, end: datetime.date
) -> list[tuple[datetime.date, int]]:
    """The theme's complaints per month of the period (months without any included)."""
    counts = dict(
        complaints_in(start, end)
        .filter(theme_membership__theme=theme)
        .annotate(month=TruncMonth("received_at"))
        .values_list("month")
        .annotate(count=Count("pk"))
        .values_list("month", "count")
    )
    by_month = {
        (month.date() if isinstance(month, datetime.datetime) else month).replace(day=1): count
        for month, count in counts.items()
    }
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append((month, by_month.get(month, 0)))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def theme_rename(*, theme: Theme, name: str, by: User) -> Theme:
    with transaction.atomic():
        theme.name = name.strip()
        theme.save(update_fields=["name"])
        audit(user=by, action=AuditAction.CHANGE, complaint=None, detail=f"theme {theme.pk}: name")
    return theme


def theme_merge(*, source: Theme, target: Theme, by: User) -> Theme:
    """Moves ``source``'s complaints and actions into ``target``; ``source`` points at it
    from then on, so a later run that finds the same cluster keeps ``target``'s id."""
    if source.pk == target.pk:
        raise ThemeError(_("A theme cannot be merged with itself."))
    if target.merged_into_id is not None or source.merged_into_id is not None:
        raise ThemeError(_("This theme has already been merged into another one."))
    with transaction.atomic():
        source.members.update(theme=target, pinned=True)
        target.actions.add(*source.actions.all())
        source.merged_into = target
        source.save(update_fields=["merged_into"])
        if not target.name and source.name:
            target.name = source.name
            target.save(update_fields=["name"])
        audit(
            user=by,
            action=AuditAction.CHANGE,
            complaint=None,
            detail=f"theme {source.pk} merged into theme {target.pk}",
        )
    return target


def theme_split(*, theme: Theme, complaint_ids: list[int], name: str, by: User) -> Theme:
    """A new theme for some of ``theme``'s complaints, chosen by the complaints manager."""
    moving = theme.members.filter(complaint_id__in=complaint_ids)
    if not moving.exists():
        raise ThemeError(_("Choose the complaints that form the new theme."))
    if moving.count() == theme.members.count():
        raise ThemeError(_("Leave at least one complaint in the theme."))
    with transaction.atomic():
        new = Theme.objects.create(name=name.strip()[:200], keywords=theme.keywords)
        moving.update(theme=new, pinned=True)
        audit(
            user=by,
            action=AuditAction.CHANGE,
            complaint=None,
            detail=f"theme {theme.pk} split: new theme {new.pk}",
        )
    return new


def theme_add(*, theme: Theme, complaint: Complaint, by: User) -> Theme:
    """Puts ``complaint`` into ``theme`` (out of any other) and pins it there: ``themes_add``
    for one."""
    themes_add(theme=theme, complaints=[complaint], by=by)
    return theme


def themes_add(*, theme: Theme, complaints: Sequence[Complaint], by: User) -> int:
    """Puts each complaint into ``theme`` (out of any other) and pins it there, in one
    transaction with one audit row each; how many. The statements are the same for one
    complaint as for 500."""
    if theme.merged_into_id is not None:
        raise ThemeError(_("This theme has already been merged into another one."))
    with transaction.atomic():
        ThemeExclusion.objects.filter(theme=theme, complaint__in=complaints).delete()
        ThemeMember.objects.bulk_create(
            [
                ThemeMember(complaint=complaint, theme=theme, pinned=True, similarity=0.0)
                for complaint in complaints
            ],
            update_conflicts=True,  # a complaint in another theme moves: its row is updated
            unique_fields=["complaint"],
            update_fields=["theme", "pinned", "similarity"],
        )
        audit_many(
            user=by,
            action=AuditAction.CHANGE,
            entries=[(complaint, f"theme {theme.pk}: complaint added") for complaint in complaints],
        )
    return len(complaints)


def theme_remove(*, theme: Theme, complaint_ids: list[int], by: User) -> Theme:
    """Takes the chosen complaints out of ``theme``; no later run puts them back into it."""
    leaving = list(theme.members.filter(complaint_id__in=complaint_ids).select_related("complaint"))
    if not leaving:
        raise ThemeError(_("Choose the complaints to take out of the theme."))
    with transaction.atomic():
        for member in leaving:
            ThemeExclusion.objects.get_or_create(theme=theme, complaint=member.complaint)
            audit(
                user=by,
                action=AuditAction.CHANGE,
                complaint=member.complaint,
                detail=f"theme {theme.pk}: complaint taken out",
            )
        ThemeMember.objects.filter(pk__in=[member.pk for member in leaving]).delete()
    return theme
