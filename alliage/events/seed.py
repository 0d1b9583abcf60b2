"""Demo events: the 2019-2020 season of the seed facts, plus upcoming events from today."""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from alliage.core.models import Municipality
from alliage.events.models import Event, Order, Registration, Session, TicketType
from alliage.members.models import Contact, Organisation


def _at(day, hour=17, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _event(slug, **values):
    tickets = values.pop("tickets", [("Entrée", 0, 0)])
    sessions = values.pop("sessions", [])
    event, created = Event.objects.get_or_create(slug=slug, defaults=values)
    if created:
        for name, member, public in tickets:
            TicketType.objects.create(event=event, name_fr=name, member_price_cents=member,
                                      public_price_cents=public)
        for title, start, end in sessions:
            Session.objects.create(event=event, title=title, starts_at=start, ends_at=end)
    return event, created


def _fill(event, count, rng):
    """Past registrations (confirmed, most checked in), no invoices: history only."""
    contacts = list(Contact.objects.active().filter(
        affiliations__organisation__member_status__in=["active", "grace"],
        affiliations__ended_on__isnull=True).distinct().order_by("pk")[:count])
    ticket = event.ticket_types.first()
    for contact in contacts:
        org = contact.organisations.first()
        order = Order.objects.create(event=event, buyer=contact, organisation=org,
                                     is_member_price=True)
        Registration.objects.create(
            order=order, event=event, ticket_type=ticket, contact=contact,
            price_cents=ticket.member_price_cents,
            checked_in_at=event.starts_at if rng.random() < 0.9 else None)


def seed_events(today=None):
    today = today or timezone.localdate()
    rng = random.Random(2020)
    towns = {m.slug: m for m in Municipality.objects.all()}
    host = Organisation.objects.filter(slug="usinage-du-fjord-inc").first()
    from datetime import date

    history = [
        ("derniere-aga-sfr-2019", dict(kind="assembly", title_fr="Dernière AGA de la SFR",
         title_en="Last general meeting of the SFR (a founding association)",
         starts_at=_at(date(2019, 12, 10), 16),
         ends_at=_at(date(2019, 12, 10), 18), venue_name="Chicoutimi",
         municipality=towns["chicoutimi"]), 0),
        ("5a7-caricatures", dict(kind="networking",
         title_fr="5@7 « La société régionale en caricatures »",
         title_en="Networking cocktail: the region in caricatures",
         starts_at=_at(date(2020, 2, 6)), ends_at=_at(date(2020, 2, 6), 19),
         venue_name="Chicoutimi", municipality=towns["chicoutimi"], capacity=350,
         tickets=[("Entrée", 4500, 6500)]), 330),
        ("webinaire-fraude-2020", dict(kind="webinar",
         title_fr="Webinaire : abus financiers et stratagèmes de fraude",
         title_en="Webinar: financial abuse and fraud schemes",
         starts_at=_at(date(2020, 5, 26), 12), ends_at=_at(date(2020, 5, 26), 13),
         online_url="https://webinaire.example/fraude"), 60),
        ("efficacite-2-chicoutimi", dict(kind="training",
         title_fr="Efficacité 2 — cohorte Chicoutimi", title_en="Efficacité 2 — Chicoutimi",
         starts_at=_at(date(2020, 6, 5), 8), ends_at=_at(date(2020, 8, 28), 16),
         municipality=towns["chicoutimi"], trainer="Service de formation continue du cégep",
         partner="Cégep de Chicoutimi", capacity=16,
         tickets=[("Participant", 120000, 160000)],
         sessions=[(f"Module {i + 1}", _at(date(2020, 6, 5) + timedelta(weeks=2 * i), 8),
                    _at(date(2020, 6, 5) + timedelta(weeks=2 * i), 16)) for i in range(6)]), 14),
        ("efficacite-2-jonquiere", dict(kind="training",
         title_fr="Efficacité 2 — cohorte Jonquière", title_en="Efficacité 2 — Jonquière",
         starts_at=_at(date(2020, 8, 24), 8), ends_at=_at(date(2020, 11, 27), 16),
         municipality=towns["jonquiere"], capacity=16, tickets=[("Participant", 120000, 160000)]),
         12),
    ]
    for slug, values, attendees in history:
        event, created = _event(slug, status="published", **values)
        if created and attendees:
            _fill(event, attendees, rng)
    year = today.year + (1 if today.month > 6 else 0)
    upcoming = [
        ("golf-alliage", dict(kind="golf", title_fr=f"Tournoi de golf Alliage 02 {year}",
         title_en=f"Alliage 02 golf tournament {year}",
         starts_at=_at(date(year, 6, 12), 8), ends_at=_at(date(year, 6, 12), 18),
         venue_name="Club de golf Saguenay", capacity=144, municipality=towns["chicoutimi"],
         questions=["Handicap", "Restrictions alimentaires"],
         tickets=[("Golfeur", 22500, 27500), ("Souper seulement", 8500, 11000)])),
        ("rendez-vous-equipementiers", dict(kind="suppliers",
         title_fr="Rendez-vous des équipementiers", title_en="Suppliers' meetup",
         starts_at=_at(today + timedelta(days=45), 9), ends_at=_at(today + timedelta(days=45), 16),
         venue_name="Centre des congrès", municipality=towns["jonquiere"], capacity=200,
         tickets=[("Visiteur", 0, 2500), ("Exposant", 45000, 60000)])),
        ("visite-usinage-du-fjord", dict(kind="visit",
         title_fr="Visite industrielle : Usinage du Fjord",
         title_en="Plant visit: Usinage du Fjord",
         starts_at=_at(today + timedelta(days=21), 13),
         ends_at=_at(today + timedelta(days=21), 15), host_organisation=host,
         safety_requirements="Bottes de sécurité et lunettes fournies.", minimum_age=16,
         capacity=20, members_only=True, municipality=towns["chicoutimi"])),
        ("5a7-hiver", dict(kind="networking", title_fr="5@7 réseautage d'hiver",
         title_en="Winter networking evening", starts_at=_at(today + timedelta(days=14)),
         ends_at=_at(today + timedelta(days=14), 19), venue_name="Alma",
         municipality=towns["alma"], capacity=120, tickets=[("Entrée", 3500, 5500)])),
    ]
    for slug, values in upcoming:
        _event(slug, status="published", **values)
    return Event.objects.count()


def seed():
    """The demo's events part (``alliage.demo.seeds``)."""
    return [(seed_events(), "events")]
