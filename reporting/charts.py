"""Charts drawn on the server as SVG: no JavaScript, the same drawing on the page and in the
PDF. Each chart is an image with a text name; the table beside it carries the numbers for
screen readers, so the drawing itself is hidden from them."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

INK = "#1a1a1a"
CURRENT = "#00477f"
PREVIOUS = "#8c9aa8"
ROW = 26
LABEL_WIDTH = 210
BAR_WIDTH = 300


def _svg(width: int, height: int, name: str, body: str) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}" '
        'role="img" aria-label="{}" class="chart" font-family="DejaVu Sans, Arial, sans-serif" '
        'font-size="12">{}</svg>',
        width,
        height,
        width,
        height,
        name,
        mark_safe(body),  # noqa: S308  # built below from escaped parts
    )


def _short(label: str, limit: int = 32) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(
    name: str, rows: Sequence[tuple[str, int, int | None]], legend: tuple[str, str]
) -> SafeString:
    """Horizontal bars, one row per ``(label, this period, previous period)``; the previous
    period is a thinner grey bar under each. ``legend`` names the two periods."""
    largest = max([1, *(max(now, before or 0) for _, now, before in rows)])
    width = LABEL_WIDTH + BAR_WIDTH + 60
    parts = [
        f'<rect x="{LABEL_WIDTH}" y="2" width="12" height="12" fill="{CURRENT}"/>'
        f'<text x="{LABEL_WIDTH + 16}" y="12" fill="{INK}">{escape(legend[0])}</text>'
        f'<rect x="{LABEL_WIDTH + 150}" y="6" width="12" height="5" fill="{PREVIOUS}"/>'
        f'<text x="{LABEL_WIDTH + 166}" y="12" fill="{INK}">{escape(legend[1])}</text>'
    ]
    for index, (label, now, before) in enumerate(rows):
        y = (index + 1) * ROW + 4
        length = round(BAR_WIDTH * now / largest)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 12}" text-anchor="end" fill="{INK}">'
            f"{escape(_short(label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="13" fill="{CURRENT}"/>'
            f'<text x="{LABEL_WIDTH + length + 4}" y="{y + 12}" fill="{INK}">{now}</text>'
        )
        if before is not None:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + 15}" '
                f'width="{round(BAR_WIDTH * before / largest)}" height="5" fill="{PREVIOUS}"/>'
            )
    return _svg(width, (len(rows) + 1) * ROW + 8, name, "".join(parts))


def line_chart(name: str, points: Sequence[tuple[str, int]]) -> SafeString:
    """A trend line over a few years, each point labelled with its value."""
    width, height, left, top, bottom = 520, 200, 40, 20, 30
    largest = max([1, *(value for _, value in points)])
    step = (width - 2 * left) / max(1, len(points) - 1)
    coordinates = [
        (left + index * step, top + (height - top - bottom) * (1 - value / largest))
        for index, (_, value) in enumerate(points)
    ]
    parts = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" '
        f'stroke="{INK}"/>',
        '<polyline fill="none" stroke="{}" stroke-width="3" points="{}"/>'.format(
            CURRENT, " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
        ),
    ]
    for (label, value), (x, y) in zip(points, coordinates, strict=True):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{CURRENT}"/>'
            f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" fill="{INK}">{value}</text>'
            f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle" fill="{INK}">'
            f"{escape(label)}</text>"
        )
    return _svg(width, height, name, "".join(parts))
