from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("complaint/", views.triage, name="triage"),
    path("complaint/advice/", views.advice, name="advice"),
    path("complaint/form/", views.complaint_form, name="complaint_form"),
    path("complaint/filed/", views.complaint_filed, name="complaint_filed"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
]
