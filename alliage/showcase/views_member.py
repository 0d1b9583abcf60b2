"""A member company's own showcase: its products with their photos, its points of sale,
and the requests for quotes sent to it. Another company's object answers 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliage.core import confirm
from alliage.core.http import posted, uploaded
from alliage.core.roles import member_admin_required
from alliage.showcase import selectors, services
from alliage.showcase.forms import (
    DeclineForm,
    PhotoForm,
    PointOfSaleForm,
    ProductForm,
    QuoteAnswerForm,
)
from alliage.showcase.models import PointOfSale, Product, Quote, QuoteRequest
from alliage.showcase.views import attachment_response


def _org(request, org_id):
    return get_object_or_404(selectors.managed_organisations(request.user), pk=org_id)


@member_admin_required
def my_products(request, org_id):
    org = _org(request, org_id)
    return render(request, "showcase/my_products.html", {
        "org": org, "tab": "products",
        "products": org.products.prefetch_related("photos").order_by("name_fr", "pk"),
        "points": PointOfSale.objects.filter(organisation=org)})


@member_admin_required
def product_edit(request, org_id, pk=None):
    org = _org(request, org_id)
    item = get_object_or_404(Product, pk=pk, organisation=org) if pk else None
    form = ProductForm(posted(request), instance=item, organisation=org)
    if request.method == "POST" and form.is_valid():
        item = services.product_save(form=form, organisation=org, actor=request.user,
                                     request=request)
        messages.success(request, _("The product was saved."))
        return redirect("showcase:product_edit", org_id=org.pk, pk=item.pk)
    return render(request, "showcase/product_edit.html", {
        "org": org, "tab": "products", "form": form, "product": item,
        "photo_form": PhotoForm(), "photos": item.photos.all() if item else [],
        "max_photos": services.MAX_PHOTOS})


@member_admin_required
@require_POST
def product_delete(request, org_id, pk):
    org = _org(request, org_id)
    item = get_object_or_404(Product, pk=pk, organisation=org)
    if asked := confirm.ask(request, _("Delete the product “%(name)s” and its photos?")
                            % {"name": item.name_fr}):
        return asked
    services.product_delete(product=item, actor=request.user, request=request)
    messages.success(request, _("The product was deleted."))
    return redirect("showcase:my_products", org_id=org.pk)


@member_admin_required
@require_POST
def photo_add(request, org_id, pk):
    org = _org(request, org_id)
    item = get_object_or_404(Product, pk=pk, organisation=org)
    form = PhotoForm(request.POST, uploaded(request))
    if form.is_valid():
        try:
            services.photo_add(product=item, upload=form.cleaned_data["image"],
                               alt_text=form.cleaned_data["alt_text"], actor=request.user,
                               request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The photo was added."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("showcase:product_edit", org_id=org.pk, pk=item.pk)


@member_admin_required
@require_POST
def photo_delete(request, org_id, pk, photo_id):
    org = _org(request, org_id)
    item = get_object_or_404(Product, pk=pk, organisation=org)
    photo = get_object_or_404(item.photos, pk=photo_id)
    if asked := confirm.ask(request, _("Remove this photo?")):
        return asked
    services.photo_delete(photo=photo, actor=request.user, request=request)
    messages.success(request, _("The photo was removed."))
    return redirect("showcase:product_edit", org_id=org.pk, pk=item.pk)


@member_admin_required
def my_points_of_sale(request, org_id, pk=None):
    org = _org(request, org_id)
    item = get_object_or_404(PointOfSale, pk=pk, organisation=org) if pk else None
    form = PointOfSaleForm(posted(request), instance=item)
    if request.method == "POST" and form.is_valid():
        services.point_of_sale_save(form=form, organisation=org, actor=request.user,
                                    request=request)
        messages.success(request, _("The point of sale was saved."))
        return redirect("showcase:my_points_of_sale", org_id=org.pk)
    return render(request, "showcase/my_points_of_sale.html", {
        "org": org, "tab": "products", "form": form, "item": item,
        "rows": PointOfSale.objects.filter(organisation=org).select_related("municipality")})


# --- Requests for quotes sent to the company -----------------------------------------------

@member_admin_required
def supplier_quotes(request, org_id):
    org = _org(request, org_id)
    quotes = (Quote.objects.filter(organisation=org)
              .exclude(request__status=QuoteRequest.Status.UNVERIFIED)
              .select_related("request").order_by("-request__sent_at", "-pk"))
    return render(request, "showcase/supplier_quotes.html", {
        "org": org, "tab": "quotes", "quotes": quotes})


def _quote(request, org_id, pk):
    org = _org(request, org_id)
    quote = get_object_or_404(
        Quote.objects.filter(organisation=org).exclude(
            request__status=QuoteRequest.Status.UNVERIFIED).select_related("request"), pk=pk)
    return org, quote


@member_admin_required
def supplier_quote(request, org_id, pk):
    """The request as this supplier sees it: the buyer's need and its own answer only."""
    org, quote = _quote(request, org_id, pk)
    initial = {"taxable": quote.taxable, "delay_days": quote.delay_days,
               "valid_until": quote.valid_until, "message": quote.message,
               "price": f"{quote.price_cents / 100:.2f}".replace(".", ",")
               if quote.price_cents else ""}
    form = QuoteAnswerForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.quote_answer(quote=quote, price_cents=d["price"], taxable=d["taxable"],
                                  delay_days=d["delay_days"], valid_until=d["valid_until"],
                                  message=d["message"], actor=request.user, request=request)
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, _("Your quote was sent to the buyer."))
            return redirect("showcase:supplier_quote", org_id=org.pk, pk=quote.pk)
    return render(request, "showcase/supplier_quote.html", {
        "org": org, "tab": "quotes", "quote": quote, "rfq": quote.request, "form": form,
        "decline_form": DeclineForm(), "taxes": quote.taxes(),
        "open": quote.request.status == QuoteRequest.Status.OPEN})


@member_admin_required
@require_POST
def supplier_decline(request, org_id, pk):
    org, quote = _quote(request, org_id, pk)
    form = DeclineForm(request.POST)
    if asked := confirm.ask(request, _("Decline this request? The buyer will see that you "
                                       "will not quote.")):
        return asked
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        services.quote_decline(quote=quote, message=message, actor=request.user,
                               request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The buyer is told you will not quote."))
    return redirect("showcase:supplier_quote", org_id=org.pk, pk=quote.pk)


@member_admin_required
def supplier_attachment(request, org_id, pk):
    _org_, quote = _quote(request, org_id, pk)
    return attachment_response(quote.request)
