"""The composer's preview: the message as one recipient will read it.

Staff choose a recipient by email (a subscriber, members' contacts included); without one,
or for an address we do not know, sample values stand in and the preview says so. The
personalised words are marked (`<mark class="token">`) so staff see what changes from one
recipient to the next."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.translation import gettext as _

from alliage.mailing.models import Subscriber, single_line
from alliage.mailing.render import ORG_TOKENS, TOKENS, markdown_html
from alliage.mailing.richtext import clean

SUGGESTIONS = 30


@dataclass(frozen=True)
class Recipient:
    first_name: str
    organisation: str
    email: str = ""
    sample: bool = True


def sample():
    return Recipient(first_name=_("Marie"), organisation=_("Example Company Inc."))


def recipient(email):
    """The subscriber with this address (case folded), else the sample recipient."""
    email = (email or "").strip().lower()[:254]
    found = Subscriber.objects.filter(email=email).first() if email else None
    if found is None:
        return sample()
    return Recipient(first_name=single_line(found.first_name),
                     organisation=single_line(found.organisation_name), email=found.email,
                     sample=False)


def suggestions(campaign=None):
    """Addresses offered in the recipient field: the campaign's audience, else recent
    subscribers."""
    from alliage.mailing import services

    people = services.audience(campaign) if campaign else Subscriber.objects.filter(
        suppressed="")
    return list(people.order_by("email").values_list("email", flat=True)[:SUGGESTIONS])


def _mark(value, fallback):
    if not value:
        return f'<mark class="token token-empty">{escape(fallback)}</mark>'
    return f'<mark class="token">{escape(value)}</mark>'


def personalised(text, person, *, html=True):
    """Tokens replaced by the person's values; in HTML marked, and an empty value shown as
    what the recipient will miss ('(no first name)')."""
    first = _mark(person.first_name, _("(no first name)")) if html else person.first_name
    org = _mark(person.organisation, _("(no company)")) if html else person.organisation
    for token in TOKENS:
        text = text.replace(token, first)
    for token in ORG_TOKENS:
        text = text.replace(token, org)
    return text


def body_html(body, person):
    """The message body as HTML for the page (sanitised, then personalised and marked)."""
    return personalised(markdown_html(clean(body) if body else "", inline=False), person)
