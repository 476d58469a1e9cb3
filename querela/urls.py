from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from messaging.views import demo_mailbox

urlpatterns = [
    path("admin/", admin.site.urls),
    path("demo/mailbox/", demo_mailbox, name="demo_mailbox"),
    path("", RedirectView.as_view(pattern_name="portal:home", permanent=False)),
]
urlpatterns += i18n_patterns(
    path("", include("portal.urls")),
    prefix_default_language=True,
)
