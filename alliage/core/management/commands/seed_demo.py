"""Build the demo region: identity, places, sectors, 320 organisations, dues, logins."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from alliage.accounts.seed import DEMO_PASSWORD, DEMO_USERS, seed_users
from alliage.core.seed import seed_association, seed_places
from alliage.members import seed as members_seed


class Command(BaseCommand):
    help = "Load the demo association (deterministic and idempotent)."

    def handle(self, *args, **options):
        # The demo publishes its logins' password: never on a production site.
        if not settings.DEBUG:
            raise CommandError("seed_demo runs only in development (DJANGO_DEBUG=1): it "
                               "creates logins whose password is public.")
        with transaction.atomic():
            seed_association()
            seed_places()
            members_seed.seed_sectors()
            regular, partner = members_seed.seed_membership_types()
            orgs = members_seed.seed_organisations()
        members_seed.seed_memberships(orgs, regular, partner)
        seed_users()
        from alliage.events.seed import seed_events

        events = seed_events()
        from alliage.symbiosis.seed import seed_symbiosis

        streams = seed_symbiosis()
        from alliage.mailing.seed import seed_mailing

        subscribers = seed_mailing()
        from alliage.members.models import Organisation

        members = Organisation.objects.members().count()
        self.stdout.write(self.style.SUCCESS(
            f"Demo region ready: {len(orgs)} organisations, {members} current members, "
            f"{events} events, {streams} symbiosis streams, {subscribers} newsletter "
            "subscribers."))
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}, unless the account "
                          "existed before: its password was kept):")
        for email, _first, _last, staff, _board, _org, admin in DEMO_USERS:
            role = "staff" if staff else ("member-company admin" if admin else "member contact")
            self.stdout.write(f"  {email:40} {role}")
