"""Demo symbiosis data: plausible streams for the region's members, introductions, synergies,
and impact factors with their sources."""

import random
from datetime import date
from decimal import Decimal

from alliage.matching.utilities import KINDS
from alliage.symbiosis.models import ImpactFactor, Introduction, Match, Stream

FACTORS = [
    # key, label, kg CO2e per unit, unit, source, year
    ("landfill", "Enfouissement de matières résiduelles (moyenne)", "467.0", "kg CO2e/t",
     "UK DESNZ/DEFRA, GHG conversion factors for company reporting, waste disposal: "
     "landfill, average construction/commercial and industrial waste", 2023),
    ("virgin-aggregate", "Granulats vierges évités", "7.8", "kg CO2e/t",
     "UK DESNZ/DEFRA 2023, material use: aggregates (primary)", 2023),
    ("virgin-wood", "Bois vierge évité", "313.0", "kg CO2e/t",
     "UK DESNZ/DEFRA 2023, material use: wood (primary production)", 2023),
    ("virgin-steel", "Acier vierge évité", "1850.0", "kg CO2e/t",
     "World Steel Association, Sustainability indicators (BF-BOF average)", 2023),
    ("virgin-feed", "Moulée animale évitée (céréales)", "450.0", "kg CO2e/t",
     "ADEME Base Empreinte, aliments pour animaux (céréales)", 2023),
    ("virgin-cardboard", "Carton vierge évité", "880.0", "kg CO2e/t",
     "UK DESNZ/DEFRA 2023, material use: paper and board (primary)", 2023),
    ("energy-displaced", "Gaz naturel évité (par MWh de combustible remplacé)", "177.0",
     "kg CO2e/MWh", "ECCC, National Inventory Report 1990-2021, Annex 6: natural gas "
     "1 888 g CO2/m³ at 38.3 MJ/m³ (about 49 kg CO2/GJ)", 2023),
    ("transport-truck", "Camion lourd articulé", "0.0620", "kg CO2e/t·km",
     "GLEC Framework v3, road freight, articulated truck > 33 t, North America", 2023),
    ("transport-rail", "Train de marchandises", "0.0180", "kg CO2e/t·km",
     "GLEC Framework v3, rail freight, diesel, North America", 2023),
    ("transport-ship", "Navire vraquier", "0.0080", "kg CO2e/t·km",
     "GLEC Framework v3, bulk carrier", 2023),
    ("transport-pipe", "Conduite ou sur place", "0.0000", "kg CO2e/t·km",
     "no transport emissions counted", 2023),
]

# Sector prefix → (kind, title, description, code, quantity, unit, confidentiality)
STREAMS = {
    "331": [("offer", "Brasque usée (deuxième coupe)", "Réfractaires et brasque de deuxième "
             "coupe retirés des cuves lors de la réfection.", "16 11 04", 1200, "t/an",
             "anonymous"),
            ("offer", "Crasses d'aluminium", "Crasses écumées dans nos fours de maintien, "
             "en bacs.", "10 03 16", 350, "t/an", "members"),
            ("offer", "Chaleur résiduelle des fours", "Eau de refroidissement à 55 °C, "
             "disponible toute l'année.", "R1 01 01", 8000, "MWh/an", "members")],
    "321": [("offer", "Bran de scie et planures", "Bran de scie d'épinette sec et planures "
             "de l'usine de rabotage.", "03 01 05", 900, "t/an", "public"),
            ("offer", "Écorces", "Écorces de la ligne d'écorçage, humides.", "03 01 01", 2500,
             "t/an", "public"),
            ("need", "Palettes usagées à réparer", "Nous réparons les palettes standard "
             "48 x 40 : cherchons palettes brisées.", "15 01 03", 300, "palettes/semaine",
             "public")],
    "311": [("offer", "Lactosérum", "Lactosérum doux de la fromagerie, 2 camions-citernes "
             "par semaine.", "02 05 01", 150, "m3/mois", "members"),
            ("offer", "Bleuets déclassés", "Bleuets hors calibre et écrasés, congelés.",
             "02 03 04", 40, "t/an", "members")],
    "312": [("offer", "Drêche de brasserie", "Drêche humide après brassage, environ "
             "20 tonnes par semaine.", "02 07 04", 80, "t/mois", "public"),
            ("offer", "CO2 de fermentation", "CO2 des cuves de fermentation, rejeté "
             "aujourd'hui.", "R3 01 01", 60, "t/an", "members")],
    "322": [("offer", "Carton ondulé en balles", "Retailles de carton ondulé compactées "
             "en balles.", "15 01 01", 400, "t/an", "public"),
            ("offer", "Vapeur basse pression excédentaire", "Vapeur de soutirage de la "
             "chaudière à biomasse de la papetière, environ 150 °C, en continu.", "R1 01 02",
             30000, "MWh/an", "members"),
            ("offer", "Eaux usées traitées de la papetière", "Effluent du traitement "
             "biologique, conforme aux normes de rejet, réutilisable pour le lavage ou le "
             "refroidissement.", "R2 01 02", 9000, "m3/mois", "members")],
    "332": [("offer", "Retailles et copeaux d'acier", "Chutes de découpe au plasma et "
             "copeaux d'usinage, triés.", "12 01 01", 120, "t/an", "members"),
            ("need", "Chauffage de l'atelier", "Nous chauffons l'atelier au propane : "
             "de la chaleur résiduelle nous intéresse.", None, 900, "MWh/an", "members")],
    "484": [("offer", "Pneus de camions usés", "Pneus hors d'usage de notre flotte.",
             "16 01 03", 30, "t/an", "members"),
            ("need", "Espace d'entreposage", "Cherchons de l'espace d'entreposage "
             "l'hiver pour des remorques.", "R4 01 01", 2000, "m2", "members")],
    "493": [("offer", "Espace d'entreposage disponible", "Entrepôt de 1 500 m² libre de "
             "janvier à avril.", "R4 01 01", 1500, "m2", "members")],
    "326": [("offer", "Retailles de polyéthylène", "Retailles de pellicule PEBD propres.",
             "12 01 05", 60, "t/an", "members")],
}
NEEDS_OUTSIDE = [
    # Needs of members from other sectors (farms, greenhouses, plants).
    ("Litière pour poulaillers", "Producteur de poulets cherche de la litière de bois sec.",
     None, 400, "t/an", 120),
    ("Combustible pour chaudière à biomasse", "Notre chaudière à biomasse brûle des "
     "copeaux et écorces.", None, 3000, "t/an", 150),
    ("Aliments pour bovins", "Ferme laitière : sous-produits pour la ration des vaches.",
     None, 500, "t/an", 100),
    ("Chaleur pour serres", "Serres de tomates à chauffer d'octobre à avril.", None, 5000,
     "MWh/an", 20),
    ("Matière première pour cimenterie", "Cimenterie cherche des matières riches en "
     "carbone et en alumine pour son four.", None, 2000, "t/an", 400),
    ("Ferraille pour refonte", "Fonderie cherche de la ferraille d'acier triée.", None, 500,
     "t/an", 250),
    ("Vapeur pour séchoirs", "Usine voisine cherche de la vapeur basse pression à 130 °C "
     "pour ses séchoirs.", None, 12000, "MWh/an", 5),
]


def seed_factors():
    for key, label, value, unit, source, year in FACTORS:
        ImpactFactor.objects.update_or_create(key=key, defaults={
            "label": label, "value": Decimal(value), "unit": unit, "source": source,
            "year": year})


def _seed_sites(streams, rng):
    """A few companies run a second plant elsewhere in the region; one of their streams is
    declared there (so distances are computed from that plant)."""
    from alliage.core.models import Municipality
    from alliage.members.models import Site

    towns = list(Municipality.objects.order_by("pk"))
    seen = []
    for stream in streams:
        org = stream.organisation
        if org in seen or not towns or len(seen) >= 4:
            continue
        seen.append(org)
        Site.objects.get_or_create(organisation=org, name="Siège social", defaults={
            "address": org.street, "municipality": org.municipality, "park": org.park})
        elsewhere = [t for t in towns if t != org.municipality]
        town = rng.choice(elsewhere)
        second, _created = Site.objects.get_or_create(
            organisation=org, name=f"Usine de {town.name}", defaults={"municipality": town})
        stream.site = second
        stream.save(update_fields=["site"])


def seed_symbiosis():
    """Idempotent: does nothing if streams already exist."""
    from django.utils import timezone

    from alliage.members.models import Organisation
    from alliage.symbiosis.services import match_stream_now, synergy_record

    seed_factors()
    if Stream.objects.exists():
        return Stream.objects.count()
    rng = random.Random(2020)
    members = list(Organisation.objects.members().select_related("primary_sector")
                   .order_by("pk"))
    now = timezone.now()
    created = []
    for prefix, specs in STREAMS.items():
        candidates = [o for o in members if o.primary_sector_id
                      and o.primary_sector.code.startswith(prefix)]
        for spec, org in zip(specs, rng.sample(candidates, min(len(specs), len(candidates))),
                             strict=False):
            kind, title, description, code, qty, unit, conf = spec
            created.append(Stream.objects.create(
                organisation=org, kind=kind, title=title, description=description,
                low_code=(code or "").replace(" ", ""), quantity=qty, unit=unit,
                confidentiality=conf, status=Stream.Status.PUBLISHED, published_at=now,
                expires_at=now + timezone.timedelta(days=365),
                category="energy" if code and code.startswith("R1") else "material",
                utility=KINDS.get((code or "").replace(" ", ""), ""),
                current_fate="landfill" if kind == "offer" else ""))
    _seed_sites(created, rng)
    others = [o for o in members if o.primary_sector_id
              and o.primary_sector.code[:3] in ("541", "488", "333", "335")]
    for (title, description, code, qty, unit, km), org in zip(
            NEEDS_OUTSIDE, rng.sample(others, len(NEEDS_OUTSIDE)), strict=False):
        created.append(Stream.objects.create(
            organisation=org, kind="need", title=title, description=description,
            low_code=code or "", quantity=qty, unit=unit, max_distance_km=km,
            confidentiality="members", status=Stream.Status.PUBLISHED, published_at=now,
            expires_at=now + timezone.timedelta(days=365)))
    for stream in created:
        if stream.kind == Stream.Kind.OFFER:
            match_stream_now(stream.pk)
    # Two introductions: one in discussion that became a synergy, one waiting.
    matches = list(Match.objects.select_related("offer__organisation", "need__organisation")
                   .order_by("-score", "pk")[:2])
    if matches:
        first = Introduction.objects.create(match=matches[0], offer_accepted=True,
                                            need_accepted=True,
                                            status=Introduction.Status.DISCUSSION)
        synergy_record(introduction=first, actor=None, material=matches[0].offer.title,
                       tonnes_per_year=Decimal("300"), started_on=date(2020, 9, 1),
                       distance_km=Decimal("35"), mode="truck",
                       replaces_virgin="virgin-wood",
                       disposal_cost_per_tonne=Decimal("85"),
                       purchase_cost_per_tonne=Decimal("20"))
    if len(matches) > 1:
        Introduction.objects.create(match=matches[1], offer_accepted=True)
    _seed_characterisations(created)
    return len(created)


CHARACTERISED = [
    # category, LoW code, kg in the sample, valorisable
    [("Carton et papier", "150101", "412.5", True), ("Bois (palettes, retailles)", "150103",
     "388.0", True), ("Plastiques d'emballage", "150102", "126.4", True),
     ("Métaux ferreux", "120101", "96.0", True), ("Résidus non valorisables", "200301",
     "201.3", False)],
    [("Bran de scie et copeaux", "030105", "1250.0", True), ("Écorces", "030101", "640.0", True),
     ("Cendres de chaudière", "100101", "180.0", True), ("Déchets mélangés", "200301",
     "95.5", False)],
    [("Drêche", "020799", "980.0", True), ("Carton", "150101", "150.0", True),
     ("Verre", "150107", "60.0", True), ("Déchets mélangés", "200301", "70.0", False)],
]


def _seed_characterisations(streams):
    """The partner non-profits' characterisation campaigns (ISI Alliage 02, autumn 2020)."""
    from alliage.symbiosis.models import Characterisation, CharacterisationLine

    companies = []
    for stream in streams:
        if stream.organisation not in companies:
            companies.append(stream.organisation)
    for org, lines, day in zip(companies, CHARACTERISED, (5, 12, 19), strict=False):
        campaign = Characterisation.objects.create(
            organisation=org, sampled_on=date(2020, 10, day),
            performed_by="Regroupement des OBNL en environnement (ISI Alliage 02)",
            notes="Échantillonnage d'une semaine de matières résiduelles, tri manuel.")
        CharacterisationLine.objects.bulk_create([
            CharacterisationLine(characterisation=campaign, category=category,
                                 low_code=code, weight_kg=Decimal(kg), valorisable=ok)
            for category, code, kg, ok in lines])


def seed():
    """The demo's symbiosis part (``alliage.demo.seeds``)."""
    return [(seed_symbiosis(), "symbiosis streams")]
