from django.core.management.base import BaseCommand

from alliage.symbiosis.daily import daily_run


class Command(BaseCommand):
    help = "Expire symbiosis listings past their date and remind owners 30 days before."

    def handle(self, *args, **options):
        done = daily_run()
        self.stdout.write(f"expired: {done['expired']}, reminded: {done['reminded']}")
