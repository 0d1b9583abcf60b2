"""Engagement score per organisation (0–100) with the parts that explain it.

Each part is a small function ``fn(organisation, today) -> Part | None``; later apps
(events, training, symbiosis, fair) register theirs with ``part``. The renewal risk
combines the score with the state of the current renewal.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

_parts = []
_batches = []


@dataclass(frozen=True)
class Part:
    key: str
    points: int
    explanation: str


def part(fn):
    _parts.append(fn)
    return fn


def batch(fn):
    """Register ``fn(organisations, today)``, which counts for many organisations at once
    (one query) what a part would otherwise count one organisation at a time; it stores
    the counts on each organisation and the part reads them with ``counted``. Lists of
    members (the at-risk page and its exports) then cost a fixed number of queries."""
    _batches.append(fn)
    return fn


def counted(org, name, query):
    """The count a batch stored on ``org`` under ``name``, else ``query()``."""
    cache = getattr(org, "_engagement_counts", None)
    if cache is not None and name in cache:
        return cache[name]
    return query()


def prefetch(organisations, today=None):
    """Run every batch over ``organisations`` (a list)."""
    today = today or timezone.localdate()
    for org in organisations:
        org._engagement_counts = {}
    for fn in _batches:
        fn(organisations, today)
    return organisations


@part
def _tenure(org, today):
    paid = [m for m in org.memberships.all() if m.invoice_id and m.invoice.status == "paid"]
    years = len(paid)
    if not years:
        return None
    points = min(40, 10 * years)
    return Part("tenure", points, _("Paid membership years: %(n)s (+%(p)s)")
                % {"n": years, "p": points})


@part
def _on_time(org, today):
    renewals = [m for m in org.memberships.all() if m.is_renewal and m.invoice_id]
    on_time = [m for m in renewals if m.invoice.status == "paid"
               and any(p.received_on <= m.period_start for p in m.invoice.payments.all())]
    if not renewals:
        return None
    points = round(20 * len(on_time) / len(renewals))
    return Part("on_time", points, _("Renewals paid before the period began: %(k)s "
                                     "of %(n)s (+%(p)s)") % {"k": len(on_time), "n": len(renewals),
                                                  "p": points})


@part
def _profile(org, today):
    filled = sum(bool(x) for x in (org.description_fr or org.description_en, org.website,
                                   org.logo, len(org.tags.all())))
    points = 5 * filled
    return Part("profile", points, _("Directory profile %(k)s/4 complete: +%(p)s")
                % {"k": filled, "p": points}) if points else None


@part
def _people(org, today):
    n = sum(1 for a in org.affiliations.all() if a.ended_on is None)
    points = min(10, 3 * n)
    return Part("people", points, _("People known: %(n)s (+%(p)s)") % {"n": n, "p": points}) \
        if n else None


@part
def _grace(org, today):
    if org.member_status == "grace":
        return Part("grace", -25, _("Membership in its grace period: −25"))
    return None


def score(org, today=None):
    """(score 0–100, [Part]) for one organisation."""
    today = today or timezone.localdate()
    parts = [p for fn in _parts if (p := fn(org, today)) is not None]
    total = max(0, min(100, sum(p.points for p in parts)))
    return total, parts


def renewal_risk(org, today=None):
    """Reasons this member may not renew (empty when none)."""
    today = today or timezone.localdate()
    reasons = []
    if org.member_status not in ("active", "grace"):
        return reasons  # only members renew
    if org.member_status == "grace":
        reasons.append(_("in its grace period"))
    for m in org.memberships.all():
        if (m.is_renewal and m.invoice_id and m.invoice.status == "issued"
                and m.period_start - timedelta(days=30) <= today):
            reasons.append(_("renewal invoice %(number)s unpaid") % {"number": m.invoice.number})
    total, _parts_ = score(org, today)
    # A member in its first year is not judged on engagement before its first renewal.
    first = min((m.period_start for m in org.memberships.all()), default=None)
    newcomer = first is not None and first > today - timedelta(days=365) and not any(
        m.is_renewal for m in org.memberships.all())
    if total < 30 and not newcomer:
        reasons.append(_("low engagement (%(score)s/100)") % {"score": total})
    return reasons


def at_risk(today=None):
    """Current members at risk of not renewing, highest risk first, with their reasons."""
    from django.db.models import Prefetch

    from alliage.members.models import Membership, Organisation

    # The invoice comes with its membership (a join): prefetching it by id built one
    # "id = … OR …" per invoice, past SQLite's expression depth (1,000) at ~300 members.
    members = (Organisation.objects.members()
               .select_related("municipality", "park", "primary_sector")
               .prefetch_related(Prefetch("memberships", queryset=Membership.objects
                                          .select_related("invoice")),
                                 "memberships__invoice__payments", "affiliations", "tags"))
    rows = []
    members = prefetch(list(members), today)
    for org in members:
        reasons = renewal_risk(org, today)
        if reasons:
            rows.append((org, score(org, today)[0], reasons))
    rows.sort(key=lambda r: (-len(r[2]), r[1]))
    return rows
