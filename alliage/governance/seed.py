"""Demo governance: the last assemblies of the two former associations (2019-06-13 and
2019-12-10, seed facts), the 2020 AGA of constitution of Alliage 02 with its resolutions and
the election of the first board (nine seats), and that board. People are fictional; the
AGA's day is illustrative (the seed facts give the year only)."""

import random
from datetime import date, datetime, time

from django.utils import timezone

from alliage.governance.models import (
    Assembly,
    Attendance,
    Ballot,
    BoardMember,
    Bylaws,
    Candidate,
    Election,
    Proxy,
    Resolution,
    VoterMark,
)
from alliage.members.models import Organisation
from alliage.surveys.services import shuffle_rows

CANDIDATES = ["Marie-Ève Bouchard", "Jean-François Tremblay", "Nadia Gagnon", "Luc Simard",
              "Sophie Lavoie", "Patrick Girard", "Isabelle Côté", "Mathieu Harvey",
              "Caroline Fortin", "Éric Bergeron", "Julie Dufour"]
ROLES = ["president", "vice_president", "treasurer", "secretary"]
RESOLUTIONS = [
    ("Ratification de la fusion de l'AEPIHS et de la SFR", "two_thirds", (41, 2, 2)),
    ("Adoption des règlements généraux d'Alliage 02", "two_thirds", (43, 1, 1)),
    ("Nomination de l'auditeur pour l'exercice 2020-2021", "simple", (38, 3, 4)),
]


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed():
    Bylaws.current()
    for title, day in (("Dernière AGA de l'AEPIHS", date(2019, 6, 13)),
                       ("Dernière AGA de la SFR", date(2019, 12, 10))):
        Assembly.objects.get_or_create(title_fr=title, defaults=dict(
            starts_at=_at(day, 17), place="Chicoutimi", status=Assembly.Status.CLOSED,
            agenda_fr="Assemblée d'une des deux associations fondatrices."))
    aga, created = Assembly.objects.get_or_create(
        title_fr="AGA de constitution d'Alliage 02", defaults=dict(
            title_en="Founding general assembly of Alliage 02",
            starts_at=_at(date(2020, 6, 17), 16), place="Chicoutimi (en ligne, COVID-19)",
            agenda_fr="1. Ouverture et quorum\n2. Ratification de la fusion\n3. Règlements "
                      "généraux\n4. Nomination de l'auditeur\n5. Élection du premier conseil\n"
                      "6. Levée de l'assemblée",
            status=Assembly.Status.CONVENED, convened_at=_at(date(2020, 5, 27), 9)))
    if created:
        _hold(aga)
    return [(Ballot.objects.count(), "ballots"), (BoardMember.objects.count(),
                                                  "board members")]


def _hold(aga):
    rng = random.Random(20200617)
    members = list(Organisation.objects.members().order_by("pk")[:50])
    present, givers = members[:45], members[45:50]
    for org in present:
        contact = org.affiliations.filter(ended_on__isnull=True).order_by("pk").first()
        Attendance.objects.create(assembly=aga, organisation=org,
                                  representative=contact.contact if contact else None,
                                  mode=rng.choice(["online", "online", "in_person"]),
                                  checked_in_at=aga.starts_at)
    for i, org in enumerate(givers):
        Proxy.objects.create(assembly=aga, giver=org, holder=present[i])
    voters = len(present) + len(givers)
    for number, (title, majority, (pour, contre, abst)) in enumerate(RESOLUTIONS, start=1):
        scale = min(1, voters / 45)
        votes = [round(pour * scale), round(contre * scale), round(abst * scale)]
        from alliage.governance.services import adopted

        Resolution.objects.create(
            assembly=aga, number=number, title_fr=title, majority=majority,
            votes_for=votes[0], votes_against=votes[1], abstentions=votes[2],
            outcome="adopted" if adopted(majority, votes[0], votes[1]) else "rejected")
    election = Election.objects.create(
        title_fr="Élection du premier conseil d'administration",
        title_en="Election of the first board", assembly=aga, seats=9,
        opens_at=aga.starts_at, closes_at=_at(aga.starts_at.date(), 18),
        status=Election.Status.PUBLISHED)
    candidates = [Candidate.objects.create(
        election=election, full_name=name,
        organisation=members[i * 3] if i * 3 < len(members) else None,
        statement_fr="Engagé·e pour une seule place d'affaires régionale.")
        for i, name in enumerate(CANDIDATES)]
    weights = [10, 9, 9, 8, 8, 7, 7, 6, 6, 3, 2]
    for org in present + givers:
        VoterMark.objects.create(election=election, organisation=org)
        chosen = set()
        while len(chosen) < rng.randint(6, 9):
            chosen.add(rng.choices(candidates, weights=weights)[0].pk)
        Ballot.objects.create(election=election, choices=sorted(chosen))
    shuffle_rows(Ballot.objects.filter(election=election))
    from alliage.governance.elections import tally

    elected = [c for c, _n, won in tally(election).rows if won]
    for i, c in enumerate(elected):
        BoardMember.objects.create(
            full_name=c.full_name, organisation=c.organisation, election=election,
            role=ROLES[i] if i < len(ROLES) else "director",
            term_start=date(2020, 6, 17), term_end=date(2022, 6, 17) if i % 2 else
            date(2021, 6, 17))
    aga.members_at_close = Organisation.objects.members().count()
    aga.status = Assembly.Status.CLOSED
    aga.save(update_fields=["members_at_close", "status"])
