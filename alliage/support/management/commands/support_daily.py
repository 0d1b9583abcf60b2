"""Daily: remind staff (once a week) of funding programs to check — deadline near or passed,
not checked for six months — so the catalogue stays current. Idempotent."""

from django.core.management.base import BaseCommand

from alliage.support.services import send_review_reminders


class Command(BaseCommand):
    help = "Remind staff of funding programs to check (once a week, idempotent)."

    def handle(self, *args, **options):
        n = send_review_reminders()
        self.stdout.write(f"{n} program(s) to check")
