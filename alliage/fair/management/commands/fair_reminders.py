"""Run hourly: each participant's agenda by email the day before the meetings."""

from django.core.management.base import BaseCommand

from alliage.fair.reminders import agenda_reminders


class Command(BaseCommand):
    help = "Mail each participant their B2B agenda the day before (idempotent)."

    def handle(self, *args, **options):
        self.stdout.write(f"agendas queued: {agenda_reminders()}")
