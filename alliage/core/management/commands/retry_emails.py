"""Every few minutes: send again the transactional mail that failed or whose sender died.

Attempts are bounded (``alliage.core.mail.MAX_ATTEMPTS``) with a growing wait between them;
mail that used them all is listed for staff at /gestion/courriels/, where they may retry it.
"""

from django.core.management.base import BaseCommand

from alliage.core.mail import retry_due


class Command(BaseCommand):
    help = "Re-enqueue transactional mail whose next attempt is due; report what was given up."

    def handle(self, *args, **options):
        done = retry_due()
        self.stdout.write(f"re-enqueued: {done['enqueued']}, given up: {done['given_up']}, "
                          f"expired links erased: {done['secrets_erased']}")
