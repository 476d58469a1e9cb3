"""Exports: every table of the evaluation as CSV or XLSX, and the pseudonymised list of the
period's complaints (no names, no texts), streamed so a year of a million rows never sits in
memory."""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from complaints.models import Channel, Complaint, DecisionKind, Outcome, Status
from configuration.models import Category, Ground, Unit
from reporting.periods import Period

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# What followed is read from the complaint's own copies of it: one row per complaint, however
# many decisions it had.
LIST_COLUMNS = (
    "reference",
    "received_at",
    "acknowledgement_due",
    "acknowledged_at",
    "answer_due",
    "answered_at",
    "closed_at",
    "channel",
    "category_id",
    "unit_id",
    "status",
    "decision_kind",
    "refusal_grounds",
    "outcome",
)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: object) -> object:
    """A cell as a reader reads it: a time in ISO 8601 to the second in the service's time
    zone, a date in ISO 8601, text otherwise."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else value


def file_name(label: str, period: Period, kind: str) -> str:
    """``label`` (translated) and the period, as a file name: ``klachten-2025.csv``."""
    return f"{slugify(label)}-{period.slug}.{kind}"


def respond(
    filename: str, kind: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> HttpResponseBase:
    """``rows`` under ``header`` as a CSV download (streamed) or an XLSX one (built in a
    temporary file by openpyxl's write-only mode, then streamed)."""
    if kind == "csv":
        writer = csv.writer(_Echo())

        def lines() -> Iterator[str]:
            yield "\ufeff"  # so spreadsheet programs read UTF-8
            yield writer.writerow(header)
            for row in rows:
                yield writer.writerow([_cell(value) for value in row])

        response = StreamingHttpResponse(lines(), content_type=CONTENT_TYPES["csv"])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    from openpyxl import Workbook  # loaded by the first spreadsheet, as WeasyPrint (pdf.py)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(filename.rsplit(".", 1)[0][:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append([_cell(value) for value in row])
    spooled = tempfile.TemporaryFile()  # noqa: SIM115  # FileResponse closes it
    workbook.save(spooled)
    spooled.seek(0)
    return FileResponse(
        spooled, as_attachment=True, filename=filename, content_type=CONTENT_TYPES["xlsx"]
    )


def list_header() -> list[str]:
    return [
        _("reference"),
        _("received"),
        _("acknowledgement due"),
        _("acknowledged"),
        _("answer due"),
        _("answered"),
        _("closed"),
        _("channel"),
        _("category"),
        _("unit"),
        _("status"),
        _("decision"),
        _("grounds"),
        _("outcome"),
    ]


def list_rows(complaints: QuerySet[Complaint]) -> Iterator[Sequence[object]]:
    """The period's complaints without names or texts, oldest first, read in chunks, each code
    as its label in the active language."""
    labels: dict[str, dict[Any, Any]] = {
        "channel": dict(Channel.choices),
        "category_id": {c.pk: c.translated("label") for c in Category.objects.all()},
        "unit_id": {u.pk: u.translated("name") for u in Unit.objects.all()},
        "status": dict(Status.choices),
        "decision_kind": dict(DecisionKind.choices),
        "outcome": dict(Outcome.choices),
    }
    grounds = dict(Ground.choices)
    at = {column: number for number, column in enumerate(LIST_COLUMNS)}
    for row in (
        complaints.order_by("received_at", "pk")
        .values_list(*LIST_COLUMNS)
        .iterator(chunk_size=5000)
    ):
        cells = list(row)
        for column, names in labels.items():
            value = cells[at[column]]
            cells[at[column]] = str(names.get(value, value or ""))
        refused = cells[at["refusal_grounds"]] or []
        cells[at["refusal_grounds"]] = "; ".join(str(grounds.get(code, code)) for code in refused)
        yield cells
