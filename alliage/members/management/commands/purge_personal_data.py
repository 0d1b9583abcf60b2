"""Daily: apply every retention rule of the Law 25 registry (see RETENTION_* settings)."""

from django.core.management.base import BaseCommand

from alliage.members.privacy import purge


class Command(BaseCommand):
    help = ("Apply every app's retention rule: anonymise people gone longer than the "
            "retention period, drop old audit entries, forget old opens and clicks…")

    def handle(self, *args, **options):
        summary = purge()
        self.stdout.write(", ".join(f"{key}: {count}" for key, count in summary.items()))
