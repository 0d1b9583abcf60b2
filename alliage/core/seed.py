"""Demo data of the core app: the association's identity and the region's places."""

from django.db import transaction

from alliage.core.models import Association, Municipality, Park, Region
from alliage.core.places_data import MUNICIPALITIES, PARKS, REGION


def seed_places():
    """Create or update the region's municipalities and parks (idempotent)."""
    region, _ = Region.objects.update_or_create(code=REGION[0], defaults={"name": REGION[1]})
    towns = {}
    for slug, name, mrc, lat, lon in MUNICIPALITIES:
        towns[slug], _ = Municipality.objects.update_or_create(
            slug=slug, defaults={"name": name, "mrc": mrc, "region": region,
                                 "latitude": lat, "longitude": lon})
    for slug, name, town, lat, lon in PARKS:
        Park.objects.update_or_create(slug=slug, defaults={
            "name": name, "municipality": towns[town], "latitude": lat, "longitude": lon})


def seed_association():
    values = {
        "name": "Alliage 02 — Société des fabricants et des parcs industriels SLSJ",
        "short_name": "Alliage 02",
        "slogan": "Une seule place d'affaires",
        "street": "rue Manic",
        "city": "Chicoutimi",
        "province": "QC",
        "postal_code": "G7K 1A1",
        "phone": "418-555-0102",
        "email": "info@alliage02.example",
        "website": "https://alliage02.example",
        "tps_number": "123456789 RT0001",
        "tvq_number": "1234567890 TQ0001",
        "privacy_officer_name": "Direction générale",
        "privacy_officer_email": "confidentialite@alliage02.example",
        "privacy_officer_phone": "418-555-0102",
        "primary_colour": "#1f4e79",
        "accent_colour": "#e07a1f",
    }
    association = Association.objects.order_by("pk").first()
    if association is None:
        association = Association(**values)
    else:
        for key, value in values.items():
            setattr(association, key, value)
    association.save()
    return association


def seed():
    """The demo's core part (``alliage.demo.seeds``): the association and the places."""
    with transaction.atomic():
        seed_association()
        seed_places()
    return []
