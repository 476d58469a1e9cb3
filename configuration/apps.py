from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfigurationConfig(AppConfig):
    name = "configuration"
    verbose_name = _("Configuration")

    def ready(self) -> None:
        from django.db.models import fields

        # Django 6.1's empty choice of a select ("- Select an option -") is new and its
        # catalogues do not translate it yet: ours do.
        fields.BLANK_CHOICE_LABEL = _("- Select an option -")
