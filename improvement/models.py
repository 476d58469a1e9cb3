"""What the service changes because of complaints: the action plan (E13) and the recurring
themes the system finds among complaints (R12, "prevent similar complaints")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint
from configuration.models import Category, Unit


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


UNFINISHED = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class Theme(models.Model):
    """A group of similar complaints found by the themes run (``improvement.themes``). Its id
    stays the same from one run to the next, so the name and the links the complaints manager
    gives it survive. A merged theme keeps its row and points at the theme it went into."""

    name = models.CharField(_("name"), max_length=200, blank=True)
    keywords = models.JSONField(_("characteristic words"), default=list, blank=True)
    # The characteristic words per language of its complaints: {"nl": [...], "fr": [...]}.
    words = models.JSONField(default=dict, blank=True)
    # The centre of the theme's complaint vectors (``improvement.embedding``, float32 bytes):
    # new complaints are matched against it, and the next run finds the theme again by it.
    centre = models.BinaryField(null=True, blank=True)
    # The centre of its complaints of each language ({"nl": [512 floats]}), for new ones.
    language_centres = models.JSONField(default=dict, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name or ", ".join(self.keywords[:3]) or f"#{self.pk}"


class ThemeMember(models.Model):
    """A complaint in a theme; at most one theme per complaint. ``pinned`` marks a place the
    complaints manager chose (a merge, a split, a complaint added): the nightly run leaves it
    alone."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="members")
    complaint = models.OneToOneField(
        Complaint, on_delete=models.CASCADE, related_name="theme_membership"
    )
    similarity = models.FloatField(default=0.0)
    pinned = models.BooleanField(default=False)
    # The ids of the theme's complaints closest to this one by meaning, nearest first: the
    # complaint page lists them without loading NumPy (the web process must not).
    neighbours = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("complaint in a theme")
        verbose_name_plural = _("complaints in themes")

    def __str__(self) -> str:
        return f"{self.theme_id}: {self.complaint_id}"


class ThemeExclusion(models.Model):
    """A complaint the complaints manager took out of a theme: no run puts it back."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="exclusions")
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["theme", "complaint"], name="theme_exclusion_once")
        ]

    def __str__(self) -> str:
        return f"{self.theme_id}: not {self.complaint_id}"


class ComplaintVector(models.Model):
    """A complaint's sentence vector (``improvement.embedding``), computed by the worker when
    the complaint is filed (``improvement.vectors``). ``vector`` is empty for a text set aside
    (symbols only, nothing); ``neighbours`` are the ids of the complaints of its theme closest
    to it, nearest first, for the complaint page (which must not load NumPy to rank them)."""

    complaint = models.OneToOneField(
        Complaint, on_delete=models.CASCADE, primary_key=True, related_name="vector"
    )
    model = models.CharField(max_length=40)
    vector = models.BinaryField(null=True, blank=True)
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.model}"


class ThemeRun(models.Model):
    """One run of the themes computation, for the record and for the page ("last run")."""

    start = models.DateField()
    end = models.DateField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    complaints = models.PositiveIntegerField(default=0)
    themes = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0.0)
    # Each language's mean vector in this run ({"nl": [512 floats], ...}): the theme centres
    # are measured with it taken away, and so is a new complaint matched to them.
    means = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.start}..{self.end} at {self.started_at:%Y-%m-%d %H:%M}"


class ImprovementAction(models.Model):
    """One action of the plan (E13): what the service changes, who owns it, by when, how far
    it is and what it changed; linked to the complaints, categories and themes behind it."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner_unit = models.ForeignKey(
        Unit,
        verbose_name=_("owner (unit)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner (staff member)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    effect = models.TextField(_("effect observed"), blank=True)
    complaints = models.ManyToManyField(
        Complaint, through="ActionComplaint", blank=True, related_name="improvement_actions"
    )
    categories = models.ManyToManyField(Category, blank=True, related_name="+")
    themes = models.ManyToManyField(Theme, blank=True, related_name="actions")
    created_on = models.DateField(_("created on"))
    # The day it was done or dropped; an action still open on a period's first day is
    # carried over into that period's plan.
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_unit__isnull=True) | Q(owner_staff__isnull=True),
                name="improvement_action_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self) -> str:
        if self.owner_unit is not None:
            return str(self.owner_unit)
        if self.owner_staff is not None:
            return self.owner_staff.get_full_name() or self.owner_staff.get_username()
        return ""

    @property
    def unfinished(self) -> bool:
        return self.status in UNFINISHED


class ActionComplaint(models.Model):
    """A complaint behind an action. ``in_answer`` marks the complaint whose final answer named
    the action ("what we changed")."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="links")
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    in_answer = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "complaint"], name="action_complaint_once")
        ]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.complaint_id}"
