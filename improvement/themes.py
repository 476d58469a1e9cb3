"""Recurring themes (R12): the run that groups a period's complaints into themes and keeps
each theme's id from one run to the next, the cheap matching of a new complaint to a theme,
and the complaints manager's changes (name, merge, split). Clustering itself is in
``improvement.clustering``; this module is its database side."""

from __future__ import annotations

import datetime
import math
import time
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from access.audit import audit
from access.models import AuditAction
from complaints.models import Complaint
from improvement.models import Theme, ThemeMember, ThemeRun

if TYPE_CHECKING:
    from improvement.clustering import Cluster

# A new cluster keeps the id of the theme that held this share of its complaints before...
OVERLAP_SHARE = 0.3
# ... or, failing that, of the theme whose profile is this close to its own.
PROFILE_MATCH = 0.5
# A new complaint joins the nearest theme when its text is at least this close to it.
ASSIGN_SIMILARITY = 0.3
NEW_COMPLAINT_DAYS = 7


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


def complaint_text(description: str, desired_outcome: str) -> str:
    return f"{description}\n{desired_outcome}".strip()


def themes_refresh(*, start: datetime.date, end: datetime.date) -> ThemeRun:
    """Groups the period's complaints into themes (in the worker: it takes seconds to a
    minute). A cluster keeps the id of the theme most of its complaints were in, so names and
    links survive; complaints the complaints manager placed (``pinned``) stay where they are."""
    # scikit-learn, SciPy and NumPy (60 MB) are loaded here and in ``new_complaints_assign``,
    # which run in the worker: a web process never loads them.
    from improvement.clustering import cluster_texts

    began = time.perf_counter()
    run = ThemeRun.objects.create(start=start, end=end, started_at=timezone.now())
    rows = list(
        complaints_in(start, end)
        .order_by("pk")
        .values_list("pk", "description", "desired_outcome", "language")
    )
    clusters = cluster_texts(
        [complaint_text(description, wanted) for _, description, wanted, _ in rows],
        [language for *_, language in rows],
    )
    pks = [row[0] for row in rows]
    with transaction.atomic():
        ThemeMember.objects.filter(complaint__anonymised_at__isnull=False).delete()
        window = ThemeMember.objects.filter(complaint_id__in=complaints_in(start, end))
        before = dict(window.values_list("complaint_id", "theme_id"))
        pinned = set(window.filter(pinned=True).values_list("complaint_id", flat=True))
        window.filter(pinned=False).delete()
        used: set[int] = set()
        members = []
        now = timezone.now()
        for cluster in clusters:
            ids = [pks[index] for index in cluster.members]
            theme = _matching_theme(cluster, ids, before, used)
            used.add(theme.pk)
            theme.keywords, theme.profile, theme.refreshed_at = (
                cluster.keywords,
                cluster.profile,
                now,
            )
            theme.save(update_fields=["keywords", "profile", "refreshed_at"])
            members += [
                ThemeMember(theme=theme, complaint_id=pk, similarity=similarity)
                for pk, similarity in zip(ids, cluster.similarities, strict=True)
                if pk not in pinned
            ]
        ThemeMember.objects.bulk_create(members, batch_size=2000)
        run.complaints, run.themes = len(rows), len(clusters)
        run.finished_at, run.seconds = timezone.now(), round(time.perf_counter() - began, 2)
        run.save()
    return run


def _matching_theme(
    cluster: Cluster, ids: list[int], before: dict[int, int], used: set[int]
) -> Theme:
    overlap = Counter(before[pk] for pk in ids if pk in before)
    for theme_id, count in overlap.most_common():
        if theme_id not in used and count >= OVERLAP_SHARE * len(ids):
            return _live(Theme.objects.get(pk=theme_id))
    candidates = Theme.objects.filter(merged_into__isnull=True).exclude(pk__in=used)
    best, best_similarity = None, PROFILE_MATCH
    for theme in candidates.exclude(profile={}).only("pk", "profile"):
        similarity = profiles_similarity(theme.profile, cluster.profile)
        if similarity >= best_similarity:
            best, best_similarity = theme, similarity
    if best is not None:
        return Theme.objects.get(pk=best.pk)
    return Theme.objects.create()


def _live(theme: Theme) -> Theme:
    """The theme a merged theme went into (following a chain of merges)."""
    seen = {theme.pk}
    while theme.merged_into_id is not None and theme.merged_into_id not in seen:
        seen.add(theme.merged_into_id)
        theme = Theme.objects.get(pk=theme.merged_into_id)
    return theme


def profiles_similarity(a: dict[str, list[float]], b: dict[str, list[float]]) -> float:
    dot = sum(weight * b[key][0] for key, (weight, _) in a.items() if key in b)
    norm_a = math.sqrt(sum(weight * weight for weight, _ in a.values()))
    norm_b = math.sqrt(sum(weight * weight for weight, _ in b.values()))
    return dot / (norm_a * norm_b) if norm_a and norm_b else 0.0


def new_complaints_assign() -> int:
    """Puts the week's new complaints that are in no theme yet into the nearest theme, when one
    is close enough: the handler sees the pattern the same day, not after the nightly run."""
    from improvement.clustering import profile_similarity  # the worker only, as above

    since = timezone.now() - datetime.timedelta(days=NEW_COMPLAINT_DAYS)
    waiting = Complaint.objects.filter(
        received_at__gte=since, anonymised_at__isnull=True, theme_membership__isnull=True
    ).values_list("pk", "description", "desired_outcome")
    themes = list(Theme.objects.filter(merged_into__isnull=True).exclude(profile={}))
    if not themes:
        return 0
    members = []
    for pk, description, wanted in waiting:
        text = complaint_text(description, wanted)
        scored = [(profile_similarity(theme.profile, text), theme) for theme in themes]
        similarity, theme = max(scored, key=lambda pair: pair[0])
        if similarity >= ASSIGN_SIMILARITY:
            members.append(ThemeMember(theme=theme, complaint_id=pk, similarity=similarity))
    ThemeMember.objects.bulk_create(members, ignore_conflicts=True)
    return len(members)


@dataclass(frozen=True)
class Similar:
    theme: Theme
    this_year: int  # other complaints of the theme received this year


def similar_for(complaint: Complaint) -> Similar | None:
    """The open theme ``complaint`` is in, and how many complaints of this year share it."""
    membership = ThemeMember.objects.filter(complaint=complaint).select_related("theme").first()
    if membership is None:
        return None
    theme = _live(membership.theme)
    year = timezone.localdate().year
    others = complaints_in(datetime.date(year, 1, 1), datetime.date(year, 12, 31)).filter(
        theme_membership__theme=theme
    )
    return Similar(theme, others.exclude(pk=complaint.pk).count())


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
