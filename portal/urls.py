from django.urls import path

from portal import follow, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("complaint/", views.triage, name="triage"),
    path("complaint/advice/", views.advice, name="advice"),
    path("complaint/form/", views.complaint_form, name="complaint_form"),
    path("complaint/filed/", views.complaint_filed, name="complaint_filed"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    # The complainant's own page. "lost/" comes before the token: it is not a token.
    path("follow/lost/", follow.lost_link, name="lost_link"),
    path("follow/lost/sent/", follow.lost_link_sent, name="lost_link_sent"),
    path("follow/<str:token>/", follow.follow, name="follow"),
    path("follow/<str:token>/reply/", follow.follow_reply, name="follow_reply"),
    path("follow/<str:token>/withdraw/", follow.follow_withdraw, name="follow_withdraw"),
    path(
        "follow/<str:token>/satisfaction/", follow.follow_satisfaction, name="follow_satisfaction"
    ),
    path("follow/<str:token>/export/", follow.follow_export, name="follow_export"),
    path(
        "follow/<str:token>/attachments/<int:attachment_id>/",
        follow.follow_attachment,
        name="follow_attachment",
    ),
]
