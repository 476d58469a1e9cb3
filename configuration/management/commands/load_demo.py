from typing import Any

from django.core.management.base import BaseCommand

from configuration.demo import load_demo_configuration
from configuration.models import Category, ClosingDay, CompetentBody, Organisation, TriageQuestion


class Command(BaseCommand):
    help = "Fills the configuration with POD Maatschappelijke Integratie's values (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        load_demo_configuration()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo configuration of {Organisation.current()}: "
                f"{Category.objects.count()} categories, "
                f"{TriageQuestion.objects.count()} triage questions, "
                f"{ClosingDay.objects.count()} closing days, "
                f"{CompetentBody.objects.count()} competent bodies and the deadlines."
            )
        )
