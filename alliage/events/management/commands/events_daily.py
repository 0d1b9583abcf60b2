"""Run hourly: expire waitlist offers, send reminders (2 days before) and follow-ups."""

from django.core.management.base import BaseCommand

from alliage.events.services import daily_run


class Command(BaseCommand):
    help = "Waitlist expiry, reminders and post-event follow-ups (idempotent)."

    def handle(self, *args, **options):
        s = daily_run()
        self.stdout.write(f"offers expired: {s['offers_expired']}, reminders: {s['reminders']}, "
                          f"follow-ups: {s['follow_ups']}")
