from django.contrib.auth import views as auth_views
from django.urls import path

from improvement import views as improvement
from staff.views import (
    absences,
    actions,
    case,
    demo,
    home,
    intake,
    login,
    mail,
    notifications,
    register,
    worklist,
)

app_name = "staff"

urlpatterns = [
    path("", home.home, name="home"),
    path("deadlines/", worklist.dashboard, name="dashboard"),
    path("login/", login.LoginView.as_view(), name="login"),
    path("login/second-factor/", login.second_factor_view, name="second_factor"),
    path("login/authenticator/", login.enrol, name="enrol"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("demo-mailbox/", demo.demo_mailbox, name="demo_mailbox"),
    path("complaints/", worklist.work_list, name="work_list"),
    path("complaints/columns/", worklist.work_list_columns, name="work_list_columns"),
    path("complaints/bulk/", worklist.work_list_bulk, name="work_list_bulk"),
    path("complaints/views/", worklist.saved_view_save, name="saved_view_save"),
    path("complaints/views/<int:pk>/delete/", worklist.saved_view_delete, name="saved_view_delete"),
    path("complaints/register/", register.register, name="register"),
    path("intake/", intake.intake, name="intake"),
    path("intake/<int:pk>/", intake.intake_mail, name="intake_mail"),
    path("intake/<int:pk>/original/", intake.intake_original, name="intake_original"),
    path(
        "intake/<int:pk>/files/<int:attachment_pk>/",
        intake.intake_attachment,
        name="intake_attachment",
    ),
    path("complaints/<int:pk>/", case.complaint_detail, name="complaint"),
    path(
        "complaints/<int:pk>/attachments/<int:attachment_pk>/",
        case.attachment_download,
        name="attachment",
    ),
    path("complaints/<int:pk>/letters/<int:message_pk>/", case.letter, name="letter"),
    path(
        "complaints/<int:pk>/letters/<int:message_pk>/posted/",
        actions.letter_posted,
        name="letter_posted",
    ),
    path("complaints/<int:pk>/audit/", case.audit_log, name="audit_log"),
    path("complaints/<int:pk>/similar/", improvement.complaint_similar, name="complaint_similar"),
    path("complaints/<int:pk>/admissibility/", actions.decide_admissibility, name="admissibility"),
    path("complaints/<int:pk>/assign/", actions.assign, name="assign"),
    path("complaints/<int:pk>/concerned/", actions.concerned_staff, name="concerned_staff"),
    path(
        "complaints/<int:pk>/information/", actions.request_information, name="request_information"
    ),
    path("complaints/<int:pk>/interim/", actions.send_interim, name="interim"),
    path("complaints/<int:pk>/answer/", actions.answer, name="answer"),
    path("complaints/<int:pk>/ombudsman/", actions.ombudsman_request, name="ombudsman_request"),
    path(
        "complaints/<int:pk>/ombudsman/<int:request_pk>/answered/",
        actions.ombudsman_request_answered,
        name="ombudsman_request_answered",
    ),
    path("complaints/<int:pk>/notes/", actions.add_note, name="add_note"),
    path("complaints/<int:pk>/revoke-links/", actions.revoke_links, name="revoke_links"),
    path("absences/", absences.absences, name="absences"),
    path("absences/<int:pk>/delete/", absences.absence_remove, name="absence_remove"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/open/", notifications.notification_open, name="notification_open"),
    path("plan/", improvement.plan, name="plan"),
    path("plan/new/", improvement.action_edit, name="action_new"),
    path("plan/<int:pk>/", improvement.action_detail, name="action"),
    path("plan/<int:pk>/edit/", improvement.action_edit, name="action_edit"),
    path("themes/", improvement.themes, name="themes"),
    path("themes/<int:pk>/", improvement.theme_detail, name="theme"),
    path("themes/<int:pk>/<str:change>/", improvement.theme_change, name="theme_change"),
    path("complaints/<int:pk>/mails/<int:mail_pk>/resend/", mail.mail_resend, name="mail_resend"),
]
