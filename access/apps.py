from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    """Who works in the back office (staff members, roles), who may do what, and the record
    of it (the audit log): below the domain, so that every face and the domain use one copy."""

    name = "access"
    verbose_name = _("Staff and audit")
