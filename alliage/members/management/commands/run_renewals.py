"""Daily: create renewal invoices, send reminders, move membership statuses."""

from django.core.management.base import BaseCommand

from alliage.members.services import renewals_run


class Command(BaseCommand):
    help = "Create renewals and reminders, refresh membership statuses (idempotent)."

    def handle(self, *args, **options):
        summary = renewals_run()
        self.stdout.write(
            f"renewals created: {summary['renewals']}, reminders queued: {summary['reminders']}, "
            f"organisations refreshed: {summary['refreshed']}")
