"""Demo showcase: agri-food and manufactured products of demo members, the association's
counter of regional products at the rest stop in the Laurentides park, a few requests for
quotes (one waiting for the demo company's answer, one decided).

Deterministic and idempotent: keyed on slugs and titles; rows are written directly (no
mail is queued by the demo).
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from alliage.members.models import Organisation
from alliage.showcase.models import Category, PointOfSale, Product, Quote, QuoteRequest

DEMO_COMPANY = "usinage-du-fjord-inc"

COUNTER = {
    "name": "Comptoir des produits régionaux — halte de l'Étape",
    "kind": PointOfSale.Kind.COUNTER,
    "address": "Route 175, km 94, réserve faunique des Laurentides",
    "latitude": "47.56430", "longitude": "-71.22790",
    "hours": "Tous les jours, 7 h à 21 h",
}

# SCIAN prefix: (category, [(name FR, name EN, description FR, certifications)])
CATALOGUE = {
    "311": (Category.AGRIFOOD, [
        ("Confiture de bleuets sauvages", "Wild blueberry jam",
         "Bleuets sauvages du Lac-Saint-Jean, cuits lentement, sans agent de conservation.",
         "Aliments du Québec"),
        ("Fromage en grains frais", "Fresh cheese curds",
         "Le couic-couic du jour, fait avec le lait des fermes de la région.",
         "Aliments du Québec"),
        ("Chocolats aux bleuets", "Blueberry chocolates",
         "Bleuets séchés enrobés de chocolat noir.", "Aliments du Québec, biologique")]),
    "312": (Category.DRINKS, [
        ("Bière blonde du Fjord", "Fjord blonde ale",
         "Blonde de soif brassée au Saguenay.", "Aliments du Québec"),
        ("Gin boréal", "Boreal gin", "Gin aux aromates de la forêt boréale.", "")]),
    "332": (Category.METAL, [
        ("Réservoirs en acier inoxydable", "Stainless steel tanks",
         "Réservoirs soudés sur mesure, de 200 à 20 000 litres, pour l'agroalimentaire et "
         "les procédés.", "CWB (CSA W47.1)"),
        ("Pièces usinées CNC en aluminium", "CNC machined aluminium parts",
         "Usinage CNC 5 axes de prototypes et de séries.", "ISO 9001")]),
    "321": (Category.WOOD, [
        ("Palettes de bois standard", "Standard wooden pallets",
         "Palettes 48 × 40 neuves et réusinées, traitement thermique NIMP 15.",
         "NIMP 15"),
        ("Caisses de bois sur mesure", "Custom wooden crates",
         "Caisses d'expédition pour équipements lourds.", "NIMP 15")]),
    "333": (Category.EQUIPMENT, [
        ("Convoyeurs à courroie", "Belt conveyors",
         "Conception, fabrication et réparation de convoyeurs industriels.", "CSA")]),
    "337": (Category.WOOD, [
        ("Tables en bois massif", "Solid wood tables",
         "Merisier et érable du Lac-Saint-Jean, fini à l'huile.", "")]),
}


def _makers(prefix, count):
    return list(Organisation.objects.for_directory().filter(
        primary_sector__code__startswith=prefix).exclude(slug=DEMO_COMPANY)
        .order_by("slug")[:count])


def _product(org, category, name_fr, name_en, description, certifications, points=()):
    product, created = Product.objects.get_or_create(
        organisation=org, name_fr=name_fr,
        defaults={"slug": slugify(f"{org.display_name} {name_fr}")[:190], "name_en": name_en,
                  "description_fr": description, "category": category,
                  "certifications": certifications, "made_in_region": True})
    if created and points:
        product.points_of_sale.set(points)
    return product, created


def seed_catalogue():
    counter, _ = PointOfSale.objects.get_or_create(organisation=None, name=COUNTER["name"],
                                                   defaults=COUNTER)
    made = 0
    for prefix, (category, items) in CATALOGUE.items():
        for i, org in enumerate(_makers(prefix, 3)):
            name_fr, name_en, description, certs = items[i % len(items)]
            points = [counter] if category in (Category.AGRIFOOD, Category.DRINKS) else []
            product, created = _product(org, category, name_fr, name_en, description, certs,
                                        points)
            made += created
    demo = Organisation.objects.filter(slug=DEMO_COMPANY).first()
    if demo is not None:
        shop, _ = PointOfSale.objects.get_or_create(
            organisation=demo, name="Usinage du Fjord — comptoir de l'usine",
            defaults={"kind": PointOfSale.Kind.PLANT, "address": "2500, rue de la Fonderie",
                      "municipality_id": demo.municipality_id,
                      "hours": "Lundi au vendredi, 8 h à 16 h 30"})
        for name_fr, name_en, description, certs in CATALOGUE["332"][1]:
            product, created = _product(demo, Category.METAL, name_fr, name_en, description,
                                        certs, [shop])
            made += created
    return made


def seed_requests():
    """Two requests for quotes: one open (the demo company has yet to answer), one decided."""
    demo = Organisation.objects.filter(slug=DEMO_COMPANY).first()
    metal = _makers("332", 2)
    wood = _makers("321", 2)
    buyer = next(iter(_makers("311", 1)), None)
    if demo is None or buyer is None or len(metal) < 2 or len(wood) < 2:
        return 0
    now = timezone.now()
    made = 0
    rfq, created = QuoteRequest.objects.get_or_create(
        title="Réservoir inox 5 000 L pour fromagerie", defaults={
            "buyer_organisation": buyer, "buyer_name": "Responsable des achats",
            "buyer_email": f"achats@{buyer.slug[:40]}.example",
            "buyer_company": buyer.legal_name, "status": QuoteRequest.Status.OPEN,
            "description": "Réservoir de 5 000 litres en acier inoxydable 316, double paroi, "
                           "pieds réglables, finition sanitaire.",
            "quantity": "1", "deadline": (now + timedelta(days=20)).date(),
            "municipality_id": buyer.municipality_id, "sent_at": now - timedelta(days=2),
            "search": "réservoir acier inoxydable"})
    if created:
        made += 1
        Quote.objects.create(request=rfq, organisation=demo)
        Quote.objects.create(request=rfq, organisation=metal[0], status=Quote.Status.ANSWERED,
                             price_cents=4_850_000, delay_days=30,
                             answered_at=now - timedelta(days=1),
                             message="Livraison et installation comprises.")
        Quote.objects.create(request=rfq, organisation=metal[1])
    rfq, created = QuoteRequest.objects.get_or_create(
        title="Palettes 48 × 40 pour expédition", defaults={
            "buyer_organisation": demo, "buyer_name": "Sylvie Bouchard",
            "buyer_email": "admin@usinage-du-fjord.example", "buyer_company": demo.legal_name,
            "status": QuoteRequest.Status.AWARDED, "description": "400 palettes par mois.",
            "quantity": "400 par mois", "municipality_id": demo.municipality_id,
            "sent_at": now - timedelta(days=40), "decided_at": now - timedelta(days=30),
            "search": "palettes de bois"})
    if created:
        made += 1
        Quote.objects.create(request=rfq, organisation=wood[0], status=Quote.Status.WON,
                             price_cents=720_000, delay_days=10,
                             answered_at=now - timedelta(days=39))
        Quote.objects.create(request=rfq, organisation=wood[1], status=Quote.Status.LOST,
                             price_cents=790_000, delay_days=5,
                             answered_at=now - timedelta(days=37))
    return made


def seed():
    """The demo's showcase part (``alliage.demo.seeds``)."""
    products = seed_catalogue()
    requests = seed_requests()
    return [(products, "products"), (requests, "requests for quotes")]
