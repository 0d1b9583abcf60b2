"""Daily: apply the retention periods of Québec Law 25 (see RETENTION_* settings)."""

from django.core.management.base import BaseCommand

from alliage.members.privacy import purge


class Command(BaseCommand):
    help = "Anonymise people gone longer than the retention period; drop old audit entries."

    def handle(self, *args, **options):
        summary = purge()
        self.stdout.write(f"people anonymised: {summary['anonymised']}, "
                          f"audit entries deleted: {summary['audit_entries_deleted']}, "
                          f"newsletter opens/clicks cleared: {summary['tracking_cleared']}")
