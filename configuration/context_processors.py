from django.conf import settings
from django.http import HttpRequest

from configuration.models import Organisation


def organisation(request: HttpRequest) -> dict[str, object]:
    return {"organisation": Organisation.current(), "demo_mode": settings.DEMO_MODE}
