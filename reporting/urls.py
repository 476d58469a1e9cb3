from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.evaluation, name="evaluation"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("complaints.<str:kind>", views.complaints_export, name="complaints_export"),
    path("tables/<slug:name>.<str:kind>", views.table_export, name="table_export"),
]
