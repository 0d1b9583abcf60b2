"""Daily job: close the group purchases whose deadline passed, renew the enrolments ending
within 30 days. Idempotent; prints a summary."""

from django.core.management.base import BaseCommand

from alliage.advantages import purchasing, services


class Command(BaseCommand):
    help = "Close due group purchases and renew enrolments ending soon (run daily)."

    def handle(self, *args, **options):
        closed = purchasing.close_due()
        renewed = services.renew_due()
        self.stdout.write(f"{len(closed)} group purchases closed, "
                          f"{len(renewed)} enrolments renewed.")
