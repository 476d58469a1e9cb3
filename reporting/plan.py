"""The action plan of a period, for the evaluation page and the report (E13)."""

from __future__ import annotations

from typing import Any

from reporting.periods import Period


def plan_for(period: Period) -> list[Any] | None:
    """The improvement actions of ``period`` and the unfinished ones carried over; None while
    the product has no action plan."""
    return None
