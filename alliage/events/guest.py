"""Visitors register without an account: a public event's non-member price, invoiced to
their company, managed afterwards through a signed link sent by email.

Nothing a visitor types attaches them to someone already known: the company is matched by
its NEQ or its exact name (else created as a non-member prospect of the CRM), and always
pays the non-member price, since a visitor proves no tie to it; the person is always a new
contact, marked as possibly the same as a known one with that email, for staff to decide
(as membership applications do). The link in the confirmation email is the visitor's proof:
with it they see their registration, its invoice, pay online, cancel, or ask for an account
(an invitation sent to that same address).
"""

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from alliage.core import audit
from alliage.core.mail import queue_email
from alliage.core.text import fold
from alliage.events import services
from alliage.events.models import Order, Registration
from alliage.members.models import Affiliation, Contact, MemberStatus, Organisation

SALT = "alliage.events.guest-order"


def admits_visitors(event):
    """Whether a visitor without an account may register (a public event with at least one
    ticket open to non-members)."""
    return not event.members_only and event.ticket_types.filter(members_only=False).exists()


def match_organisation(*, name, neq=""):
    """The known company a visitor names: by NEQ, else by an exact (case-, accent- and
    space-insensitive) legal or trade name matching one company only; else None."""
    if neq:
        found = Organisation.objects.filter(neq=neq).first()
        if found is not None:
            return found
    folded = fold(name)
    if len(folded) < 3:
        return None
    # The search text holds the folded names (accents, case and spaces aside): narrow with
    # it, then keep only companies whose legal or trade name is exactly the one typed.
    candidates = Organisation.objects.filter(search_text__contains=folded)[:50]
    exact = {o.pk: o for o in candidates if folded in (fold(o.legal_name),
                                                        fold(o.trade_name))}
    return next(iter(exact.values())) if len(exact) == 1 else None


def order_token(order):
    """The same link every time for one order (the mail and the page agree)."""
    return signing.Signer(salt=SALT).sign_object(order.pk)


def order_from_token(token):
    """The order of a signed link, or None (a bad or altered link)."""
    try:
        pk = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(pk, int):
        return None
    return Order.objects.select_related("event", "organisation", "buyer", "invoice") \
        .filter(pk=pk).first()


def order_url(order):
    return reverse("events:guest_order", args=[order_token(order)])


@transaction.atomic
def guest_order_create(*, event, ticket_type, person, company, answers=None, sessions=None):
    """Register a visitor. ``person``: first_name, last_name, email, phone, language;
    ``company``: name, neq, address, email (billing). Raises like ``order_create``."""
    from django.conf import settings

    if not admits_visitors(event) or ticket_type.members_only:
        raise PermissionDenied(_("This event is for members only."))
    known_org = match_organisation(name=company["name"], neq=company.get("neq", ""))
    organisation = known_org or _prospect(company)
    known = Contact.objects.with_email(person["email"]).first()
    contact = Contact.objects.create(
        first_name=person["first_name"], last_name=person["last_name"], email=person["email"],
        phone=person.get("phone", ""), language=person.get("language") or settings.LANGUAGE_CODE,
        possible_duplicate_of=known)
    if known_org is None:  # a company this visitor just created: they are its contact
        Affiliation.objects.create(contact=contact, organisation=organisation, is_primary=True,
                                   is_billing=True)
    order = services.order_create(
        event=event, ticket_type=ticket_type, buyer=contact, attendees=[contact],
        organisation=organisation, answers={contact.pk: answers or {}}, actor=None,
        sessions=sessions, public_price=True, notify_attendees=False,
        bill_to=(company["name"].strip(), company.get("address", ""),
                 company.get("email") or person["email"]),
        # A company already known is billed only once staff confirm it (its draft invoice
        # waits, unnumbered, invisible to the company): a stranger typing its name or its
        # public NEQ never puts an invoice on its account.
        guest=True, billing_review=known_org is not None)
    audit.record(actor=None, action="event.guest_order", obj=event,
                 changes={"order": order.pk, "organisation": organisation.pk,
                          "organisation_created": known_org is None,
                          "declared_neq": company.get("neq", "")})
    registration = order.registrations.get()
    queue_email(key=f"guest-order:{order.pk}", to=contact.email, template="guest_order",
                language=contact.language, organisation=organisation,
                context={"registration": registration, "event": event, "order": order,
                         "order_url": settings.SITE_URL + order_url(order)})
    return order


def _prospect(company, *, contact=None):
    """A non-member prospect for the company a visitor names. The NEQ they typed is kept in
    the audit entry, never on the company: NEQs are public, and a stranger's NEQ would
    block the real company's own application (the NEQ is unique)."""
    from alliage.members.services import unique_slug

    organisation = Organisation(legal_name=company["name"].strip(),
                                email=company.get("email", ""),
                                member_status=MemberStatus.NONE)
    organisation.slug = unique_slug(organisation.legal_name)
    organisation.full_clean(exclude=["slug"])
    organisation.save()
    if contact is not None:
        Affiliation.objects.create(contact=contact, organisation=organisation,
                                   is_primary=True, is_billing=True)
    return organisation


@transaction.atomic
def billing_decide(*, order, bill_company, actor):
    """Staff settle who pays a visitor's registration made in a known company's name:
    that company (the invoice is issued to it), or the visitor's own new prospect company
    (the order and its draft invoice move there, then it is issued)."""
    from alliage.billing import services as billing

    # Only the order's row is locked (its invoice may be null: no outer join under FOR UPDATE).
    order = Order.objects.select_for_update(of=("self",)).select_related(
        "invoice", "buyer").get(pk=order.pk)
    if not order.billing_review:
        raise ValidationError(_("This registration's billing is already settled."))
    invoice = order.invoice
    if not bill_company:
        name = invoice.bill_to_name if invoice is not None else order.buyer.full_name
        organisation = _prospect({"name": name, "email": invoice.bill_to_email
                                  if invoice is not None else ""}, contact=order.buyer)
        order.organisation = organisation
        if invoice is not None:
            invoice.organisation = organisation
            invoice.save(update_fields=["organisation"])
    order.billing_review = False
    order.save(update_fields=["organisation", "billing_review"])
    if invoice is not None and invoice.is_draft:
        billing.invoice_issue(invoice=invoice, actor=actor)
    audit.record(actor=actor, action="event.guest_billing", obj=order.event,
                 changes={"order": order.pk, "organisation": order.organisation_id,
                          "billed_to_named_company": bool(bill_company)})
    return order


def guest_cancel(*, order, registration_pk):
    """Cancel one registration of this order (the link holder's own)."""
    registration = Registration.objects.filter(order=order, pk=registration_pk) \
        .holding_a_seat().first()
    if registration is None:
        raise ValidationError(_("This registration is already cancelled."))
    return services.registration_cancel(registration=registration, actor=None)


def guest_account_invite(*, order):
    """Send an account invitation to the address the link was sent to (its proof)."""
    from alliage.accounts.services import invitation_create_self

    buyer = order.buyer
    # Never into a company: a visitor who created a prospect by typing a name must not
    # become its administrator (later visitors naming it would be theirs to see and cancel).
    # Staff link people to companies.
    return invitation_create_self(email=buyer.email, first_name=buyer.first_name,
                                  last_name=buyer.last_name, language=buyer.language)
