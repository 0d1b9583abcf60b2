"""Demo fair data: the June 2020 virtual industrial fair (five pavilions, ~40 exhibitors, visits
and leads) and the coming suppliers' meetup with its B2B requests and a placed schedule.
Idempotent and deterministic (``alliage.demo.seeds``)."""

import random
from datetime import datetime, time

from django.db.models import F
from django.utils import timezone

from alliage.events.models import Event, Order, Registration
from alliage.fair.models import Booth, BoothVisit, Fair, Lead, MeetingRequest, Pavilion
from alliage.members.models import Contact, Organisation

PAVILIONS = [
    ("manufacturiers", "Manufacturiers", "Manufacturers"),
    ("associations", "Associations", "Associations"),
    ("financement-soutien", "Financement et soutien", "Financing and support"),
    ("technologies", "Technologies", "Technologies"),
    ("services", "Services", "Services"),
]


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _pavilion_for(org):
    code = org.primary_sector.code if org.primary_sector_id else ""
    if code.startswith(("31", "32", "33")):
        return "manufacturiers"
    if code.startswith("5415") or code.startswith("51"):
        return "technologies"
    if code.startswith("52"):
        return "financement-soutien"
    if code.startswith("813"):
        return "associations"
    return "services"


def seed_fair_2020():
    from datetime import date

    fair, _created = Fair.objects.get_or_create(slug="salon-virtuel-2020", defaults=dict(
        title_fr="Salon industriel virtuel 2020", title_en="Virtual industrial fair 2020",
        description_fr="Le premier salon industriel virtuel au Canada : des kiosques dans "
                       "cinq pavillons, des salles vidéo et des rencontres d'affaires.",
        description_en="Canada's first virtual industrial fair: booths in five pavilions, "
                       "video rooms and business meetings.",
        status=Fair.Status.PUBLISHED, starts_at=_at(date(2020, 6, 9), 9),
        ends_at=_at(date(2020, 6, 11), 17), opening_hours="9 h à 17 h",
        meetings_start=_at(date(2020, 6, 10), 9), meetings_end=_at(date(2020, 6, 10), 12),
        slot_minutes=20, tables=10))
    pavilions = {}
    for position, (slug, fr, en) in enumerate(PAVILIONS):
        pavilions[slug], _c = Pavilion.objects.get_or_create(
            fair=fair, slug=slug, defaults={"name_fr": fr, "name_en": en,
                                            "position": position})
    orgs = list(Organisation.objects.members().select_related("primary_sector")
                .order_by("pk")[:40])
    rng = random.Random(2020)
    for org in orgs:
        booth, created = Booth.objects.get_or_create(fair=fair, organisation=org, defaults={
            "pavilion": pavilions[_pavilion_for(org)],
            "description_fr": org.description_fr or org.display_name,
            "description_en": org.description_en,
            "products": "\n".join(rng.sample(PRODUCTS, 3)),
            "capabilities": "\n".join(rng.sample(CAPABILITIES, 2)),
            "video_url": f"https://video.example/{org.slug}",
            "room_url": f"https://salle.example/{org.slug}",
            "contact": org.contacts.order_by("pk").first()})
        if created:
            booth.team.set(org.contacts.filter(affiliations__organisation=org,
                                               affiliations__ended_on__isnull=True)
                           .order_by("pk")[:3])
            visitors = list(Contact.objects.exclude(organisations=org).order_by("pk")[:30])
            for contact in rng.sample(visitors, min(len(visitors), rng.randint(3, 12))):
                BoothVisit.objects.create(booth=booth, contact=contact,
                                          visited_on=fair.starts_at.date())
                if contact.email and rng.random() < 0.3:
                    Lead.objects.create(
                        booth=booth, contact=contact, name=contact.full_name,
                        email=contact.email, consent_text=CONSENT % org.display_name,
                        consented_at=fair.starts_at, message="Intéressé par vos services.")
    return fair


PRODUCTS = ["Usinage CNC", "Soudure robotisée", "Pièces de rechange", "Convoyeurs",
            "Entretien industriel", "Structures d'acier", "Hydraulique", "Automatisation",
            "Formation en santé-sécurité", "Financement de projets", "Logiciel de maintenance",
            "Inspection par drone", "Valorisation des résidus", "Transport lourd"]
CAPABILITIES = ["Grandes pièces jusqu'à 10 m", "Certifié ISO 9001", "Service 24/7",
                "Conception et fabrication", "Prototypage rapide", "Chantiers en région"]
CONSENT = ("J'accepte que %s reçoive mes nom, courriel, téléphone et entreprise et me "
           "contacte au sujet de l'offre présentée au salon.")


def seed_meetup():
    """The coming suppliers' meetup (an event of the events app) with B2B meetings."""
    from alliage.fair import services
    from alliage.fair.models import ScheduleRun
    from alliage.fair.scheduling import schedule_run

    event = Event.objects.filter(slug="rendez-vous-equipementiers").first()
    if event is None:
        return None
    day = timezone.localtime(event.starts_at).date()
    fair, created = Fair.objects.get_or_create(slug="rendez-vous-equipementiers", defaults=dict(
        title_fr="Rendez-vous des équipementiers : maillage",
        title_en="Suppliers' meetup: B2B meetings", event=event,
        status=Fair.Status.PUBLISHED, starts_at=event.starts_at, ends_at=event.ends_at,
        meetings_start=_at(day, 9), meetings_end=_at(day, 12), slot_minutes=20, tables=6))
    if not created:
        return fair
    pav = Pavilion.objects.create(fair=fair, slug="equipementiers", name_fr="Équipementiers",
                                  name_en="Suppliers")
    contacts = list(Contact.objects.filter(
        affiliations__ended_on__isnull=True,
        affiliations__organisation__member_status="active").exclude(email="")
        .distinct().order_by("pk")[:16])
    demo = list(Contact.objects.filter(email__in=["admin@usinage-du-fjord.example",
                                                  "contact@usinage-du-fjord.example"]))
    rng = random.Random(45)
    people = []
    ticket = event.ticket_types.order_by("pk").first()
    for contact in demo + [c for c in contacts + _symbiosis_pairs() if c not in demo]:
        org = contact.organisations.order_by("pk").first()
        if not Registration.objects.filter(event=event, contact=contact).exists():
            # Registered as the events app records it (the B2B meetings need it).
            order = Order.objects.create(event=event, buyer=contact, organisation=org,
                                         is_member_price=True)
            Registration.objects.create(order=order, event=event, ticket_type=ticket,
                                        contact=contact, price_cents=0)
        people.append(services.participant_save(
            fair=fair, contact=contact, organisation=org,
            offers=", ".join(rng.sample(PRODUCTS, 2)), seeks=", ".join(rng.sample(PRODUCTS, 2)),
            busy_slots=rng.sample(range(fair.slot_count), 2)))
        if org is not None and not Booth.objects.filter(fair=fair, organisation=org).exists() \
                and len(people) <= 8:
            Booth.objects.create(fair=fair, pavilion=pav, organisation=org,
                                 description_fr=org.description_fr, contact=contact,
                                 products="\n".join(rng.sample(PRODUCTS, 3))
                                 ).team.set([contact])
    for a in people:
        for b in rng.sample(people, 4):
            if a.pk == b.pk or a.organisation_id == b.organisation_id \
                    or MeetingRequest.objects.filter(
                    requester__in=[a, b], recipient__in=[a, b]).exists():
                continue
            r = MeetingRequest.objects.create(fair=fair, requester=a, recipient=b,
                                              reason="Discuter d'un approvisionnement local.",
                                              must_meet=rng.random() < 0.2)
            if rng.random() < 0.75:
                r.status = MeetingRequest.Status.ACCEPTED
                r.answered_at = timezone.now()
                r.save(update_fields=["status", "answered_at"])
    run = ScheduleRun.objects.create(fair=fair)
    schedule_run(run_id=run.pk, time_limit=2.0)
    return fair


def _symbiosis_pairs(count=3):
    """A person of each side of a few named symbiosis matches, so that the meetup's
    suggestions show matches of the symbiosis engine (seeded before the fair)."""
    from alliage.symbiosis.models import Confidentiality, Match

    hidden = [Confidentiality.ANONYMOUS, Confidentiality.STAFF]
    matches = (Match.objects.current().filter(offer__status="published",
                                              need__status="published")
               .exclude(offer__confidentiality__in=hidden)
               .exclude(need__confidentiality__in=hidden)
               .exclude(offer__organisation=F("need__organisation"))
               .select_related("offer", "need").order_by("-score", "pk")[:count])
    out = []
    for m in matches:
        for org_id in (m.offer.organisation_id, m.need.organisation_id):
            contact = (Contact.objects.filter(affiliations__organisation_id=org_id,
                                              affiliations__ended_on__isnull=True)
                       .exclude(email="").order_by("pk").first())
            if contact is not None and contact not in out:
                out.append(contact)
    return out


def seed():
    """The demo's fair part (``alliage.demo.seeds``)."""
    seed_fair_2020()
    seed_meetup()
    return [(Fair.objects.count(), "fairs"), (Booth.objects.count(), "booths")]

