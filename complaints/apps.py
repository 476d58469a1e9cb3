from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from complaints.outbox_hooks import HOOKS
        from messaging.outbox import outbox_hooks_register

        outbox_hooks_register(HOOKS)
