from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Back office")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from staff.middleware import start_idle_clock

        # Every way of logging in (password, single sign-on) starts the idle clock.
        user_logged_in.connect(start_idle_clock, dispatch_uid="staff-idle-clock")
