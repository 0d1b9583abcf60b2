from django.core.management.base import BaseCommand

from alliage.mailing.services import tick


class Command(BaseCommand):
    help = "Start scheduled campaigns and resume campaigns a crashed worker left (every minute)."

    def handle(self, *args, **options):
        done = tick()
        self.stdout.write(f"started: {done['started']}, resumed: {done['resumed']}")
