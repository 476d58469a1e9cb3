from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from staff.views.login import admin_login


def favicon(request: HttpRequest) -> HttpResponseBase:
    """Browsers ask for ``/favicon.ico`` whatever the page says."""
    return redirect(static("portal/favicon.ico"), permanent=True)


# The site's own error pages, which never read the request's body (querela/errors.py).
handler400 = "querela.errors.bad_request"
handler403 = "querela.errors.permission_denied"
handler404 = "querela.errors.page_not_found"
handler500 = "querela.errors.server_error"

urlpatterns = [
    # The admin logs in through the back office's login: one lock-out, one second factor.
    path("admin/login/", admin_login),
    path("favicon.ico", favicon),
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
