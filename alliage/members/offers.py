"""What the application page says of each membership type: its price and what it
includes (issue #14, item 12)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliage.core.i18n import pick
from alliage.core.money import format_money
from alliage.members.models import MembershipType


@dataclass
class Offer:
    type: MembershipType
    description: str = ""                         # what it includes, in the page's language
    prices: list = field(default_factory=list)   # one line per fee band, or the flat fee
    taxable: bool = True


def _band(band):
    low, high = band.min_employees, band.max_employees
    if high is None:
        words = ngettext("%(low)s employee or more", "%(low)s employees or more", low) % {
            "low": low}
    else:
        words = ngettext("%(low)s to %(high)s employee", "%(low)s to %(high)s employees",
                         high) % {"low": low, "high": high}
    return _("%(employees)s: %(amount)s") % {"employees": words,
                                              "amount": format_money(band.fee_cents)}


def membership_offers():
    """The membership types offered on the application form, each with its prices."""
    offers = []
    for kind in MembershipType.objects.filter(is_active=True, is_public=True).prefetch_related(
            "bands"):
        if kind.fee_rule == MembershipType.FeeRule.BANDS:
            prices = [_band(b) for b in kind.bands.all()]
        else:
            prices = [_("%(amount)s a year") % {"amount": format_money(kind.flat_fee_cents)}]
        offers.append(Offer(type=kind, prices=prices, taxable=kind.taxable,
                            description=pick(kind.description_fr, kind.description_en)))
    return offers
