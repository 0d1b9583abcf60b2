from datetime import timedelta

import pytest
from django.utils import timezone

from alliage.fair import services
from alliage.fair.models import Booth, Fair, Pavilion


def make_fair(**changes):
    start = timezone.now().replace(microsecond=0) + timedelta(days=10)
    values = {"title_fr": "Salon test", "slug": "salon-test", "status": "published",
              "starts_at": start, "ends_at": start + timedelta(days=1),
              "meetings_start": start, "meetings_end": start + timedelta(hours=2),
              "slot_minutes": 20, "tables": 2}
    values.update(changes)
    return Fair.objects.create(**values)


@pytest.fixture
def fair(cast):
    return make_fair()


@pytest.fixture
def pavilion(fair):
    return Pavilion.objects.create(fair=fair, slug="manufacturiers", name_fr="Manufacturiers",
                                   name_en="Manufacturers")


@pytest.fixture
def booth(cast, fair, pavilion):
    """Acme's booth (alice administers Acme)."""
    return Booth.objects.create(fair=fair, pavilion=pavilion, organisation=cast.acme,
                                description_fr="Usinage CNC de grandes pièces.",
                                products="Arbres de transmission\nBagues d'usure",
                                capabilities="Tour CNC 3 m", contact=cast.bob.contact)


@pytest.fixture
def rival_booth(cast, fair, pavilion):
    return Booth.objects.create(fair=fair, pavilion=pavilion, organisation=cast.rival,
                                description_fr="Génie-conseil en structures.")


def join(fair, user, **extra):
    return services.participant_save(fair=fair, contact=user.contact, **extra)


def people(fair, n, prefix="p"):
    """``n`` participants of ``fair``, each a new contact without an account."""
    from alliage.members.models import Contact

    out = []
    for i in range(n):
        contact = Contact.objects.create(first_name=f"P{i}", last_name="Test",
                                         email=f"{prefix}{i}@x.example")
        out.append(services.participant_save(fair=fair, contact=contact))
    return out


def windows_workload(**sizes):
    """The benchmark's "windows" workload (bench/scheduler.py): each person present for one
    stretch of slots, popularity skewed; the people's agendas bind, not the tables."""
    import sys
    from pathlib import Path

    bench = Path(__file__).resolve().parents[2] / "bench"
    sys.path.insert(0, str(bench))
    try:
        from scheduler import windows
    finally:
        sys.path.remove(str(bench))
    return windows(**sizes)
