"""SCIAN Canada 2022 (NAICS Canada 2022) codes used by the region's firms.

Sectors (2 digits) and the subsectors and industry groups members declare most; the
full 6-digit list can be loaded with ``manage.py import_scian`` from Statistics Canada's
CSV. Titles are Statistics Canada's.
"""

# code, French title, English title
SECTORS = [
    ("11", "Agriculture, foresterie, pêche et chasse",
     "Agriculture, forestry, fishing and hunting"),
    ("21", "Extraction minière, exploitation en carrière, et extraction de pétrole et de gaz",
     "Mining, quarrying, and oil and gas extraction"),
    ("22", "Services publics", "Utilities"),
    ("23", "Construction", "Construction"),
    ("31", "Fabrication (aliments, boissons, textiles)",
     "Manufacturing (food, beverages, textiles)"),
    ("32", "Fabrication (bois, papier, chimie, plastiques, minéraux)",
     "Manufacturing (wood, paper, chemicals, plastics, minerals)"),
    ("33", "Fabrication (métaux, machines, équipements)",
     "Manufacturing (metals, machinery, equipment)"),
    ("41", "Commerce de gros", "Wholesale trade"),
    ("48", "Transport et entreposage", "Transportation and warehousing"),
    ("51", "Industrie de l'information et industrie culturelle",
     "Information and cultural industries"),
    ("54", "Services professionnels, scientifiques et techniques",
     "Professional, scientific and technical services"),
    ("56", "Services administratifs, services de soutien, services de gestion des déchets et "
           "services d'assainissement",
     "Administrative and support, waste management and remediation services"),
    ("81", "Autres services (sauf les administrations publiques)",
     "Other services (except public administration)"),
]

SUBSECTORS = [
    ("113", "Foresterie et exploitation forestière", "Forestry and logging"),
    ("212", "Extraction minière et exploitation en carrière (sauf pétrole et gaz)",
     "Mining and quarrying (except oil and gas)"),
    ("221", "Services publics", "Utilities"),
    ("236", "Construction de bâtiments", "Construction of buildings"),
    ("238", "Entrepreneurs spécialisés", "Specialty trade contractors"),
    ("311", "Fabrication d'aliments", "Food manufacturing"),
    ("312", "Fabrication de boissons et de produits du tabac",
     "Beverage and tobacco product manufacturing"),
    ("321", "Fabrication de produits en bois", "Wood product manufacturing"),
    ("322", "Fabrication du papier", "Paper manufacturing"),
    ("325", "Fabrication de produits chimiques", "Chemical manufacturing"),
    ("326", "Fabrication de produits en plastique et en caoutchouc",
     "Plastics and rubber products manufacturing"),
    ("327", "Fabrication de produits minéraux non métalliques",
     "Non-metallic mineral product manufacturing"),
    ("331", "Première transformation des métaux", "Primary metal manufacturing"),
    ("332", "Fabrication de produits métalliques", "Fabricated metal product manufacturing"),
    ("333", "Fabrication de machines", "Machinery manufacturing"),
    ("334", "Fabrication de produits informatiques et électroniques",
     "Computer and electronic product manufacturing"),
    ("335", "Fabrication de matériel, d'appareils et de composants électriques",
     "Electrical equipment, appliance and component manufacturing"),
    ("336", "Fabrication de matériel de transport", "Transportation equipment manufacturing"),
    ("337", "Fabrication de meubles et de produits connexes",
     "Furniture and related product manufacturing"),
    ("339", "Activités diverses de fabrication", "Miscellaneous manufacturing"),
    ("416", "Grossistes-marchands de matériaux et fournitures de construction",
     "Building material and supplies merchant wholesalers"),
    ("417", "Grossistes-marchands de machines, de matériel et de fournitures",
     "Machinery, equipment and supplies merchant wholesalers"),
    ("484", "Transport par camion", "Truck transportation"),
    ("488", "Activités de soutien au transport", "Support activities for transportation"),
    ("493", "Entreposage", "Warehousing and storage"),
    ("518", "Infrastructure de calcul, traitement de données, hébergement web",
     "Computing infrastructure providers, data processing, web hosting"),
    ("541", "Services professionnels, scientifiques et techniques",
     "Professional, scientific and technical services"),
    ("5413", "Architecture, génie et services connexes",
     "Architectural, engineering and related services"),
    ("5415", "Conception de systèmes informatiques et services connexes",
     "Computer systems design and related services"),
    ("5416", "Services de conseils en gestion et de conseils scientifiques et techniques",
     "Management, scientific and technical consulting services"),
    ("561", "Services administratifs et services de soutien",
     "Administrative and support services"),
    ("562", "Services de gestion des déchets et d'assainissement",
     "Waste management and remediation services"),
    ("811", "Réparation et entretien", "Repair and maintenance"),
]


def parent_code(code):
    """The code one level up: 4 → 3 digits, 3 → the 2-digit sector."""
    if len(code) > 3:
        return code[:-1]
    # SCIAN groups 48-49 (and 44-45) under one sector, stored under its first code.
    return {"49": "48", "45": "44"}.get(code[:2], code[:2])
