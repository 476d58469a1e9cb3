"""The back office's own settings: what a person's work list shows and the views they saved.
Staff members, roles and the audit log are ``access.models``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from configuration.models import Unit

# The work list's optional columns, in the order they are shown; the reference, the
# complainant, the category and the status are always there.
WORK_LIST_COLUMNS: dict[str, Promise] = {
    "received": _("Received"),
    "channel": _("Channel"),
    "language": _("Language"),
    "unit": _("Unit"),
    "handler": _("Handler"),
    "next_due": _("Next deadline"),
    "theme": _("Theme"),
}
DEFAULT_COLUMNS = ["handler", "next_due"]


def default_columns() -> list[str]:
    return list(DEFAULT_COLUMNS)


class WorkListSettings(models.Model):
    """What one person's work list shows."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="work_list_settings"
    )
    columns = models.JSONField(default=default_columns)

    def __str__(self) -> str:
        return f"{self.user_id}: {', '.join(self.columns)}"


class SavedView(models.Model):
    """A work list's filters and order kept under a name: the owner's own, or shared with
    everyone in a unit."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("shared with unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_views",
    )
    name = models.CharField(_("name"), max_length=80)
    # The work list's query string (without the page).
    query = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name
