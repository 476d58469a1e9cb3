"""Exports: every table of the evaluation as CSV or XLSX, and the pseudonymised list of the
period's complaints (no names, no texts), streamed so a year of a million rows never sits in
memory."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Complaint

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
LIST_COLUMNS = (
    "reference",
    "received_at",
    "acknowledgement_due",
    "acknowledged_at",
    "answer_due",
    "answered_at",
    "closed_at",
    "channel",
    "category__code",
    "unit__code",
    "status",
    "decisions__kind",
    "decisions__grounds",
    "final_answer__outcome",
)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: object) -> object:
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return timezone.localtime(value).replace(tzinfo=None)  # type: ignore[arg-type]
    return "" if value is None else value


def respond(
    name: str, kind: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> HttpResponseBase:
    """``rows`` under ``header`` as a CSV download (streamed) or an XLSX one (built in a
    temporary file by openpyxl's write-only mode, then streamed)."""
    filename = f"{name}.{kind}"
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
    sheet = workbook.create_sheet(name[:31])
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
    """The period's complaints without names or texts, oldest first, read in chunks."""
    return (
        complaints.order_by("received_at", "pk")
        .values_list(*LIST_COLUMNS)
        .iterator(chunk_size=5000)
    )
