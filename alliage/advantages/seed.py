"""Demo advantages from the seed facts: the PAE (price per employee, 5 h for the employee or
manager, the spouse and each child), group insurance by size, partner discounts, group
purchases (one open, one closed with its savings), pooled resources with bookings, the
shared collection with a done round and weights. Idempotent and deterministic."""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from alliage.advantages import collection, pricing
from alliage.advantages.models import (
    Advantage,
    Booking,
    CollectionSubscription,
    DiscountClaim,
    Enrolment,
    GroupPurchase,
    Pledge,
    PledgeChange,
    PriceTier,
    SharedResource,
    UsageReport,
    VolumeTier,
)
from alliage.advantages.services import one_year


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _programs(members, rng, today):
    pae = Advantage.objects.create(
        slug="pae", name_fr="Programme d'aide aux employés (PAE)",
        name_en="Employee assistance program (EAP)",
        provider="Clinique de psychologie du travail", pricing_rule="per_employee",
        price_cents=4200, hours_employee=5, hours_spouse=5, hours_child=5,
        description_fr="Consultations psychologiques confidentielles pour vos employés et "
                       "leur famille : 5 heures pour l'employé ou le gestionnaire, 5 heures pour "
                       "le conjoint et 5 heures pour chaque enfant. Abordable même pour les plus "
                       "petites entreprises; adhésion en tout temps.",
        conditions_fr="Entreprises membres en règle. Prix par employé par année, taxes en sus.")
    insurance = Advantage.objects.create(
        slug="assurance-collective", name_fr="Assurance collective regroupée",
        name_en="Pooled group insurance", provider="Courtier régional", pricing_rule="tiered",
        description_fr="Frais d'administration du régime regroupé selon la taille de "
                       "l'entreprise.")
    for lo, hi, cents in ((1, 19, 45000), (20, 99, 110000), (100, None, 260000)):
        PriceTier.objects.create(advantage=insurance, min_employees=lo, max_employees=hi,
                                 price_cents=cents)
    for slug, name, provider, code in (
            ("rabais-fournitures", "Fournitures de bureau : 15 % de rabais", "Bureau Plus SLSJ",
             "ALLIAGE15"),
            ("rabais-carburant", "Carte carburant : 4 ¢ le litre", "Pétrolière régionale", "")):
        Advantage.objects.create(kind="discount", slug=slug, name_fr=name, provider=provider,
                                 discount_code=code,
                                 discount_contact="" if code else "Service aux entreprises, "
                                 "418 555-0140")
    start = today - timedelta(days=200)
    for org in members[:14]:
        employees = org.employees or rng.randint(5, 60)
        Enrolment.objects.create(advantage=pae, organisation=org, employees=employees,
                                 period_start=start, period_end=one_year(start),
                                 price_cents=4200 * employees)
    for org in members[14:20]:
        employees = org.employees or rng.randint(5, 60)
        bands = [pricing.SizeBand(t.min_employees, t.max_employees, t.price_cents)
                 for t in insurance.tiers.all()]
        Enrolment.objects.create(advantage=insurance, organisation=org, employees=employees,
                                 period_start=start, period_end=one_year(start),
                                 price_cents=pricing.yearly_price("tiered", price_cents=0,
                                                                  employees=employees,
                                                                  bands=bands))
    for quarter, sessions in ((1, 31), (2, 27), (3, 35)):
        UsageReport.objects.create(advantage=pae, year=today.year,
                                   quarter=quarter, sessions=sessions,
                                   hours=Decimal(sessions) * Decimal("1.5"))
    discount = Advantage.objects.get(slug="rabais-fournitures")
    for org in members[3:12]:
        DiscountClaim.objects.create(advantage=discount, organisation=org,
                                     claimed_at=timezone.now() - timedelta(days=rng.randint(1,
                                                                                            300)))


def _purchases(members, rng, today):
    gloves = GroupPurchase.objects.create(
        slug="gants-protection", title_fr="Gants de protection anti-coupure",
        title_en="Cut-resistant gloves", supplier="Équipements de sécurité du Saguenay",
        unit="paire", list_price_cents=1450, minimum_quantity=300,
        deadline=_at(today + timedelta(days=12), 17),
        description_fr="Gants ANSI A4, tailles 7 à 11. Livraison groupée à l'entrepôt de "
                       "l'association.")
    for q, cents in ((300, 1250), (800, 1090), (1500, 980)):
        VolumeTier.objects.create(purchase=gloves, min_quantity=q, unit_price_cents=cents)
    for org in members[:9]:
        qty = rng.choice((40, 60, 80, 100))
        p = Pledge.objects.create(purchase=gloves, organisation=org, quantity=qty)
        PledgeChange.objects.create(pledge=p, quantity_before=0, quantity_after=qty)
    diesel = GroupPurchase.objects.create(
        slug="diesel-hiver", title_fr="Diesel d'hiver", title_en="Winter diesel",
        supplier="Pétrolière régionale", unit="litre", list_price_cents=182,
        minimum_quantity=20000, deadline=_at(today - timedelta(days=60), 17),
        status=GroupPurchase.Status.CLOSED, closed_at=_at(today - timedelta(days=60), 18),
        final_unit_price_cents=167)
    for q, cents in ((20000, 172), (50000, 167)):
        VolumeTier.objects.create(purchase=diesel, min_quantity=q, unit_price_cents=cents)
    for org in members[5:15]:
        p = Pledge.objects.create(purchase=diesel, organisation=org,
                                  quantity=rng.randint(30, 80) * 100, unit_price_cents=167)
        PledgeChange.objects.create(pledge=p, quantity_before=0, quantity_after=p.quantity)


def _resources(members, host, today):
    lift = SharedResource.objects.create(kind="equipment", name_fr="Chariot élévateur 5 000 lb",
                                         name_en="5,000 lb forklift", hourly_rate_cents=3500,
                                         description_fr="Au parc industriel Haut-Saguenay.")
    SharedResource.objects.create(kind="equipment", name_fr="Numériseur 3D", owner=host,
                                  hourly_rate_cents=9000,
                                  description_fr="Numérisation de pièces, avec opérateur.")
    advisor = SharedResource.objects.create(
        kind="specialist", name_fr="Conseillère en ressources humaines partagée",
        monthly_cost_cents=640000, description_fr="Deux jours par semaine, sur rendez-vous.")
    SharedResource.objects.create(kind="transport", name_fr="Navette de livraison partagée",
                                  hourly_rate_cents=6500)
    for i, org in enumerate(members[:4]):
        day = today + timedelta(days=3 + 2 * i)
        Booking.objects.create(resource=lift, organisation=org, starts_at=_at(day, 8),
                               ends_at=_at(day, 12),
                               status=Booking.Status.APPROVED if i % 2 else "pending")
        Booking.objects.create(resource=advisor, organisation=org, starts_at=_at(day, 13),
                               ends_at=_at(day, 16), status=Booking.Status.APPROVED)


def _collection(members, rng, today):
    subs = []
    for i, org in enumerate(members[:12]):
        material = ("cardboard", "pallets", "metals")[i % 3]
        subs.append(CollectionSubscription.objects.create(
            organisation=org, material=material, estimated_kg=rng.randint(2, 20) * 50))
    cardboard = [s for s in subs if s.material == "cardboard"]
    if cardboard and all(s.organisation.map_point for s in cardboard):
        rnd = collection.round_plan(date=today - timedelta(days=20), material="cardboard",
                                    subscriptions=cardboard, actor=None, seconds=0.5,
                                    collector="Récupération régionale (OBNL)")
        collection.weights_record(round=rnd, weights={
            s.pk: Decimal(s.estimated_kg) * Decimal(rng.randint(80, 120)) / 100
            for s in rnd.stops.all()}, actor=None)


def seed_advantages(today=None):
    """Idempotent: does nothing when advantages already exist."""
    from alliage.members.models import Organisation

    if Advantage.objects.exists():
        return Advantage.objects.count()
    today = today or timezone.localdate()
    rng = random.Random(2020)
    host = Organisation.objects.filter(slug="usinage-du-fjord-inc").first()
    members = list(Organisation.objects.members().order_by("pk")[:40])
    if host is not None and host in members:
        members.remove(host)
        members.insert(0, host)
    _programs(members, rng, today)
    _purchases(members, rng, today)
    _resources(members, host, today)
    _collection(members, rng, today)
    return Advantage.objects.count()


def seed():
    """The demo's advantages part (``alliage.demo.seeds``)."""
    return [(seed_advantages(), "advantages")]



