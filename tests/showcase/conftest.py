"""Suppliers of the region for the showcase tests, beside the shared cast: acme machines
aluminium (Chicoutimi); a pallet maker, a conveyor shop, a stainless welder and a cheese
dairy, each with its capabilities and products; ``hugo`` administers the welder."""

from dataclasses import dataclass

import pytest

from alliage.accounts.models import User
from alliage.core.models import Municipality
from alliage.members.models import (
    Affiliation,
    Contact,
    MemberStatus,
    Organisation,
    Sector,
    Tag,
)
from alliage.showcase.models import Category, PointOfSale, Product
from tests.people import PASSWORD


def supplier(slug, name, code, town, tags=(), products=(), **extra):
    org = Organisation.objects.create(
        legal_name=name, slug=slug, primary_sector=Sector.objects.get(code=code),
        municipality=Municipality.objects.get(slug=town), member_status=MemberStatus.ACTIVE,
        email=f"info@{slug}.example", **extra)
    org.tags.set([Tag.objects.get_or_create(name=t, slug=t.replace(" ", "-").lower()
                                            .replace("'", "-").replace("é", "e"))[0]
                  for t in tags])
    org.save()
    for name_fr, category, certifications in products:
        product(org, name_fr, category=category, certifications=certifications)
    return org


def product(org, name_fr, *, category=Category.METAL, certifications="", **extra):
    from django.utils.text import slugify

    return Product.objects.create(organisation=org, name_fr=name_fr, category=category,
                                  certifications=certifications,
                                  slug=slugify(f"{org.slug} {name_fr}"), **extra)


def admin_of(org, email, first):
    contact = Contact.objects.create(first_name=first, last_name="Test", email=email)
    Affiliation.objects.create(contact=contact, organisation=org, is_admin=True)
    return User.objects.create_user(email, PASSWORD, first_name=first, contact=contact)


@dataclass
class Region:
    acme: Organisation
    pallets: Organisation
    conveyors: Organisation
    welder: Organisation
    dairy: Organisation
    hugo: User
    acme_product: Product
    prospect_product: Product
    counter: PointOfSale


@pytest.fixture
def region(cast):
    acme = cast.acme
    acme.tags.set([Tag.objects.create(name="usinage CNC", slug="usinage-cnc"),
                   Tag.objects.create(name="aluminium", slug="aluminium")])
    acme.save()
    acme_product = product(acme, "Pièces usinées CNC en aluminium", certifications="ISO 9001",
                           name_en="CNC machined aluminium parts")
    pallets = supplier("palettes-boreal", "Palettes Boréal inc.", "321", "saint-felicien",
                       tags=["palettes", "bois d'œuvre"],
                       products=[("Palettes de bois standard", Category.WOOD, "NIMP 15")])
    conveyors = supplier("convoyeurs-valin", "Convoyeurs Valin ltée", "333", "jonquiere",
                         tags=["convoyeurs", "réparation de moteurs"],
                         products=[("Convoyeurs à courroie", Category.EQUIPMENT, "CSA")],
                         description_fr="Conception et réparation de convoyeurs.")
    welder = supplier("inox-harvey", "Inox Harvey inc.", "332", "la-baie",
                      tags=["soudure"],
                      products=[("Réservoirs en acier inoxydable", Category.METAL,
                                 "CWB")])
    dairy = supplier("fromagerie-peribonka", "Fromagerie Péribonka", "311", "alma",
                     tags=["fromage"],
                     products=[("Fromage en grains", Category.AGRIFOOD,
                                "Aliments du Québec")])
    hugo = admin_of(welder, "hugo@inox.example", "Hugo")
    prospect_product = product(cast.prospect, "Transport de vrac", category=Category.SERVICES)
    counter = PointOfSale.objects.create(name="Comptoir de la halte", kind="counter",
                                         latitude="47.56430", longitude="-71.22790")
    return Region(acme, pallets, conveyors, welder, dairy, hugo, acme_product,
                  prospect_product, counter)
