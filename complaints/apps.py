from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from complaints.outbox_hooks import HOOKS
        from messaging.outbox import outbox_hooks_register

        outbox_hooks_register(HOOKS)

        from django.db.backends.signals import connection_created

        from complaints.search import register_sqlite_functions

        # The search's SQL functions, which PostgreSQL has from migration 0017.
        connection_created.connect(register_sqlite_functions)
