"""Writes of the showcase: products and their photos, points of sale, requests for quotes
and the suppliers' answers. Keyword-only, atomic, audited."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliage.core import audit
from alliage.core.mail import queue_email
from alliage.core.models import Email
from alliage.core.text import fold, unique_slug
from alliage.core.uploads import strip_metadata
from alliage.members.models import Contact
from alliage.showcase.models import (
    Product,
    ProductPhoto,
    Quote,
    QuoteRequest,
    SupplierSearch,
)

MAX_PHOTOS = 6
VERIFY_SALT = "alliage.showcase.rfq-verify"
FOLLOW_SALT = "alliage.showcase.rfq-follow"
VERIFY_DAYS = 3


# --- Products ------------------------------------------------------------------------------

def _unique_slug(name, pk=None):
    return unique_slug(Product.objects.all(), name, default="produit", max_length=180,
                       exclude_pk=pk)


@transaction.atomic
def product_save(*, form, organisation, actor, request=None):
    """Save a product form for ``organisation`` (a new product or one of its own)."""
    product = form.save(commit=False)
    if product.pk and product.organisation_id != organisation.pk:
        raise PermissionDenied
    before = audit.snapshot(Product.objects.get(pk=product.pk)) if product.pk else {}
    product.organisation = organisation
    if not product.slug:
        product.slug = _unique_slug(f"{organisation.display_name} {product.name_fr}")
    product.save()
    form.save_m2m()
    audit.record(actor=actor, action="showcase.product_save", obj=product,
                 changes=audit.diff(before, audit.snapshot(product)), request=request)
    return product


@transaction.atomic
def product_delete(*, product, actor, request=None):
    """Remove a product and its photos (files too, once the transaction commits)."""
    files = [p.image.name for p in product.photos.all() if p.image]
    audit.record(actor=actor, action="showcase.product_delete", obj=product, request=request)
    product.delete()
    transaction.on_commit(lambda: _delete_files(files))


def _delete_files(names):
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


@transaction.atomic
def photo_add(*, product, upload, alt_text, actor, request=None):
    """Add a photo, its metadata removed (``core.uploads``: no GPS position, no camera
    owner). Refused past ``MAX_PHOTOS``."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if product.photos.count() >= MAX_PHOTOS:
        raise ValidationError(ngettext("A product has at most %(n)s photo.",
                                       "A product has at most %(n)s photos.",
                                       MAX_PHOTOS) % {"n": MAX_PHOTOS})
    clean = strip_metadata(upload.name, upload.read())
    ext = upload.name.rsplit(".", 1)[-1].lower()
    photo = ProductPhoto(product=product, alt_text=alt_text,
                         position=product.photos.count())
    photo.image.save(f"{product.organisation_id}/{product.pk}-{get_random_string(8)}.{ext}",
                     ContentFile(clean), save=False)
    photo.save()
    audit.record(actor=actor, action="showcase.photo_add", obj=product, request=request)
    return photo


@transaction.atomic
def photo_delete(*, photo, actor, request=None):
    name = photo.image.name
    audit.record(actor=actor, action="showcase.photo_delete", obj=photo.product,
                 changes={"photo": [name, ""]}, request=request)
    photo.delete()
    transaction.on_commit(lambda: _delete_files([name]))


@transaction.atomic
def point_of_sale_save(*, form, organisation, actor, request=None):
    """Save a point of sale of ``organisation`` (None: the association's own)."""
    pos = form.save(commit=False)
    if pos.pk and pos.organisation_id != (organisation.pk if organisation else None):
        raise PermissionDenied
    pos.organisation = organisation
    pos.save()
    form.save_m2m()
    audit.record(actor=actor, action="showcase.point_of_sale_save", obj=pos, request=request)
    return pos


# --- The supplier finder's log -------------------------------------------------------------

def search_record(*, query, results):
    """Remember a finder search and how many suppliers it found (what the region lacks)."""
    query = (query or "").strip()[:200]
    if not query:
        return None
    return SupplierSearch.objects.create(query=query, folded=fold(query)[:200],
                                         results=results)


# --- Requests for quotes -------------------------------------------------------------------

def follow_token(quote_request):
    return signing.Signer(salt=FOLLOW_SALT).sign_object(quote_request.pk)


def from_follow_token(token):
    """The request of a buyer's follow-up link, or None (bad or altered link)."""
    try:
        pk = signing.Signer(salt=FOLLOW_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    return QuoteRequest.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def verify_token(quote_request):
    return signing.TimestampSigner(salt=VERIFY_SALT).sign_object(quote_request.pk)


def from_verify_token(token):
    try:
        pk = signing.TimestampSigner(salt=VERIFY_SALT).unsign_object(
            token, max_age=VERIFY_DAYS * 86400)
    except (signing.BadSignature, ValueError):
        return None
    return QuoteRequest.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def follow_url(quote_request):
    """Where the buyer compares the quotes: their page if they have an account, else the
    signed link (their proof)."""
    if quote_request.buyer_user_id:
        return settings.SITE_URL + reverse("showcase:request", args=[quote_request.pk])
    return settings.SITE_URL + reverse("showcase:request_follow",
                                       args=[follow_token(quote_request)])


@transaction.atomic
def quote_request_create(*, data, suppliers, buyer_user=None, buyer_organisation=None,
                         attachment=None, language="fr-ca", request=None):
    """Record a buyer's request to ``suppliers`` (listed member companies).

    A buyer with an account sends it at once; a visitor first confirms their email (a
    signed link valid ``VERIFY_DAYS`` days), and nothing reaches suppliers before that.
    """
    suppliers = list(suppliers)
    if not suppliers:
        raise ValidationError(_("Choose at least one supplier."))
    if buyer_organisation is not None and any(s.pk == buyer_organisation.pk
                                              for s in suppliers):
        raise ValidationError(_("Your own company cannot quote on your request."))
    # Lower case, so the person's Law 25 export finds it whatever case they typed.
    data = {**data, "buyer_email": (data.get("buyer_email") or "").strip().lower()}
    rfq = QuoteRequest(
        buyer_user=buyer_user, buyer_organisation=buyer_organisation, language=language,
        status=QuoteRequest.Status.UNVERIFIED if buyer_user is None
        else QuoteRequest.Status.OPEN, **data)
    if attachment is not None:
        clean = strip_metadata(attachment.name, attachment.read())
        ext = attachment.name.rsplit(".", 1)[-1].lower()
        rfq.attachment.save(f"{get_random_string(16)}.{ext}", ContentFile(clean), save=False)
    rfq.save()
    Quote.objects.bulk_create([Quote(request=rfq, organisation=s) for s in suppliers])
    audit.record(actor=buyer_user, action="showcase.rfq_create", obj=rfq,
                 changes={"suppliers": ["", ", ".join(s.legal_name for s in suppliers)]},
                 request=request)
    if buyer_user is None:
        queue_email(key=f"showcase-rfq-verify:{rfq.pk}", to=rfq.buyer_email,
                    template="showcase_rfq_verify", language=language,
                    context={"rfq": rfq, "verify_url": settings.SITE_URL + reverse(
                        "showcase:request_verify", args=[verify_token(rfq)])})
    else:
        _send(rfq)
    return rfq


@transaction.atomic
def quote_request_verify(*, quote_request):
    """The visitor's email is confirmed: the request goes to its suppliers (once)."""
    rfq = QuoteRequest.objects.select_for_update().get(pk=quote_request.pk)
    if rfq.status == QuoteRequest.Status.UNVERIFIED:
        rfq.status = QuoteRequest.Status.OPEN
        rfq.save(update_fields=["status"])
        _send(rfq)
    return rfq


def _recipients(organisation):
    """(email, language) of a supplier's administrators, else its general address."""
    admins = list(Contact.objects.active().filter(
        affiliations__organisation=organisation, affiliations__is_admin=True,
        affiliations__ended_on__isnull=True).exclude(email="").distinct())
    if admins:
        return [(c.email, c.language, c.pk) for c in admins]
    return [(organisation.email, "fr-ca", 0)] if organisation.email else []


def _tell_supplier(quote, template, key):
    url = settings.SITE_URL + reverse("showcase:supplier_quote",
                                      args=[quote.organisation_id, quote.pk])
    for email, language, who in _recipients(quote.organisation):
        queue_email(key=f"{key}:{quote.pk}:{who}", to=email, template=template,
                    language=language, organisation=quote.organisation,
                    context={"rfq": quote.request, "quote": quote, "url": url})


def _send(rfq):
    rfq.sent_at = timezone.now()
    rfq.save(update_fields=["sent_at"])
    for quote in rfq.quotes.select_related("organisation"):
        _tell_supplier(quote, "showcase_rfq_supplier", "showcase-rfq-asked")
    queue_email(key=f"showcase-rfq-sent:{rfq.pk}", to=rfq.buyer_email,
                template="showcase_rfq_sent", language=rfq.language,
                context={"rfq": rfq, "count": rfq.quotes.count(),
                         "follow_url": follow_url(rfq)})


def _open_quote(quote):
    quote = Quote.objects.select_for_update().select_related("request").get(pk=quote.pk)
    if quote.request.status != QuoteRequest.Status.OPEN:
        raise ValidationError(_("This request is closed: the buyer has decided."))
    return quote


@transaction.atomic
def quote_answer(*, quote, price_cents, taxable, delay_days, valid_until=None, message="",
                 actor, request=None):
    """A supplier sends (or corrects) its price and delay while the request is open."""
    quote = _open_quote(quote)
    if price_cents is None or price_cents <= 0:
        raise ValidationError(_("Enter a price above zero."))
    first = quote.answered_at is None
    quote.price_cents, quote.taxable, quote.delay_days = price_cents, taxable, delay_days
    quote.valid_until, quote.message = valid_until, message
    quote.status = Quote.Status.ANSWERED
    quote.answered_by = actor
    if first:
        quote.answered_at = timezone.now()
    quote.save()
    audit.record(actor=actor, action="showcase.quote_answer", obj=quote,
                 changes={"price_cents": ["", str(price_cents)]}, request=request)
    rfq = quote.request
    # One message per answer sent (a corrected price is news too).
    queue_email(key=f"showcase-quote-received:{quote.pk}:{timezone.now().timestamp()}",
                to=rfq.buyer_email,
                template="showcase_quote_received", language=rfq.language,
                context={"rfq": rfq, "supplier": quote.organisation.display_name,
                         "follow_url": follow_url(rfq)})
    return quote


@transaction.atomic
def quote_decline(*, quote, message="", actor, request=None):
    """A supplier says it will not quote (the buyer sees it, the request stays open)."""
    quote = _open_quote(quote)
    quote.status, quote.message, quote.answered_by = Quote.Status.DECLINED, message, actor
    quote.price_cents = None
    if quote.answered_at is None:
        quote.answered_at = timezone.now()
    quote.save()
    audit.record(actor=actor, action="showcase.quote_decline", obj=quote, request=request)
    return quote


@transaction.atomic
def quote_award(*, quote_request, quote, actor=None, request=None):
    """The buyer chooses one answered quote: it wins, the others are not chosen, every
    supplier is told. Once only: a decided request is final."""
    rfq = QuoteRequest.objects.select_for_update().get(pk=quote_request.pk)
    if rfq.status != QuoteRequest.Status.OPEN:
        raise ValidationError(_("This request is already decided."))
    winner = rfq.quotes.filter(pk=quote.pk, status=Quote.Status.ANSWERED).first()
    if winner is None:
        raise ValidationError(_("Only a quote the supplier has sent can be chosen."))
    rfq.status, rfq.decided_at = QuoteRequest.Status.AWARDED, timezone.now()
    rfq.save(update_fields=["status", "decided_at"])
    rfq.quotes.exclude(pk=winner.pk).exclude(status=Quote.Status.DECLINED) \
        .update(status=Quote.Status.LOST)
    winner.status = Quote.Status.WON
    winner.save(update_fields=["status"])
    audit.record(actor=actor, action="showcase.rfq_award", obj=rfq,
                 changes={"winner": ["", winner.organisation.legal_name]}, request=request)
    for q in rfq.quotes.select_related("organisation", "request"):
        if q.status == Quote.Status.WON:
            _tell_supplier(q, "showcase_quote_won", "showcase-quote-won")
        elif q.status == Quote.Status.LOST:
            _tell_supplier(q, "showcase_quote_lost", "showcase-quote-lost")
    return rfq


@transaction.atomic
def quote_request_close(*, quote_request, actor=None, request=None):
    """The buyer closes the request without choosing; suppliers still waiting are told."""
    rfq = QuoteRequest.objects.select_for_update().get(pk=quote_request.pk)
    if rfq.status not in (QuoteRequest.Status.OPEN, QuoteRequest.Status.UNVERIFIED):
        raise ValidationError(_("This request is already decided."))
    was_sent = rfq.status == QuoteRequest.Status.OPEN
    rfq.status, rfq.decided_at = QuoteRequest.Status.CLOSED, timezone.now()
    rfq.save(update_fields=["status", "decided_at"])
    rfq.quotes.exclude(status=Quote.Status.DECLINED).update(status=Quote.Status.LOST)
    audit.record(actor=actor, action="showcase.rfq_close", obj=rfq, request=request)
    if was_sent:
        for q in rfq.quotes.select_related("organisation", "request") \
                .exclude(status=Quote.Status.DECLINED):
            _tell_supplier(q, "showcase_quote_lost", "showcase-quote-lost")
    return rfq


# --- The daily job -------------------------------------------------------------------------

REMIND_DAYS_BEFORE = 2


def daily_run(*, today=None):
    """``manage.py showcase_daily``: remind each supplier that has not answered a request
    whose wanted date is within two days (once per quote: the mail's key), and close
    requests still undecided 60 days after their wanted date (or their sending, without
    one), telling the suppliers. Idempotent; returns counts."""
    from datetime import timedelta

    today = today or timezone.localdate()
    reminded = 0
    due = Quote.objects.filter(
        status=Quote.Status.ASKED, request__status=QuoteRequest.Status.OPEN,
        request__deadline__gte=today,
        request__deadline__lte=today + timedelta(days=REMIND_DAYS_BEFORE)) \
        .select_related("request", "organisation")
    for quote in due:
        key = "showcase-quote-reminder"
        if not Email.objects.filter(key__startswith=f"{key}:{quote.pk}:").exists():
            _tell_supplier(quote, "showcase_quote_reminder", key)
            reminded += 1
    stale = QuoteRequest.objects.filter(status=QuoteRequest.Status.OPEN).filter(
        models.Q(deadline__lt=today - timedelta(days=60))
        | models.Q(deadline__isnull=True,
                   sent_at__date__lt=today - timedelta(days=60 + 30)))
    closed = 0
    for rfq in stale:
        quote_request_close(quote_request=rfq)
        closed += 1
    return {"reminders": reminded, "closed": closed}
