from django.urls import path, register_converter

from reporting import views


class FormatConverter:
    """The export formats: a URL with another ending does not exist."""

    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "format")

app_name = "reporting"

urlpatterns = [
    path("", views.evaluation, name="evaluation"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("complaints.<format:kind>", views.complaints_export, name="complaints_export"),
    path("tables/<slug:name>.<format:kind>", views.table_export, name="table_export"),
]
