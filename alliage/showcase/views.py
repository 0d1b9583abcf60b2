"""Public pages of the showcase (catalogue, product, points of sale, supplier finder) and the
buyer's side of a request for quotes."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliage.core import confirm, throttle
from alliage.core.http import int_list, int_param, posted, uploaded
from alliage.members.models import Organisation
from alliage.showcase import selectors, services
from alliage.showcase.forms import CatalogueForm, FinderForm, QuoteRequestForm
from alliage.showcase.models import Product, QuoteRequest

PAGE = 60


def catalogue(request):
    form = CatalogueForm(request.GET or None,
                         certifications=selectors.certifications_offered())
    filters = form.filters() if form.is_bound else {}
    paginator = Paginator(selectors.catalogue(**filters), PAGE)
    # A bad or too large page number shows the last page, never an error page.
    page = paginator.get_page(int_param(request.GET, "page", default=1, maximum=100_000))
    return render(request, "showcase/catalogue.html", {
        "form": form, "page": page, "products": page.object_list,
        "filtered": any(filters.values()),
        "querystring": urlencode({k: v for k, v in filters.items() if v})})


def product(request, slug):
    item = get_object_or_404(
        Product.objects.public().select_related("organisation__municipality"), slug=slug)
    return render(request, "showcase/product.html", {
        "product": item, "photos": item.photos.all(),
        "points": item.points_of_sale.public().select_related("municipality"),
        "others": Product.objects.public().filter(organisation=item.organisation)
        .exclude(pk=item.pk)[:6]})


def points_of_sale(request):
    rows, points = selectors.points_of_sale_map()
    return render(request, "showcase/points_of_sale.html", {
        "rows": rows, "points": points, "map_tiles": settings.MAP_TILE_URL})


def finder(request):
    form = FinderForm(request.GET if "q" in request.GET else None)
    results, corrected, town = None, {}, None
    if form.is_bound and form.is_valid():
        town, origin = form.origin()
        results, corrected = selectors.find_suppliers(
            form.cleaned_data["q"], origin=origin, within_km=form.cleaned_data.get("within"))
        services.search_record(query=form.cleaned_data["q"], results=len(results))
    return render(request, "showcase/finder.html", {
        "form": form, "results": results, "corrected": corrected, "town": town})


# --- Requests for quotes: the buyer --------------------------------------------------------

def _private(response):
    """A page reached by a secret link: never cached, never indexed."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _buyer_organisation(user):
    if not user.is_authenticated:
        return None
    return Organisation.objects.of_user(user).order_by("pk").first()


def request_new(request):
    """A request for quotes to the suppliers ticked (offered from the finder's results)."""
    chosen = int_list(request.POST if request.method == "POST" else request.GET,
                      "suppliers" if request.method == "POST" else "fournisseur")[:20]
    suppliers = selectors.supplier_choices(chosen)
    visitor = not request.user.is_authenticated
    initial = {"suppliers": list(suppliers), "title": request.GET.get("q", "")[:200]}
    form = QuoteRequestForm(posted(request), uploaded(request), suppliers=suppliers,
                            visitor=visitor, initial=initial)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data.get("buyer_email") or request.user.email
        wait = throttle.attempt(request, "quote_request", address=email)
        if wait:
            throttle.refuse(form, wait)
            return throttle.mark(render(request, "showcase/request_new.html", {
                "form": form, "suppliers": suppliers}), wait)
        data = form.request_data()
        buyer_org = _buyer_organisation(request.user)
        if not visitor:
            contact = getattr(request.user, "contact", None)
            data.update(buyer_name=request.user.get_full_name() or email, buyer_email=email,
                        buyer_phone=getattr(contact, "phone", "") or "",
                        buyer_company=buyer_org.legal_name if buyer_org else "")
        data["search"] = request.GET.get("q", "")[:200]
        try:
            rfq = services.quote_request_create(
                data=data, suppliers=form.cleaned_data["suppliers"],
                buyer_user=None if visitor else request.user, buyer_organisation=buyer_org,
                attachment=form.cleaned_data.get("attachment_file"),
                language=get_language() or "fr-ca", request=request)
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            if visitor:
                return redirect("showcase:request_check_email")
            count = rfq.quotes.count()
            messages.success(request, ngettext("Your request was sent to %(n)s supplier.",
                                               "Your request was sent to %(n)s suppliers.",
                                               count) % {"n": count})
            return redirect("showcase:request", pk=rfq.pk)
    return render(request, "showcase/request_new.html", {"form": form,
                                                         "suppliers": suppliers})


def request_check_email(request):
    return render(request, "showcase/request_check_email.html")


def request_verify(request, token):
    rfq = services.from_verify_token(token)
    if rfq is None:
        return _private(render(request, "showcase/request_link_invalid.html", status=404))
    if request.method == "POST":
        rfq = services.quote_request_verify(quote_request=rfq)
        messages.success(request, _("Your email is confirmed: the request was sent."))
        return redirect("showcase:request_follow", token=services.follow_token(rfq))
    # A GET (a mail scanner following links) changes nothing: the person presses the button.
    return _private(render(request, "showcase/request_verify.html", {"rfq": rfq}))


@login_required
def my_requests(request):
    seen = QuoteRequest.objects.seen_by(request.user).select_related("buyer_user") \
        .prefetch_related("quotes")
    return render(request, "showcase/my_requests.html", {
        "rows": [r for r in seen if r.buyer_user_id == request.user.pk],
        "colleagues": [r for r in seen if r.buyer_user_id != request.user.pk]})


def _buyer_page(request, rfq, *, token=None, may_decide=True):
    return _private(render(request, "showcase/request.html", {
        "rfq": rfq, "quotes": selectors.quotes_for_buyer(rfq), "token": token,
        "by_colleague": token is None and rfq.buyer_user_id != request.user.pk,
        "may_decide": may_decide and rfq.status == QuoteRequest.Status.OPEN}))


@login_required
def request_detail(request, pk):
    rfq = get_object_or_404(QuoteRequest.objects.seen_by(request.user), pk=pk)
    return _buyer_page(request, rfq, may_decide=QuoteRequest.objects.decided_by(
        request.user).filter(pk=rfq.pk).exists())


def request_follow(request, token):
    rfq = services.from_follow_token(token)
    if rfq is None:
        raise Http404
    return _buyer_page(request, rfq, token=token)


def _decide(request, rfq, quote_id, back):
    if quote_id is None:
        if asked := confirm.ask(request, _("Close this request without choosing a "
                                           "supplier?")):
            return asked
        action = services.quote_request_close
        kwargs = {}
        done = _("The request is closed.")
    else:
        quote = get_object_or_404(rfq.quotes.select_related("organisation"), pk=quote_id)
        if asked := confirm.ask(request, _("Choose %(name)s? The other suppliers will be told "
                                           "they were not chosen.")
                                % {"name": quote.organisation.display_name}, danger=False):
            return asked
        action = services.quote_award
        kwargs = {"quote": quote}
        done = _("%(name)s is told it was chosen.") % {"name": quote.organisation.display_name}
    try:
        action(quote_request=rfq, actor=request.user, request=request, **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(back)


def _decidable(request, pk):
    """The request if the user may decide it; a colleague who may only read it: 403."""
    rfq = get_object_or_404(QuoteRequest.objects.seen_by(request.user), pk=pk)
    if not QuoteRequest.objects.decided_by(request.user).filter(pk=rfq.pk).exists():
        raise PermissionDenied
    return rfq


@login_required
@require_POST
def request_award(request, pk, quote_id):
    rfq = _decidable(request, pk)
    return _decide(request, rfq, quote_id, reverse("showcase:request", args=[rfq.pk]))


@login_required
@require_POST
def request_close(request, pk):
    rfq = _decidable(request, pk)
    return _decide(request, rfq, None, reverse("showcase:request", args=[rfq.pk]))


@require_POST
def follow_award(request, token, quote_id):
    rfq = services.from_follow_token(token)
    if rfq is None:
        raise Http404
    return _decide(request, rfq, quote_id, reverse("showcase:request_follow", args=[token]))


@require_POST
def follow_close(request, token):
    rfq = services.from_follow_token(token)
    if rfq is None:
        raise Http404
    return _decide(request, rfq, None, reverse("showcase:request_follow", args=[token]))


def attachment_response(rfq):
    if not rfq.attachment:
        raise Http404
    ext = rfq.attachment.name.rsplit(".", 1)[-1]
    response = FileResponse(rfq.attachment.open("rb"), as_attachment=True,
                            filename=f"demande-{rfq.pk}.{ext}")
    return _private(response)


@login_required
def request_attachment(request, pk):
    rfq = get_object_or_404(QuoteRequest.objects.seen_by(request.user), pk=pk)
    return attachment_response(rfq)
