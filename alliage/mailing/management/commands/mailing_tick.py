from django.core.management.base import BaseCommand

from alliage.mailing.services import tick


class Command(BaseCommand):
    help = ("Start scheduled campaigns; take back claims whose lease expired and restart the "
            "chains that died (every minute).")

    def handle(self, *args, **options):
        done = tick()
        self.stdout.write(f"started: {done['started']}, resumed: {done['resumed']}, "
                          f"recovered: {done['recovered']}")
