from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "improvement"
    verbose_name = _("Improvement")

    def ready(self) -> None:
        from complaints.signals import complaint_filed
        from improvement.vectors import on_complaint_filed

        complaint_filed.connect(on_complaint_filed, dispatch_uid="improvement.vectors")
