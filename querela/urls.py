from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    # The admin logs in through the back office's login: one lock-out, one second factor.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="staff:login", query_string=True, permanent=False),
    ),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("", RedirectView.as_view(pattern_name="portal:home", permanent=False)),
]
urlpatterns += i18n_patterns(
    path("staff/figures/", include("reporting.urls")),
    path("staff/api-tokens/", include("api.pages")),
    path("staff/", include("staff.urls")),
    path("", include("portal.urls")),
    prefix_default_language=True,
)
if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
