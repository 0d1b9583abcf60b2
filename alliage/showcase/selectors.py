"""Read-side queries of the showcase: the catalogue, points of sale, the supplier finder,
what a buyer or a supplier may see of a request."""

import hashlib

from django.db import connection
from django.db.models import Count, Max, Prefetch, Q, Sum
from django.utils.translation import gettext as _

from alliage.core.roles import is_staff
from alliage.core.text import fold
from alliage.members.models import Organisation
from alliage.showcase import embedded, finder, fulltext
from alliage.showcase.models import (
    Category,
    PointOfSale,
    Product,
    ProductPhoto,
    Quote,
    QuoteRequest,
)


def managed_organisations(user):
    """Companies whose products and quotes ``user`` manages: their own, all for staff."""
    return Organisation.objects.all() if is_staff(user) else \
        Organisation.objects.administered_by(user)


def catalogue(*, q="", category="", municipality="", park="", certification="",
              made_in_region=False):
    """Public products, filtered like the catalogue page (each filter optional)."""
    qs = (Product.objects.public()
          .select_related("organisation__municipality", "organisation__park")
          .prefetch_related(Prefetch("photos", ProductPhoto.objects.order_by("position", "pk"))))
    if q:
        qs = qs.search(q)
    if category in Category.values:
        qs = qs.filter(category=category)
    if municipality:
        qs = qs.filter(organisation__municipality__slug=municipality)
    if park:
        qs = qs.filter(organisation__park__slug=park)
    if certification:
        qs = qs.filter(search_text__contains=fold(certification))
    if made_in_region:
        qs = qs.filter(made_in_region=True)
    return qs.order_by("name_fr", "pk")


def certifications_offered():
    """The certifications named by public products, for the catalogue's filter."""
    seen = {}
    for text in Product.objects.public().exclude(certifications="") \
            .values_list("certifications", flat=True):
        for item in text.split(","):
            if item.strip():
                seen.setdefault(fold(item), item.strip())
    return sorted(seen.values(), key=fold)


def points_of_sale_map():
    """Public points of sale with a place, as map points, and every public one as a list."""
    rows = list(PointOfSale.objects.public()
                .select_related("organisation", "municipality")
                .annotate(n_products=Count("products", filter=Q(
                    products__in=Product.objects.public())))
                .order_by("name", "pk"))
    points = []
    for pos in rows:
        point = pos.map_point
        if point:
            points.append({"name": pos.name, "lat": point[0], "lon": point[1],
                           "url": f"#pos-{pos.pk}"})
    return rows, points


# --- The supplier finder -----------------------------------------------------------------

_indexes = {}
# Part of the fingerprint: a change of how texts are read (code or synonyms) rebuilds too.
INDEX_VERSION = "2"


def finder_fingerprint():
    """What the finder's index is built from, read from the database (so every process
    agrees): the listed members, their capabilities and sectors, the products, and the
    synonyms file."""
    listed = Organisation.objects.for_directory()
    orgs = listed.aggregate(n=Count("pk"), ids=Sum("pk"), last=Max("updated_at"))
    links = [model.objects.filter(organisation__in=listed).aggregate(n=Count("pk"),
                                                                     ids=Sum("pk"))
             for model in (Organisation.tags.through, Organisation.secondary_sectors.through)]
    products = Product.objects.aggregate(n=Count("pk"), ids=Sum("pk"), last=Max("updated_at"))
    synonyms = hashlib.sha256(finder.SYNONYMS.read_bytes()).hexdigest()[:16]
    parts = [INDEX_VERSION, synonyms, *orgs.values(), *(v for link in links
                                                          for v in link.values()),
             *products.values()]
    return "|".join(str(p) for p in parts)


def suppliers():
    """Member companies listed in the directory, with what the finder reads of them."""
    return (Organisation.objects.for_directory()
            .prefetch_related("tags", "secondary_sectors",
                              Prefetch("products", Product.objects.filter(is_published=True),
                                       to_attr="published_products")))


def finder_documents():
    """Every listed member as the finder reads it: only what the public directory shows."""
    documents = []
    for org in suppliers():
        texts = [("name", org.legal_name)]
        if org.trade_name:
            texts.append(("name", org.trade_name))
        visible = org.visible_fields("public")
        if "tags" in visible:
            texts += [("capability", t.name) for t in org.tags.all()]
        if "certifications" in visible and org.certifications:
            texts += [("certification", c.strip()) for c in org.certifications.split(",")
                      if c.strip()]
        if "description" in visible:
            texts += [("description", d) for d in (org.description_fr, org.description_en)
                      if d]
        sectors = [org.primary_sector] if org.primary_sector_id else []
        if "secondary_sectors" in visible:
            sectors += list(org.secondary_sectors.all())
        for s in sectors:
            texts += [("sector", f"{s.code} {s.name_fr}"), ("sector", s.name_en)]
        for p in org.published_products:
            texts += [("product", p.name_fr)] + ([("product", p.name_en)] if p.name_en
                                                 else [])
            texts += [("product_description", d) for d in (p.description_fr,
                                                            p.description_en) if d]
            texts += [("certification", c) for c in p.certification_list()]
        documents.append(finder.Document(
            org.pk, org.display_name, org.map_point, texts, tuple(s.code for s in sectors)))
    return documents


def finder_index():
    """The Python index of every listed member (SQLite, and the reference the relevance
    tests hold PostgreSQL to), rebuilt when the data it reads changes (kept per process:
    a few hundred members index in well under a second)."""
    key = finder_fingerprint()
    index = _indexes.get(key)
    if index is None:
        index = finder.Index(finder_documents())
        _indexes.clear()                 # one index per process: the current one
        _indexes[key] = index
    return index


def finder_engine():
    """The finder for this database: its own full-text search — PostgreSQL's, or SQLite's
    FTS5 (``embedded``) — on the stored index, refreshed first if the data changed; the
    Python index on any other database."""
    if connection.vendor == "postgresql":
        fulltext.ensure(finder_fingerprint(), finder_documents)
        return fulltext.Engine()
    if connection.vendor == "sqlite":
        fingerprint = finder_fingerprint()
        embedded.ensure(fingerprint, finder_documents)
        return embedded.Engine(fingerprint)
    return finder_index()


def _reason_label(kind):
    labels = {"product": _("Product"), "capability": _("Capability"),
              "sector": _("Sector (SCIAN)"), "certification": _("Certification"),
              "name": _("Name"), "product_description": _("Product description"),
              "description": _("Description"), "code": _("SCIAN code")}
    return labels[kind]


def find_suppliers(need, *, origin=None, within_km=None, limit=30):
    """Ranked suppliers for a need: [{organisation, score, covered, wanted, distance_km,
    reasons: [(label, text)]}], and the corrected words {typed: used}."""
    engine = finder_engine()
    results, corrected = engine.search(need, origin=origin, within_km=within_km, limit=limit)
    wanted = len(dict.fromkeys(finder.ideas(need, engine.corrector)[0])) or 1
    organisations = Organisation.objects.select_related(
        "municipality", "park", "primary_sector").in_bulk([r.key for r in results])
    rows = []
    for r in results:
        org = organisations.get(r.key)
        if org is None:
            continue
        rows.append({"organisation": org, "score": r.score, "covered": r.covered,
                     "wanted": wanted, "distance_km": r.distance_km,
                     "reasons": list(dict.fromkeys(     # one line per text that matched
                         (_reason_label(kind), text) for kind, text, _i in r.reasons))})
    return rows, corrected


# --- Requests for quotes -----------------------------------------------------------------

def supplier_choices(ids):
    """The listed member companies among ``ids`` (a buyer may only ask those)."""
    return Organisation.objects.for_directory().filter(pk__in=ids).order_by("legal_name")


def quotes_for_buyer(quote_request):
    """The request's quotes as its buyer compares them: answered ones first, cheapest first."""
    return sorted(quote_request.quotes.select_related("organisation"),
                  key=lambda q: (q.price_cents is None, q.price_cents or 0,
                                 q.organisation.legal_name))


def supplier_quotes(user):
    """Quotes asked of the companies ``user`` administers (never other suppliers')."""
    return (Quote.objects.for_supplier(user)
            .select_related("request", "organisation").order_by("-request__sent_at", "-pk"))


def staff_requests():
    return (QuoteRequest.objects.sent().select_related("buyer_organisation")
            .annotate(n_asked=Count("quotes"),
                      n_answered=Count("quotes", filter=Q(quotes__answered_at__isnull=False)))
            .order_by("-sent_at", "-pk"))
