"""The back office's pages of the action plan and the recurring themes. Thin: forms here,
rules in ``improvement.plan`` and ``improvement.themes``."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.members import staff_view, user_of
from improvement.forms import (
    ActionForm,
    PeriodForm,
    ThemeActionForm,
    ThemeMergeForm,
    ThemeNameForm,
)
from improvement.models import ImprovementAction, Theme, ThemeRun
from improvement.plan import (
    action_link_theme,
    action_save,
    actions_for_period,
)
from improvement.section import PLAN_EDITORS, PLAN_READERS, can_edit_plan
from improvement.tasks import refresh_themes
from improvement.themes import (
    ThemeError,
    complaints_in,
    monthly_sizes,
    theme_merge,
    theme_rename,
    theme_split,
    themes_for_period,
)


def period_of(request: HttpRequest) -> tuple[PeriodForm, datetime.date, datetime.date]:
    """The period asked for in the query string; this year when none or a wrong one."""
    form = PeriodForm(
        request.GET if "start" in request.GET else None, initial=PeriodForm.this_year()
    )
    period = PeriodForm.this_year()
    if form.is_bound and form.is_valid():
        period = {"start": form.cleaned_data["start"], "end": form.cleaned_data["end"]}
    return form, period["start"], period["end"]


@staff_view(*PLAN_READERS)
def plan(request: HttpRequest) -> HttpResponse:
    form, start, end = period_of(request)
    return render(
        request,
        "improvement/plan.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "entries": actions_for_period(start, end),
            "can_edit": can_edit_plan(request),
        },
    )


@staff_view(*PLAN_READERS)
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(ImprovementAction, pk=pk)
    return render(
        request,
        "improvement/action_detail.html",
        {
            "action": action,
            "complaint_links": list(
                action.links.select_related("complaint").order_by("complaint__reference")
            ),
            "can_edit": can_edit_plan(request),
        },
    )


@staff_view(*PLAN_EDITORS)
def action_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    action = get_object_or_404(ImprovementAction, pk=pk) if pk is not None else None
    initial = ActionForm.initial_for(action) if action else {}
    form = ActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        action = action_save(action=action, data=form.cleaned_data, by=user_of(request))
        messages.success(request, _("The action has been saved."))
        return redirect("staff:action", action.pk)
    title = _("Change the action") if action else _("New improvement action")
    return render(
        request, "improvement/action_form.html", {"form": form, "action": action, "title": title}
    )


@staff_view(*PLAN_EDITORS)
def themes(request: HttpRequest) -> HttpResponse:
    form, start, end = period_of(request)
    if request.method == "POST":
        form = PeriodForm(request.POST)
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            refresh_themes.enqueue(start.isoformat(), end.isoformat())
            messages.success(
                request, _("The themes are being computed; this page shows them when ready.")
            )
            return redirect(f"{request.path}?start={start}&end={end}")
    return render(
        request,
        "improvement/themes.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "themes": themes_for_period(start, end),
            "complaints": complaints_in(start, end).count(),
            "last_run": ThemeRun.objects.filter(finished_at__isnull=False).first(),
        },
    )


def _theme_page(request: HttpRequest, theme: Theme, **forms: object) -> HttpResponse:
    _form, start, end = period_of(request)
    months = monthly_sizes(theme, start, end)
    context: dict[str, object] = {
        "theme": theme,
        "start": start,
        "end": end,
        "months": months,
        "bars": bars(months),
        "members": complaints_in(start, end)
        .filter(theme_membership__theme=theme)
        .select_related("category")
        .order_by("received_at"),
        "actions": theme.actions.all(),
        "name_form": ThemeNameForm(initial={"name": theme.name}, prefix="name"),
        "merge_form": ThemeMergeForm(prefix="merge"),
        "action_form": ThemeActionForm(prefix="action"),
        **forms,
    }
    merge_form = context["merge_form"]
    assert isinstance(merge_form, ThemeMergeForm)  # noqa: S101  # set just above
    merge_form.fields["target"].queryset = Theme.objects.filter(  # type: ignore[attr-defined]  # a ModelChoiceField
        merged_into__isnull=True
    ).exclude(pk=theme.pk)
    return render(request, "improvement/theme_detail.html", context)


BAR_WIDTH, BAR_GAP, CHART_HEIGHT = 16, 4, 60


def bars(months: list[tuple[datetime.date, int]]) -> dict[str, object]:
    """An SVG bar per month (x, y, height), drawn on the server; the table beside it carries
    the same figures for screen readers."""
    highest = max((count for month, count in months), default=0) or 1
    drawn = []
    for position, (_month, count) in enumerate(months):
        height = round(CHART_HEIGHT * count / highest)
        drawn.append((position * (BAR_WIDTH + BAR_GAP), CHART_HEIGHT - height, height))
    return {
        "width": max(len(months) * (BAR_WIDTH + BAR_GAP), 1),
        "height": CHART_HEIGHT,
        "bar_width": BAR_WIDTH,
        "drawn": drawn,
    }


def _live_theme(pk: int) -> Theme:
    theme = get_object_or_404(Theme, pk=pk)
    if theme.merged_into_id is not None:
        raise Http404
    return theme


@staff_view(*PLAN_EDITORS)
def theme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_object_or_404(Theme, pk=pk)
    if theme.merged_into_id is not None:
        return redirect("staff:theme", theme.merged_into_id)
    return _theme_page(request, theme)


@require_POST
@staff_view(*PLAN_EDITORS)
def theme_change(request: HttpRequest, pk: int, change: str) -> HttpResponse:
    """Names, merges, splits a theme or links it to an action; a refused change shows the
    theme's page again with the reason, and keeps what was typed."""
    theme = _live_theme(pk)
    user = user_of(request)
    try:
        if change == "name":
            form = ThemeNameForm(request.POST, prefix="name")
            if not form.is_valid():
                return _theme_page(request, theme, name_form=form)
            theme_rename(theme=theme, name=form.cleaned_data["name"], by=user)
            done = _("The theme has been renamed.")
        elif change == "merge":
            merge = ThemeMergeForm(request.POST, prefix="merge")
            if not merge.is_valid():
                return _theme_page(request, theme, merge_form=merge)
            theme = theme_merge(source=theme, target=merge.cleaned_data["target"], by=user)
            done = _("The themes have been merged.")
        elif change == "split":
            ids = [int(v) for v in request.POST.getlist("complaints") if v.isdigit()]
            theme = theme_split(
                theme=theme, complaint_ids=ids, name=request.POST.get("split_name", ""), by=user
            )
            done = _("A new theme has been made of the chosen complaints.")
        elif change == "action":
            link = ThemeActionForm(request.POST, prefix="action")
            if not link.is_valid():
                return _theme_page(request, theme, action_form=link)
            action_link_theme(action=link.cleaned_data["action"], theme=theme, by=user)
            done = _("The theme has been linked to the action.")
        else:
            raise Http404
    except ThemeError as error:
        messages.error(request, str(error))
        return _theme_page(
            request,
            theme,
            split_name=request.POST.get("split_name", ""),
            split_chosen=request.POST.getlist("complaints"),
        )
    messages.success(request, done)
    return redirect("staff:theme", theme.pk)
