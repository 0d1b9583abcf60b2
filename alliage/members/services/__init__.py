"""Member writes, one module per sub-domain: ``organisations`` (slug, profile, notes),
``people`` (joining and leaving a company, possible duplicates), ``applications`` (the public
form, staff decisions), ``memberships`` (fees, invoices, statuses) and ``renewals`` (the next
period, reminders, the daily job). Everything stays importable from here
(``from alliage.members.services import membership_apply``)."""

from alliage.members.services.applications import (
    membership_apply,
    membership_approve,
    membership_refuse,
)
from alliage.members.services.memberships import (
    _apply_org_status,
    _invoice_membership,
    _primary_contact,
    fee_for,
    membership_override,
    on_invoice_paid,
    refresh_organisation,
)
from alliage.members.services.organisations import (
    note_add,
    organisation_save,
    sites_save,
    unique_slug,
)
from alliage.members.services.people import (
    affiliation_join,
    applicant_resolve,
    applicants_to_review,
    colleague_remove,
    contact_for_account,
    contact_update,
    person_export,
)
from alliage.members.services.renewals import (
    GRACE_REMINDER_DAYS_AFTER,
    REMINDER_DAYS_BEFORE,
    RENEWAL_LEAD_DAYS,
    membership_renew_now,
    renewal_create,
    renewal_offer,
    renewals_run,
)

__all__ = [
    "GRACE_REMINDER_DAYS_AFTER", "REMINDER_DAYS_BEFORE", "RENEWAL_LEAD_DAYS",
    "_apply_org_status", "_invoice_membership", "_primary_contact",
    "affiliation_join", "applicant_resolve", "applicants_to_review", "colleague_remove",
    "contact_for_account", "fee_for", "membership_apply", "membership_approve",
    "membership_override", "membership_refuse", "membership_renew_now", "note_add",
    "on_invoice_paid", "organisation_save", "refresh_organisation", "renewal_create",
    "renewal_offer", "renewals_run", "unique_slug", "contact_update", "person_export",
    "sites_save",
]
