"""CASL consent: who may receive a commercial electronic message, at a given moment.

Valid consent at time `at`, after the address's latest withdrawal:
- express consent (confirmed subscription, documented import) — until withdrawn;
- implied consent recorded in the ledger with its expiry (business relationship: two years
  after it ends; inquiry: six months);
- membership in the association: implied while the person's organisation is a member and
  for two years after its membership ends (computed from the membership records).
"""

from datetime import timedelta

from django.utils import timezone

from alliage.mailing.models import ConsentEvent

TWO_YEARS = timedelta(days=730)
SIX_MONTHS = timedelta(days=183)


def valid_addresses(emails, at=None):
    """The subset of `emails` (lower case) with valid consent at `at`."""
    at = at or timezone.now()
    emails = {e.lower() for e in emails}
    withdrawn, express, implied = {}, {}, {}
    for email, kind, occurred, expires in ConsentEvent.objects.filter(
            email__in=emails, occurred_at__lte=at).values_list(
            "email", "kind", "occurred_at", "expires_at"):
        if kind == ConsentEvent.Kind.WITHDRAWAL:
            withdrawn[email] = max(occurred, withdrawn.get(email, occurred))
        elif kind == ConsentEvent.Kind.EXPRESS:
            express.setdefault(email, []).append(occurred)
        elif expires is None or expires > at:
            implied.setdefault(email, []).append(occurred)
    ok = set()
    for email in emails:
        since = withdrawn.get(email)
        given = express.get(email, []) + implied.get(email, [])
        if any(since is None or when > since for when in given):
            ok.add(email)
    rest = emails - ok
    if rest:
        ok |= _members(rest, at, withdrawn)
    return ok


def _members(emails, at, withdrawn):
    """Addresses whose organisation is, or was within two years, a member."""
    from alliage.members.models import Affiliation, Membership, MemberStatus

    found = set()
    rows = Affiliation.objects.filter(contact__email__in=emails).values_list(
        "contact__email", "organisation_id", "organisation__member_status")
    by_org = {}
    for email, org, status in rows:
        by_org.setdefault(org, set()).add(email.lower())
        if status in (MemberStatus.ACTIVE, MemberStatus.GRACE) and \
                withdrawn.get(email.lower()) is None:
            found.add(email.lower())
    if not by_org:
        return found
    active = {Membership.Status.ACTIVE, Membership.Status.GRACE}
    for org, status, start, end in Membership.objects.filter(
            organisation_id__in=by_org).values_list("organisation_id", "status",
                                                    "period_start", "period_end"):
        if start is None or start > at.date():
            continue
        current = status in active
        ended_recently = end is not None and at.date() <= end + TWO_YEARS and status in (
            active | {Membership.Status.LAPSED, Membership.Status.ENDED})
        if current or ended_recently:
            for email in by_org[org]:
                since = withdrawn.get(email)
                # A withdrawal ends implied consent too.
                if since is None:
                    found.add(email)
    return found


def has_consent(email, at=None):
    return email.lower() in valid_addresses([email], at)


def record(*, email, kind, basis, mailing_list=None, wording="", source="", ip=None,
           actor=None, campaign=None, expires_at=None, at=None):
    return ConsentEvent.objects.create(
        email=email, kind=kind, basis=basis, mailing_list=mailing_list, wording=wording,
        source=source, ip=ip, actor=actor if getattr(actor, "is_authenticated", False)
        else None, campaign=campaign, expires_at=expires_at, occurred_at=at or timezone.now())


def record_inquiry(email, at=None):
    at = at or timezone.now()
    return record(email=email, kind=ConsentEvent.Kind.IMPLIED,
                  basis=ConsentEvent.Basis.INQUIRY, at=at, expires_at=at + SIX_MONTHS)


def record_business(email, ended_at, at=None):
    return record(email=email, kind=ConsentEvent.Kind.IMPLIED,
                  basis=ConsentEvent.Basis.BUSINESS, at=at,
                  expires_at=ended_at + TWO_YEARS)
