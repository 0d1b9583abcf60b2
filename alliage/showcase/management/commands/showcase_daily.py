"""Run daily: remind suppliers of requests for quotes due soon, close forgotten requests."""

from django.core.management.base import BaseCommand

from alliage.showcase.services import daily_run


class Command(BaseCommand):
    help = "Reminders to suppliers two days before a request's date; stale requests closed."

    def handle(self, *args, **options):
        s = daily_run()
        self.stdout.write(f"reminders: {s['reminders']}, requests closed: {s['closed']}")
