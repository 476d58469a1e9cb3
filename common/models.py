"""The counters of the rate limits (``common.ratelimit``), shared by every face."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateWindow(models.Model):
    """The hits of one rate limit for one client address or identity, in a fixed window that
    starts with the first hit. A row, not a cache entry, so that all the limits of a request
    are counted in one statement (``common.ratelimit.take``) by every web process together."""

    key = models.CharField(_("key"), max_length=80, primary_key=True)
    hits = models.PositiveIntegerField(_("hits"))
    ends = models.FloatField(_("window ends"), db_index=True)

    class Meta:
        verbose_name = _("rate-limit window")
        verbose_name_plural = _("rate-limit windows")
        db_table = "portal_ratewindow"  # moved from the public side; the table kept its name

    def __str__(self) -> str:
        return self.key
