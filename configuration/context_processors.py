from django.http import HttpRequest

from configuration.models import Organisation


def organisation(request: HttpRequest) -> dict[str, object]:
    return {"organisation": Organisation.current()}
