"""Creates the demo's staff accounts, one per role, and prints how to log in. Demo mode only:
the password is published, and demo mode asks no second factor."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from access.models import Role, StaffMember
from configuration.models import Unit

PASSWORD = "demo-2026"  # noqa: S105  # a demo, printed on the console on purpose

ACCOUNTS = [
    ("beheerder", "Kim", "Claes", Role.MANAGER, None),
    ("behandelaar", "Sam", "Peeters", Role.HANDLER, "front-office"),
    ("behandelaar2", "Lore", "Dubois", Role.HANDLER, "social-integration"),
    ("directie", "Nadia", "Janssens", Role.MANAGEMENT, None),
    ("admin", "Alex", "Maes", Role.ADMINISTRATOR, None),
]


class Command(BaseCommand):
    help = "Creates one demo account per staff role (password demo-2026)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(
                "demo_accounts runs only in demo mode (DJANGO_SETTINGS_MODULE="
                "querela.settings_demo): its accounts have a published password."
            )
        for username, first, last, role, unit_code in ACCOUNTS:
            user, _created = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@example.org"
            user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
            user.set_password(PASSWORD)
            user.save()
            StaffMember.objects.update_or_create(
                user=user,
                defaults={
                    "role": role,
                    "unit": Unit.objects.filter(code=unit_code).first() if unit_code else None,
                },
            )
        self.stdout.write(f"Demo accounts (password for all: {PASSWORD}):")
        for username, _first, _last, role, unit_code in ACCOUNTS:
            unit = f", unit {unit_code}" if unit_code else ""
            self.stdout.write(f"  {username:<13} {role.label}{unit}")
