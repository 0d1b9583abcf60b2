"""Saguenay–Lac-Saint-Jean (region 02): municipalities and industrial parks.

Coordinates are WGS84 decimal degrees of each town centre or park entrance, rounded to
about 100 m; staff can refine them in the admin.
"""

REGION = ("02", "Saguenay–Lac-Saint-Jean")

# slug, name, MRC, latitude, longitude
MUNICIPALITIES = [
    ("chicoutimi", "Saguenay — Chicoutimi", "Saguenay", 48.42840, -71.06850),
    ("jonquiere", "Saguenay — Jonquière", "Saguenay", 48.41650, -71.24710),
    ("la-baie", "Saguenay — La Baie", "Saguenay", 48.33830, -70.88330),
    ("alma", "Alma", "Lac-Saint-Jean-Est", 48.55000, -71.65000),
    ("roberval", "Roberval", "Le Domaine-du-Roy", 48.51670, -72.23330),
    ("dolbeau-mistassini", "Dolbeau-Mistassini", "Maria-Chapdelaine", 48.87860, -72.23140),
    ("saint-felicien", "Saint-Félicien", "Le Domaine-du-Roy", 48.65000, -72.45000),
    ("saint-honore", "Saint-Honoré", "Le Fjord-du-Saguenay", 48.53330, -71.08330),
    ("saint-bruno", "Saint-Bruno", "Lac-Saint-Jean-Est", 48.46670, -71.65000),
    ("metabetchouan", "Métabetchouan–Lac-à-la-Croix", "Lac-Saint-Jean-Est", 48.43330, -71.86670),
    ("normandin", "Normandin", "Maria-Chapdelaine", 48.83330, -72.53330),
    ("desbiens", "Desbiens", "Lac-Saint-Jean-Est", 48.41670, -71.95000),
    ("hebertville", "Hébertville", "Lac-Saint-Jean-Est", 48.40000, -71.68330),
    ("saint-prime", "Saint-Prime", "Le Domaine-du-Roy", 48.58330, -72.33330),
    ("larouche", "Larouche", "Le Fjord-du-Saguenay", 48.45000, -71.51670),
    ("saint-ambroise", "Saint-Ambroise", "Le Fjord-du-Saguenay", 48.55000, -71.33330),
]

# slug, name, municipality slug, latitude, longitude
PARKS = [
    ("haut-saguenay", "Parc industriel du Haut-Saguenay (Henri-Girard)", "chicoutimi",
     48.44900, -71.03600),
    ("chicoutimi-manic", "Parc industriel de Chicoutimi (secteur Manic)", "chicoutimi",
     48.40300, -71.05200),
    ("laterriere", "Parc industriel de Laterrière", "chicoutimi", 48.30600, -71.11800),
    ("jonquiere", "Parc industriel de Jonquière", "jonquiere", 48.40100, -71.20100),
    ("grande-anse", "Zone industrialo-portuaire de Grande-Anse", "la-baie", 48.30300, -70.86500),
    ("alma", "Parc industriel d'Alma", "alma", 48.53600, -71.66400),
    ("roberval", "Parc industriel de Roberval", "roberval", 48.50500, -72.24500),
    ("dolbeau-mistassini", "Parc industriel de Dolbeau-Mistassini", "dolbeau-mistassini",
     48.89500, -72.20500),
    ("saint-felicien", "Parc industriel de Saint-Félicien", "saint-felicien", 48.64300, -72.43000),
    ("saint-honore", "Parc industriel de Saint-Honoré", "saint-honore", 48.52900, -71.06300),
    ("metabetchouan", "Parc industriel de Métabetchouan", "metabetchouan", 48.42800, -71.87600),
]
