"""The founding year of the demo association (2019-12-01 → 2020-06-30), so that its activity
report can be generated from the data (issue #20's acceptance case, ``../shared/SEED-FACTS.md``):
the first memberships of the 300+ members, the suppliers' meetup and the golf tournament, the
newsletters sent since the pandemic began, the first enrolments in the employee-assistance
plan, and the first report's texts (mission, vision, values). Runs after every other app's
seed; idempotent."""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

FOUNDED = date(2019, 12, 1)
FIRST_YEAR_END = date(2020, 6, 30)


def _aware(day, hour=9):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed_memberships():
    """Every company that was ever a member joined at the merger (one period to 2020-06-30)."""
    from alliage.billing.signals import invoice_paid
    from alliage.members.models import Membership, MembershipType, Organisation
    from alliage.members.seed import _membership

    regular = MembershipType.objects.filter(code="regulier").first()
    if regular is None or Membership.objects.filter(period_start=FOUNDED).exists():
        return Membership.objects.filter(period_start=FOUNDED).count()
    orgs = Organisation.objects.filter(member_status__in=["active", "grace", "lapsed"]) \
        .order_by("pk")
    connected = invoice_paid.disconnect(dispatch_uid="members.on_invoice_paid")
    try:
        with transaction.atomic():
            for org in orgs:
                rng = random.Random(f"founding-{org.pk}")
                issued = FOUNDED + timedelta(days=rng.randint(0, 20))
                m = _membership(org, regular, FOUNDED, renewal=False, issued_on=issued,
                                paid_on=issued + timedelta(days=rng.randint(3, 45)),
                                today=timezone.localdate())
                Membership.objects.filter(pk=m.pk).update(
                    period_end=FIRST_YEAR_END, status=Membership.Status.ENDED)
    finally:
        if connected:
            from alliage.members.services import on_invoice_paid

            invoice_paid.connect(on_invoice_paid, dispatch_uid="members.on_invoice_paid")
    return Membership.objects.filter(period_start=FOUNDED).count()


def seed_events():
    """The 2020 suppliers' meetup (before the emergency) and the golf tournament."""
    from alliage.core.models import Municipality
    from alliage.events.seed import _at, _event, _fill

    towns = {m.slug: m for m in Municipality.objects.all()}
    rng = random.Random(2019)
    history = [
        ("rendez-vous-equipementiers-2020", dict(
            kind="suppliers", title_fr="Rendez-vous des équipementiers 2020",
            title_en="Suppliers' meetup 2020", starts_at=_at(date(2020, 2, 20), 9),
            ends_at=_at(date(2020, 2, 20), 16), venue_name="Centre des congrès",
            municipality=towns.get("jonquiere"), capacity=200,
            tickets=[("Visiteur", 0, 2500)]), 164),
        ("golf-alliage-2020", dict(
            kind="golf", title_fr="Tournoi de golf Alliage 02 2020",
            title_en="Alliage 02 golf tournament 2020", starts_at=_at(date(2020, 6, 18), 8),
            ends_at=_at(date(2020, 6, 18), 18), venue_name="Club de golf Saguenay",
            municipality=towns.get("chicoutimi"), capacity=144,
            tickets=[("Golfeur", 22500, 27500)]), 112),
    ]
    for slug, values, attendees in history:
        event, created = _event(slug, status="published", **values)
        if created:
            _fill(event, attendees, rng)
    return len(history)


def seed_newsletters():
    """Newsletters: monthly from January 2020, weekly once the emergency was declared."""
    from alliage.mailing.models import Campaign, Delivery, MailingList, Subscriber

    if Campaign.objects.filter(title__startswith="Info-Alliage 2020").exists():
        return Campaign.objects.filter(title__startswith="Info-Alliage 2020").count()
    days = [date(2020, 1, 15), date(2020, 2, 14)]
    day = date(2020, 3, 16)
    while day <= FIRST_YEAR_END:
        days.append(day)
        day += timedelta(days=7)
    from alliage.mailing.models import ConsentEvent, Post, Subscription

    first_list = MailingList.objects.order_by("pk").first()
    readers = list(Subscriber.objects.order_by("pk")[:240])
    rng = random.Random(2020)
    with transaction.atomic():
        # The readers of 2020 subscribed at the merger or during the first months (their
        # consent dated the same day), so the subscriber figures tell the same story.
        for n, reader in enumerate(readers):
            joined = _aware(FOUNDED + timedelta(days=min(n // 2, 120) + rng.randint(0, 3)))
            for subscription in Subscription.objects.filter(subscriber=reader,
                                                            mailing_list=first_list):
                Subscription.objects.filter(pk=subscription.pk).update(
                    requested_at=joined, confirmed_at=joined)
                ConsentEvent.objects.filter(email=reader.email, mailing_list=first_list,
                                            kind="express").update(occurred_at=joined)
        for day, kind, title in [
                (date(2019, 12, 2), "press", "Naissance d'Alliage 02 : deux associations "
                                             "industrielles unissent leurs forces"),
                (date(2020, 2, 7), "news", "Salle comble au 5@7 « La société régionale en "
                                           "caricatures »"),
                (date(2020, 3, 16), "news", "COVID-19 : les mesures d'aide aux entreprises"),
                (date(2020, 5, 27), "news", "Retour sur le webinaire sur la fraude"),
                (date(2020, 6, 10), "press", "Premier salon industriel virtuel au Canada")]:
            Post.objects.get_or_create(slug=f"2020-{day:%m%d}-{kind}", defaults=dict(
                kind=kind, title_fr=title, body_fr=title + ".",
                published_at=_aware(day, 10)))
        for n, day in enumerate(days, start=1):
            covid = day >= date(2020, 3, 14)
            campaign = Campaign.objects.create(
                title=f"Info-Alliage 2020 nº {n}",
                subject_fr="Info-Alliage spécial COVID-19 : mesures d'aide et nouvelles"
                if covid else "Les nouvelles d'Alliage 02",
                subject_en="Info-Alliage COVID-19 special" if covid else "Alliage 02 news",
                body_fr="Bonjour {{prenom}},\n\nLes programmes d'aide aux entreprises de la "
                        "semaine et les activités reportées." if covid else
                        "Bonjour {{prenom}},\n\nLes activités du mois.",
                status="sent", started_at=_aware(day), finished_at=_aware(day, 10))
            if first_list:
                campaign.lists.add(first_list)
            sent = readers[: 180 + 2 * n]
            bounced = {s.pk for s in sent[::97]}
            Delivery.objects.bulk_create([Delivery(
                campaign=campaign, subscriber=s,
                status="bounced" if s.pk in bounced else "sent", sent_at=_aware(day, 10))
                for s in sent])
    return len(days)


def seed_assistance_plan():
    """The first companies enrolled in the employee-assistance plan in 2020."""
    from alliage.advantages.models import Advantage, Enrolment
    from alliage.members.models import Organisation

    pae = Advantage.objects.filter(slug="pae").first()
    if pae is None:
        return 0
    orgs = list(Organisation.objects.filter(member_status="active").order_by("-employees",
                                                                             "pk")[20:32])
    rng = random.Random(2020)
    made = 0
    for i, org in enumerate(orgs):
        start = date(2020, 1 + i // 2, 1)
        employees = org.employees or rng.randint(5, 60)
        _obj, created = Enrolment.objects.get_or_create(
            advantage=pae, organisation=org, period_start=start,
            defaults={"employees": employees, "period_end": date(start.year + 1, start.month,
                                                                 1) - timedelta(days=1),
                      "price_cents": 4200 * employees})
        made += created
    return len(orgs)


def seed_first_report():
    """The draft report of the founding year, with the association's own words."""
    from alliage.reports.models import ActivityReport

    report, _created = ActivityReport.objects.get_or_create(
        start=FOUNDED, end=FIRST_YEAR_END, defaults=dict(
            title_fr="Rapport d'activités 2019-2020", title_en="Activity report 2019-2020",
            context_fr="Alliage 02 est née le 1er décembre 2019 de la fusion de l'association "
                       "des entreprises du parc industriel du Haut-Saguenay et de la Société "
                       "des fabricants régionaux. Ce premier rapport couvre sept mois "
                       "d'activité, dont plus de trois sous l'état d'urgence sanitaire déclaré "
                       "le 14 mars 2020.",
            context_en="Alliage 02 was born on 1 December 2019 from the merger of two "
                       "associations. This first report covers seven months, more than three "
                       "of them under the health emergency declared on 14 March 2020.",
            president_word_fr="Au nom du conseil d'administration, merci aux membres qui ont "
                              "fait confiance à la nouvelle association dès sa fondation.",
            director_word_fr="Une première année hors du commun : lancement, pandémie, "
                             "virage numérique. L'équipe permanente a gardé le contact avec "
                             "chaque membre.",
            mission_fr="Travailler en synergie industrielle et innover pour faire rayonner "
                       "nos membres, afin de créer de la richesse dans la région.",
            mission_en="Work on industrial synergy and innovate to make our members shine, "
                       "to create wealth in the region.",
            vision_fr="Une force régionale reconnue, incontournable pour le développement et "
                      "l'innovation, qui soutient la croissance de ses membres et positionne "
                      "la région pour accueillir de nouvelles usines.",
            values_fr="Collaboration · Respect · Dynamisme · Cohérence · Fierté",
            # What no figure says, as staff would note it under the sections.
            notes={
                "symbiosis": {"fr": "Projet « ISI Alliage 02 » soumis au programme de "
                                    "l'agence provinciale de recyclage, avec un regroupement "
                                    "de 4 organismes sans but lucratif : caractérisation des "
                                    "matières résiduelles et évaluation des besoins des "
                                    "entreprises, en 4 axes d'intervention, dans la relance "
                                    "post-COVID."},
                "activities": {"fr": "Délégation conjointe avec la Capitale-Nationale au "
                                     "salon des meilleures pratiques d'affaires (MPA) à "
                                     "Montréal; appui au mouvement d'achat local « Je crois "
                                     "en ma région »; plusieurs activités reportées à cause "
                                     "de la COVID-19."},
                "training": {"fr": "Formations offertes avec le service de formation "
                                   "continue du cégep, guichet unique de formation sur "
                                   "mesure; la première cohorte Efficacité 2 a reçu ses "
                                   "attestations le 28 août 2020."}},
            values_en="Collaboration · Respect · Dynamism · Coherence · Pride"))
    return 1


def seed():
    """The demo's founding year (``alliage.demo.seeds``)."""
    return [(seed_memberships(), "founding memberships (2019-2020)"),
            (seed_events(), "2020 events added"),
            (seed_newsletters(), "2020 newsletters"),
            (seed_assistance_plan(), "2020 PAE enrolments"),
            (seed_first_report(), "draft activity report")]
