"""The product's URLs plus two bare views that make the ceiling ``path.py`` compares with:
a page with no query and no template, and one INSERT of one row. Same server, same middleware,
same database as the public path. Bench-only: ``ceiling_settings`` selects this URL conf."""

from __future__ import annotations

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from querela.urls import urlpatterns as product_urlpatterns

TABLE = "bench_ceiling_row"
CREATE_TABLE = {
    "sqlite": f"CREATE TABLE IF NOT EXISTS {TABLE} (id INTEGER PRIMARY KEY, at TEXT)",
    "postgresql": f"CREATE TABLE IF NOT EXISTS {TABLE} (id BIGSERIAL PRIMARY KEY, at TEXT)",
}
PAGE = "<!DOCTYPE html><html lang=en><title>bare</title><p>A bare page.</p></html>"


def bare_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE)


@csrf_exempt
def bare_insert(request: HttpRequest) -> HttpResponse:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (at) VALUES (%s)",  # noqa: S608  # a constant table name
            [timezone.now().isoformat()],
        )
    return HttpResponse("inserted", status=201)


urlpatterns = [
    path("bench/ceiling/page/", bare_page),
    path("bench/ceiling/insert/", bare_insert),
    *product_urlpatterns,
]
