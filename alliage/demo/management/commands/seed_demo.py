"""Build the demo region: identity, places, sectors, 320 organisations, dues, logins, events,
symbiosis and newsletters (each app's part from its ``seed`` module, see ``demo.seeds``)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alliage.accounts.seed import DEMO_PASSWORD, DEMO_USERS
from alliage.demo.seeds import seed_all


class Command(BaseCommand):
    help = "Load the demo association (deterministic and idempotent)."

    def handle(self, *args, **options):
        # The demo publishes its logins' password: never on a production site.
        if not settings.DEBUG:
            raise CommandError("seed_demo runs only in development (DJANGO_DEBUG=1): it "
                               "creates logins whose password is public.")
        figures = seed_all()
        summary = ", ".join(f"{count} {label}" for count, label in figures)
        self.stdout.write(self.style.SUCCESS(f"Demo region ready: {summary}."))
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}, unless the account "
                          "existed before: its password was kept):")
        for email, _first, _last, staff, _board, _org, admin in DEMO_USERS:
            role = "staff" if staff else ("member-company admin" if admin else "member contact")
            self.stdout.write(f"  {email:40} {role}")
