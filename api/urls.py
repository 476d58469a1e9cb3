from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from api.main import api
from api.problems import problem


@csrf_exempt  # nothing to protect: it changes nothing, and a token API sends no cookie
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under ``/api/``: a problem too, not the site's HTML page."""
    return problem(
        404, "not-found", _("Not found"), _("There is nothing here, or it is not yours to see.")
    )


urlpatterns = [path("v1/", api.urls), re_path(r"^(?P<rest>.*)$", not_found)]
