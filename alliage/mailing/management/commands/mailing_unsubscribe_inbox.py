"""Process mail sent to the List-Unsubscribe mailto address.

    manage.py mailing_unsubscribe_inbox               # IMAP mailbox MAILING_UNSUBSCRIBE_IMAP
    manage.py mailing_unsubscribe_inbox --mbox FILE    # a mailbox file
    manage.py mailing_unsubscribe_inbox --stdin        # one message piped by the MTA
"""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alliage.mailing import inbox


class Command(BaseCommand):
    help = "Withdraw consent for unsubscribe requests received by email."

    def add_arguments(self, parser):
        parser.add_argument("--stdin", action="store_true")
        parser.add_argument("--mbox")
        parser.add_argument("--delete", action="store_true",
                            help="Delete processed IMAP messages instead of marking them seen.")

    def handle(self, *args, stdin=False, mbox=None, delete=False, **options):
        if stdin:
            done = [inbox.handle(sys.stdin.buffer.read())]
        elif mbox:
            done = inbox.from_mbox(mbox)
        elif settings.MAILING_UNSUBSCRIBE_IMAP:
            try:
                done = inbox.from_imap(settings.MAILING_UNSUBSCRIBE_IMAP, delete=delete)
            except (OSError, ValueError) as exc:
                raise CommandError(f"IMAP: {exc}") from exc
        else:
            raise CommandError("Give --stdin or --mbox, or set MAILING_UNSUBSCRIBE_IMAP.")
        withdrawn = [a for a in done if a]
        self.stdout.write(f"{len(withdrawn)} unsubscribed")
