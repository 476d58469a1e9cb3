from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """What every layer may use: accessible form pieces, the rate-limit windows, the virus
    scanner, the registry of periodic jobs. It imports no other app of the project."""

    name = "common"
    verbose_name = _("Shared")
