"""The showcase's personal data in the Law 25 registry: a buyer's requests for quotes (name,
email, phone, the need they described) and the answers a person sent for their company."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliage.core import privacy
from alliage.showcase.models import (
    FinderDocument,
    FinderState,
    FinderText,
    PointOfSale,
    Product,
    ProductPhoto,
    Quote,
    QuoteRequest,
    SupplierSearch,
)

iso = privacy.iso
# A request's buyer (name, email, phone) is anonymised this long after it was decided or,
# never decided, after it was made: long enough for a purchase and its warranty.
KEPT_DAYS = 3 * 365


def _requests_of(subject, *, proven=True):
    """The person's requests: made from their account, or from a visitor who confirmed
    their address (an unconfirmed one may carry anyone's email: erased, never exported)."""
    by_email = Q(buyer_email__in=list(subject.emails))
    if proven:
        by_email &= ~Q(status=QuoteRequest.Status.UNVERIFIED)
    return QuoteRequest.objects.filter(Q(buyer_user_id__in=subject.user_ids) | by_email)


def _export_requests(subject):
    return [{"title": r.title, "description": r.description, "quantity": r.quantity,
             "deadline": iso(r.deadline), "status": r.status, "name": r.buyer_name,
             "email": r.buyer_email, "phone": r.buyer_phone, "company": r.buyer_company,
             "created_at": iso(r.created_at), "sent_at": iso(r.sent_at),
             "suppliers": [q.organisation.legal_name for q in r.quotes.all()]}
            for r in _requests_of(subject).prefetch_related("quotes__organisation")]


def _blank_buyer(queryset, subject=None):
    count = 0
    for r in queryset.filter(anonymised_at__isnull=True):
        key = subject.key if subject else f"rfq-{r.pk}"
        r.buyer_name = "—"
        r.buyer_email = f"anonymise-{key}-rfq{r.pk}@invalid.example"
        r.buyer_phone = ""
        r.buyer_user = None
        if subject is not None:
            r.description = privacy.scrub(r.description, subject)
        if r.attachment:
            r.attachment.delete(save=False)
        r.anonymised_at = timezone.now()
        r.save()
        count += 1
    return count


def _anonymise_requests(subject, actor):
    _blank_buyer(_requests_of(subject, proven=False), subject)


def _retain_requests(now):
    cutoff = now - timedelta(days=KEPT_DAYS)
    old = QuoteRequest.objects.filter(Q(decided_at__lt=cutoff)
                                      | Q(decided_at__isnull=True, created_at__lt=cutoff))
    return _blank_buyer(old)


def _export_answers(subject):
    return [{"request": q.request.title, "company": q.organisation.legal_name,
             "price_cents": q.price_cents, "message": q.message,
             "answered_at": iso(q.answered_at)}
            for q in Quote.objects.filter(answered_by_id__in=subject.user_ids)
            .select_related("request", "organisation")]


def _anonymise_answers(subject, actor):
    for q in Quote.objects.filter(answered_by_id__in=subject.user_ids).exclude(message=""):
        q.message = privacy.scrub(q.message, subject)
        q.save(update_fields=["message"])


def register():
    privacy.register(
        "quote_requests", title=_("Requests for quotes"), models=[QuoteRequest],
        export=_export_requests, anonymise=_anonymise_requests, retention=_retain_requests,
        summary="quote_request_buyers_anonymised",
        rule=_("Your name, email and phone on a request for quotes are erased three years "
               "after the request was decided; the request stays, anonymised, in the "
               "association's figures."))
    privacy.register(
        "quotes", title=_("Quotes sent for your company"), models=[Quote],
        export=_export_answers, anonymise=_anonymise_answers,
        rule=_("A quote belongs to the company that sent it; your name is removed from its "
               "message when you are anonymised."))
    privacy.exempt(Product, "a company's products (names and descriptions of goods)")
    privacy.exempt(ProductPhoto, "photos of products, their metadata removed on upload")
    privacy.exempt(PointOfSale, "shops and counters: a business's name and address")
    privacy.exempt(SupplierSearch, "words searched, kept without who searched them")
    # The finder's stored index: a copy of what the public directory shows of listed
    # member companies, rebuilt from it (an erased company leaves it at the next search).
    privacy.exempt(FinderDocument, "the finder's index: a listed company's public name")
    privacy.exempt(FinderText, "the finder's index: a listed company's public texts")
    privacy.exempt(FinderState, "the finder's index: a fingerprint, no person")
