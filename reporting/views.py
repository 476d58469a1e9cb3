"""The evaluation for the complaints manager and management: the page, its exports and the
PDF report. Counts and pseudonymous references only: no names, no texts."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from access.members import REPORT_ROLES, staff_view
from complaints.models import Complaint
from configuration.models import Organisation
from improvement.plan import actions_for_period
from reporting.evaluation import evaluate, received_in, trend
from reporting.exports import file_name, list_header, list_rows, respond
from reporting.pdf import logo_url, render_pdf
from reporting.periods import FIRST_YEAR, BadPeriod, Period, period_from
from reporting.presentation import (
    SUMMARY_COLUMNS,
    as_of_label,
    drawn_column,
    period_label,
    summary,
    summary_rows,
    tables,
    trend_chart,
)


def evaluation_context(period: Period, today: datetime.date) -> dict[str, Any]:
    """Everything the page and the PDF show of ``period``, drawn on ``today``."""
    now, before = evaluate(period, today), evaluate(period.previous(), today)
    years = trend(period.end.year, today=today, known=[now, before])
    return {
        "period": period,
        "as_of": as_of_label(now),
        "period_label": period_label(period),
        "previous_label": period_label(period.previous()),
        "evaluation": now,
        "before": before,
        "tables": tables(now, before),
        "summary": summary(now),
        "summary_columns": SUMMARY_COLUMNS,
        "trend": years,
        "trend_chart": trend_chart(years),
        "deadlines": [
            ("acknowledgement", now.acknowledgement, before.acknowledgement),
            ("answer", now.answer, before.answer),
            ("admissible_answer", now.admissible_answer, before.admissible_answer),
        ],
        "plan": actions_for_period(period.start, period.end),
    }


def _bad_period(request: HttpRequest, error: BadPeriod) -> HttpResponse:
    return render(request, "reporting/evaluation.html", _form_context(request, error), status=400)


def _form_context(request: HttpRequest, error: BadPeriod | None = None) -> dict[str, Any]:
    this_year = timezone.localdate().year
    return {
        "error": str(error) if error else "",
        "years": range(this_year, max(FIRST_YEAR, this_year - 10) - 1, -1),
        "typed": {name: request.GET.get(name, "")[:20] for name in ("year", "start", "end")},
    }


@staff_view(*REPORT_ROLES)
def evaluation(request: HttpRequest) -> HttpResponse:
    try:
        period = period_from(request.GET)
    except BadPeriod as error:
        return _bad_period(request, error)
    context = _form_context(request)
    context.update(evaluation_context(period, timezone.localdate()))
    return render(request, "reporting/evaluation.html", context)


def with_period[**P](
    view: Callable[Concatenate[HttpRequest, Period, P], HttpResponseBase],
) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """Reads the period from the query; a bad one gets the page that explains it."""

    @wraps(view)
    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        try:
            period = period_from(request.GET)
        except BadPeriod as error:
            return _bad_period(request, error)
        return view(request, period, *args, **kwargs)

    return wrapped


@staff_view(*REPORT_ROLES)
@with_period
def table_export(request: HttpRequest, period: Period, name: str, kind: str) -> HttpResponseBase:
    today = timezone.localdate()
    now, before = evaluate(period, today), evaluate(period.previous(), today)
    if name == "summary":
        header = [str(column) for column in SUMMARY_COLUMNS] + [_("As of")]
        rows = [[*row, now.today.isoformat()] for row in summary_rows(now)]
        return respond(file_name(_("indicators"), period, kind), kind, header, rows)
    for table in tables(now, before):
        if table.slug == name:
            header = [str(table.caption), drawn_column(now), drawn_column(before)]
            rows = [[row.label, row.now, row.before] for row in table.rows]
            return respond(file_name(str(table.caption), period, kind), kind, header, rows)
    raise Http404


@staff_view(*REPORT_ROLES)
@with_period
def complaints_export(request: HttpRequest, period: Period, kind: str) -> HttpResponseBase:
    complaints = Complaint.objects.filter(received_in(period))
    name = file_name(_("complaints"), period, kind)
    return respond(name, kind, list_header(), list_rows(complaints))


def _pdf(period: Period, template: str, label: str) -> HttpResponseBase:
    organisation = Organisation.current()
    context = evaluation_context(period, timezone.localdate())
    context.update(
        organisation_name=organisation.translated("name"),
        logo=logo_url(organisation.logo_url),
        language=get_language(),
    )
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{file_name(label, period, "pdf")}"'
    return response


@staff_view(*REPORT_ROLES)
@with_period
def report_pdf(request: HttpRequest, period: Period) -> HttpResponseBase:
    return _pdf(period, "reporting/report.html", _("evaluation"))


@staff_view(*REPORT_ROLES)
@with_period
def summary_pdf(request: HttpRequest, period: Period) -> HttpResponseBase:
    return _pdf(period, "reporting/summary.html", _("indicators"))
