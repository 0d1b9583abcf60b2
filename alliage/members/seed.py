"""Demo members: 320 fictional organisations of the region, two years of dues.

Deterministic (fixed random seed) and idempotent (keyed on slugs and periods).
"""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from alliage.billing import services as billing
from alliage.billing.signals import invoice_paid
from alliage.core.models import Municipality, Park
from alliage.members import periods
from alliage.members.models import (
    Affiliation,
    Contact,
    FeeBand,
    Membership,
    MembershipType,
    Organisation,
    Sector,
    Tag,
)
from alliage.members.scian_data import SECTORS, SUBSECTORS, parent_code
from alliage.members.services import fee_for, refresh_organisation

N_ORGANISATIONS = 320

# SCIAN code, weight, name words, capability tags
PROFILES = [
    ("332", 14, ["Usinage", "Soudure", "Métal", "Fabrication métallique", "Acier"],
     ["usinage CNC", "soudure", "découpe laser", "pliage", "peinture industrielle"]),
    ("333", 8, ["Machinerie", "Équipements", "Hydraulique", "Automatisation"],
     ["conception de machines", "hydraulique", "convoyeurs", "automatisation"]),
    ("331", 3, ["Aluminium", "Fonderie", "Alliages"], ["aluminium", "fonderie", "extrusion"]),
    ("321", 6, ["Bois", "Scierie", "Palettes", "Structures de bois"],
     ["bois d'œuvre", "palettes", "bran de scie", "copeaux"]),
    ("322", 2, ["Papier", "Emballages", "Carton"], ["carton", "papier", "emballage"]),
    ("326", 3, ["Plastiques", "Composites", "Caoutchouc"],
     ["moulage par injection", "thermoformage", "composites"]),
    ("311", 6, ["Fromagerie", "Boulangerie", "Bleuets", "Viandes", "Chocolaterie"],
     ["bleuets", "fromage", "lactosérum", "produits régionaux"]),
    ("312", 2, ["Microbrasserie", "Distillerie"], ["bière", "spiritueux", "drêche"]),
    ("335", 3, ["Électrique", "Contrôles", "Électro"],
     ["panneaux électriques", "contrôles industriels"]),
    ("336", 2, ["Remorques", "Carrosserie"], ["remorques", "carrosserie"]),
    ("337", 1, ["Meubles", "Ébénisterie"], ["ébénisterie", "mobilier"]),
    ("5413", 10, ["Génie", "Ingénierie", "Experts-conseils"],
     ["génie mécanique", "génie civil", "plans et devis", "gestion de projet"]),
    ("5415", 5, ["Techno", "Logiciels", "Numérique", "Données"],
     ["logiciels", "ERP", "cybersécurité", "intelligence artificielle"]),
    ("5416", 4, ["Conseil", "Stratégie", "Gestion"],
     ["conseil en gestion", "santé et sécurité", "ressources humaines"]),
    ("484", 8, ["Transport", "Camionnage", "Logistique"],
     ["transport de marchandises", "vrac", "transport spécialisé"]),
    ("493", 2, ["Entreposage", "Centre de distribution"], ["entreposage", "distribution"]),
    ("488", 2, ["Services portuaires", "Manutention"], ["manutention", "transbordement"]),
    ("238", 5, ["Construction", "Électricité", "Tuyauterie"],
     ["tuyauterie industrielle", "électricité industrielle", "charpente métallique"]),
    ("562", 3, ["Récupération", "Environnement", "Recyclage"],
     ["collecte sélective", "recyclage", "valorisation"]),
    ("561", 3, ["Services", "Placement", "Sécurité"], ["placement de personnel", "gardiennage"]),
    ("811", 4, ["Réparation", "Entretien industriel", "Mécanique"],
     ["entretien industriel", "réparation de moteurs", "hydraulique"]),
    ("417", 3, ["Distribution", "Fournitures industrielles"],
     ["fournitures industrielles", "roulements", "outillage"]),
    ("113", 1, ["Forestière"], ["récolte forestière", "biomasse"]),
    ("212", 1, ["Carrière", "Granulats"], ["granulats", "pierre"]),
]
PLACES = ["du Fjord", "Saguenay", "Boréal", "du Lac", "Kénogami", "Péribonka", "Mistassini",
          "Chamouchouane", "Valin", "Manic", "Shipshaw", "Nordik", "Harvey", "Delisle",
          "Ashuapmushuan", "des Monts", "Caribou", "Bagot", "Métabetchouan", "Sainte-Marguerite",
          "Pointe-Bleue", "Taillon", "Grande-Anse", "Tadoussac"]
LEGAL = ["inc.", "ltée", "inc.", "S.E.N.C.", "inc.", "coop"]
TOWN_WEIGHTS = {"chicoutimi": 30, "jonquiere": 22, "la-baie": 8, "alma": 14, "roberval": 5,
                "dolbeau-mistassini": 5, "saint-felicien": 5, "saint-honore": 3, "saint-bruno": 2,
                "metabetchouan": 2, "normandin": 1, "desbiens": 1, "hebertville": 1,
                "saint-prime": 1, "larouche": 1, "saint-ambroise": 1}
FIRST = ["Marie", "Julie", "Isabelle", "Catherine", "Nathalie", "Sophie", "Geneviève", "Mélanie",
         "Annie", "Karine", "Jean", "Marc", "Martin", "Luc", "Éric", "Stéphane", "Patrick",
         "François", "Sylvain", "Dany", "Guillaume", "Maxime", "Émilie", "Audrey", "Vincent",
         "Simon"]
LAST = ["Tremblay", "Gagnon", "Bouchard", "Côté", "Gauthier", "Girard", "Simard", "Lavoie",
        "Harvey", "Fortin", "Savard", "Boivin", "Lapointe", "Gagné", "Bergeron", "Larouche",
        "Villeneuve", "Dufour", "Morin", "Perron", "Pelletier", "Claveau", "Desbiens", "Potvin"]
STREET_KINDS = ["rue", "boulevard", "chemin"]
STREETS = ["des Pionniers", "Manic", "de la Fonderie", "Talbot", "du Royaume", "Saint-Paul",
           "des Industries", "Sainte-Geneviève", "de l'Aéroport", "Panoramique"]
TITLES = ["Président", "Directrice générale", "Contrôleur", "Directeur des opérations",
          "Responsable des achats", "Coordonnatrice RH", "Directeur de production"]

# The first organisation is the demo member company whose admin logs in.
DEMO_COMPANY = ("Usinage du Fjord inc.", "332", "chicoutimi", "haut-saguenay", 42)


def seed_sectors():
    for code, fr, en in SECTORS:
        Sector.objects.update_or_create(code=code, defaults={"name_fr": fr, "name_en": en})
    for code, fr, en in SUBSECTORS:
        parent = Sector.objects.get(code=parent_code(code))
        Sector.objects.update_or_create(code=code, defaults={"name_fr": fr, "name_en": en,
                                                             "parent": parent})


def seed_membership_types():
    regular, _ = MembershipType.objects.update_or_create(code="regulier", defaults={
        "name_fr": "Membre régulier", "name_en": "Regular member",
        "description_fr": "Entreprises manufacturières, de génie, de transport et de services.",
        "description_en": "Manufacturing, engineering, transport and service companies.",
        "fee_rule": MembershipType.FeeRule.BANDS, "period_kind": MembershipType.PeriodKind.FISCAL,
        "fiscal_start_month": 7, "fiscal_start_day": 1, "grace_days": 183, "taxable": True})
    for low, high, fee in [(1, 4, 15000), (5, 19, 27500), (20, 49, 42500), (50, 199, 65000),
                           (200, None, 95000)]:
        FeeBand.objects.update_or_create(membership_type=regular, min_employees=low,
                                         defaults={"max_employees": high, "fee_cents": fee})
    partner, _ = MembershipType.objects.update_or_create(code="partenaire", defaults={
        "name_fr": "Membre partenaire", "name_en": "Partner member",
        "description_fr": "Organismes de soutien, de financement et associations.",
        "description_en": "Support and financing bodies, associations.",
        "fee_rule": MembershipType.FeeRule.FLAT, "flat_fee_cents": 50000,
        "period_kind": MembershipType.PeriodKind.ANNIVERSARY, "grace_days": 60, "taxable": True})
    return regular, partner


def _weighted(rng, pairs):
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights=weights, k=1)[0]


def _employees(rng):
    low, high = _weighted(rng, [((1, 4), 15), ((5, 19), 35), ((20, 49), 25), ((50, 199), 18),
                                ((200, 900), 7)])
    return rng.randint(low, high)


def _email_part(text):
    return slugify(text).replace("-", ".")


def _organisation_specs():
    rng = random.Random(2019)
    used = set()
    specs = [DEMO_COMPANY]
    used.add(DEMO_COMPANY[0].rsplit(" ", 1)[0])
    while len(specs) < N_ORGANISATIONS:
        code, _w, words, _tags = _weighted(rng, [(p, p[1]) for p in PROFILES])
        base = f"{rng.choice(words)} {rng.choice(PLACES)}"
        if base in used:  # trade names must differ, whatever the legal form
            continue
        used.add(base)
        name = f"{base} {rng.choice(LEGAL)}"
        town = _weighted(rng, list(TOWN_WEIGHTS.items()))
        specs.append((name, code, town, None, _employees(rng)))
    return specs


def seed_organisations():
    """Create the demo organisations with contacts; returns them in a stable order."""
    sectors = {s.code: s for s in Sector.objects.all()}
    towns = {m.slug: m for m in Municipality.objects.all()}
    parks_by_town = {}
    for park in Park.objects.select_related("municipality"):
        parks_by_town.setdefault(park.municipality.slug, []).append(park)
    tags_by_code = {p[0]: p[3] for p in PROFILES}
    orgs = []
    for i, (name, code, town, park_slug, employees) in enumerate(_organisation_specs()):
        slug = slugify(name)[:200]
        rng = random.Random(f"organisation-{slug}")  # per organisation: reruns stay identical
        parks = parks_by_town.get(town, [])
        park = next((p for p in parks if p.slug == park_slug), None) if park_slug else (
            rng.choice(parks) if parks and rng.random() < 0.7 else None)
        legal = name
        trade = name.rsplit(" ", 1)[0]
        desc_word = sectors[code].name_fr.lower()
        founded = rng.randint(1955, 2018)
        # Keyed on the NEQ (stable per position) so reruns, even after the name list
        # changes, never create a second company.
        org, created = Organisation.objects.get_or_create(neq=f"11{60000000 + i * 137:08d}",
                                                          defaults={
            "legal_name": legal, "trade_name": trade, "slug": slug,
            "primary_sector": sectors[code], "employees": employees,
            "municipality": towns[town], "park": park,
            "street": f"{rng.randint(100, 4999)}, {rng.choice(STREET_KINDS)} "
                      f"{rng.choice(STREETS)}",
            "postal_code": rng.choice(["G7K 1A1", "G7H 5B1", "G7S 4L5", "G7B 3N8", "G8B 5V3",
                                       "G8H 1P4", "G8L 2T9", "G8K 1S9"]),
            "phone": f"418-{rng.randint(540, 699)}-{rng.randint(1000, 9999)}",
            "email": f"info@{slug[:40]}.example", "website": f"https://{slug[:40]}.example",
            "description_fr": f"{trade} : {desc_word}, au service de l'industrie régionale "
                              f"depuis {founded}.",
            "description_en": f"{trade}: {sectors[code].name_en.lower()} serving the region's "
                              f"industry.",
            "founded_year": founded,
            "certifications": rng.choice(["", "", "ISO 9001", "ISO 9001, ISO 14001",
                                          "CWB W47.1", "ISO 45001"]),
        })
        if created:
            tags = []
            for tag_name in rng.sample(tags_by_code[code], k=min(3, len(tags_by_code[code]))):
                tag, _ = Tag.objects.get_or_create(slug=slugify(tag_name),
                                                   defaults={"name": tag_name})
                tags.append(tag)
            org.tags.set(tags)
            org.save()  # refresh search text with tags
            for k in range(rng.randint(1, 3)):
                first, last = rng.choice(FIRST), rng.choice(LAST)
                contact = Contact.objects.create(
                    first_name=first, last_name=last,
                    email=f"{_email_part(first)}.{_email_part(last)}{k or ''}@{slug[:40]}.example",
                    phone=f"418-{rng.randint(540, 699)}-{rng.randint(1000, 9999)}",
                    language="en" if rng.random() < 0.08 else "fr-ca")
                Affiliation.objects.create(contact=contact, organisation=org,
                                           title=rng.choice(TITLES), is_admin=k == 0,
                                           is_primary=k == 0, is_billing=k == 0)
        orgs.append(org)
    return orgs


def _membership(org, mtype, start, *, renewal, issued_on, paid_on, today):
    end = periods.period_for(kind=mtype.period_kind, start=start,
                             fiscal_month=mtype.fiscal_start_month,
                             fiscal_day=mtype.fiscal_start_day)[1]
    m, created = Membership.objects.get_or_create(
        organisation=org, period_start=start,
        defaults={"membership_type": mtype, "period_end": end, "is_renewal": renewal,
                  "status": Membership.Status.APPROVED, "fee_cents": fee_for(mtype, org),
                  "applied_at": timezone.make_aware(datetime.combine(issued_on, time()))})
    if not created or m.invoice_id:
        return m
    invoice = billing.invoice_create(
        organisation=org, source=f"membership:{m.pk}", on=issued_on, render_pdf=False,
        lines=[billing.Line(f"Adhésion {mtype.name_fr}, {start:%Y-%m-%d} au {end:%Y-%m-%d}",
                            m.fee_cents, 1, mtype.taxable)])
    m.invoice = invoice
    m.status = Membership.Status.INVOICED
    m.save(update_fields=["invoice", "status"])
    if paid_on and paid_on <= today:
        billing.payment_record(invoice=invoice, amount_cents=invoice.total_cents,
                               method=random.Random(m.pk).choice(["cheque", "transfer", "card"]),
                               received_on=paid_on, reference=f"DEMO-{m.pk}")
    return m


def seed_memberships(orgs, regular, partner, today=None):
    """Two years of dues: most paid, some renewals unpaid (grace), some lapsed."""
    today = today or timezone.localdate()
    current_start, _ = periods.period_for(kind="fiscal", start=today, fiscal_month=7)
    starts = [periods.add_years(current_start, -2), periods.add_years(current_start, -1),
              current_start]
    receiver_was_connected = invoice_paid.disconnect(dispatch_uid="members.on_invoice_paid")
    try:
        for i, org in enumerate(orgs):
            rng = random.Random(f"membership-{org.slug}")
            roll = rng.random()
            if i == 0:
                profile = "loyal"
            elif roll < 0.05:
                profile = "prospect"
            elif roll < 0.07:
                profile = "applicant"
            elif roll < 0.10:
                profile = "partner"
            elif roll < 0.16:
                profile = "lapsed"
            elif roll < 0.30:
                profile = "grace"
            elif roll < 0.38:
                profile = "new"
            else:
                profile = "loyal"
            if profile == "prospect" or org.memberships.exists():
                continue
            with transaction.atomic():
                _seed_org_memberships(org, profile, starts, regular, partner, rng, today)
    finally:
        if receiver_was_connected:
            from alliage.members.services import on_invoice_paid

            invoice_paid.connect(on_invoice_paid, dispatch_uid="members.on_invoice_paid")
    for org in Organisation.objects.all():
        refresh_organisation(org, today)


def _seed_org_memberships(org, profile, starts, regular, partner, rng, today):
    def paid(start):
        return start - timedelta(days=30) + timedelta(days=rng.randint(5, 80))

    if profile == "applicant":
        start, end = periods.period_for(kind="fiscal", start=today, fiscal_month=7)
        Membership.objects.create(organisation=org, membership_type=regular, period_start=start,
                                  period_end=end, status=Membership.Status.APPLIED,
                                  fee_cents=fee_for(regular, org), applied_at=timezone.now(),
                                  application={"message": "Nous souhaitons joindre le réseau."})
        return
    if profile == "partner":
        start = today - timedelta(days=rng.randint(30, 300))
        _membership(org, partner, start, renewal=False, issued_on=start,
                    paid_on=start + timedelta(days=10), today=today)
        return
    history = {"loyal": starts, "grace": starts, "new": starts[1:], "lapsed": starts[:2]}[profile]
    for k, start in enumerate(history):
        last = k == len(history) - 1
        renewal = k > 0
        issued = (start - timedelta(days=30) if renewal
                  else start + timedelta(days=rng.randint(0, 60)))
        if profile == "grace" and last or profile == "lapsed" and last:
            paid_on = None
        else:
            paid_on = paid(start) if renewal else issued + timedelta(days=rng.randint(3, 40))
        _membership(org, regular, start, renewal=renewal, issued_on=min(issued, today),
                    paid_on=paid_on, today=today)


def demo_person(*, email, first_name, last_name, organisation_slug=None, admin=False):
    """The person behind a demo login (``accounts.seed``), found by email or created; with an
    organisation, their current affiliation to it (idempotent)."""
    contact, _ = Contact.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name})
    if organisation_slug:
        org = Organisation.objects.get(slug=organisation_slug)
        Affiliation.objects.update_or_create(
            contact=contact, organisation=org, ended_on=None,
            defaults={"is_admin": admin, "title": "Présidente" if admin else "Acheteur",
                      "is_billing": False})
    return contact


def seed():
    """The demo's members part (``alliage.demo.seeds``): sectors, membership types, the
    organisations in one transaction, then two years of dues."""
    with transaction.atomic():
        seed_sectors()
        regular, partner = seed_membership_types()
        orgs = seed_organisations()
    seed_memberships(orgs, regular, partner)
    return [(len(orgs), "organisations"),
            (Organisation.objects.members().count(), "current members")]
