from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(pattern_name="portal:home", permanent=False)),
]
urlpatterns += i18n_patterns(
    path("staff/figures/", include("reporting.urls")),
    path("staff/", include("staff.urls")),
    path("", include("portal.urls")),
    prefix_default_language=True,
)
