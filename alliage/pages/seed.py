"""Demo public site: the association's own words (about, services, partners) in French and
English, and the contact form's subjects routed to the two staff members.

Deterministic and idempotent: keyed on slugs and labels.
"""

from alliage.mailing.richtext import clean
from alliage.pages.models import ContactTopic, Page, Revision

PAGES = [
    ("a-propos", 1, "À propos", "About us",
     "<h2>Mission</h2><p>Travailler à la synergie industrielle et innover pour faire rayonner "
     "nos membres, afin de créer de la richesse dans la région.</p><h2>Vision</h2><p>Une force "
     "régionale reconnue, incontournable pour le développement et l'innovation, qui soutient la "
     "croissance de ses membres et positionne la région pour l'implantation de nouvelles "
     "usines.</p><h2>Valeurs</h2><ul><li>Collaboration</li><li>Respect</li><li>Dynamisme</li>"
     "<li>Cohérence</li><li>Fierté</li></ul>",
     "<h2>Mission</h2><p>Work on industrial synergy and innovate to make our members shine and "
     "create wealth in the region.</p><h2>Vision</h2><p>A recognised regional force, essential "
     "to development and innovation, supporting its members' growth and positioning the region "
     "for new plants.</p><h2>Values</h2><ul><li>Collaboration</li><li>Respect</li>"
     "<li>Dynamism</li><li>Coherence</li><li>Pride</li></ul>",
     "Mission, vision et valeurs de l'association industrielle régionale.",
     "The regional industrial association's mission, vision and values."),
    ("services", 2, "Nos services", "Our services",
     "<p>Être membre comporte ses avantages!</p><ul><li>Programme d'aide aux employés (PAE)"
     "</li><li>Regroupements d'achats</li><li>Collecte sélective et récupération</li><li>Visites "
     "industrielles</li><li>Mutualisation de services</li><li>Maillage et réseautage</li><li>"
     "Accompagnement commercial et aide au financement de projets</li><li>Formation</li></ul>",
     "<p>Being a member has its advantages!</p><ul><li>Employee assistance plan</li><li>Group "
     "purchasing</li><li>Selective collection and recovery</li><li>Industrial visits</li><li>"
     "Pooled services</li><li>Matchmaking and networking</li><li>Commercial support and help "
     "with project financing</li><li>Training</li></ul>",
     "Les services offerts aux entreprises membres.", "Services offered to member companies."),
    ("partenaires", 3, "Partenaires", "Partners",
     "<p>L'association remercie ses partenaires publics et privés, qui rendent possibles ses "
     "activités et ses projets d'économie circulaire.</p>",
     "<p>The association thanks its public and private partners, who make its activities and "
     "circular-economy projects possible.</p>",
     "Les partenaires de l'association.", "The association's partners."),
]

# The team and board page: the staff team in staff's words, the board listed from governance.
TEAM = ("equipe", 4, "L'équipe et le conseil", "Team and board",
        "<h2>La permanence</h2><ul><li>Direction générale — direction@alliage02.example</li>"
        "<li>Communications et activités — communications@alliage02.example</li></ul>",
        "<h2>Our staff</h2><ul><li>Executive director — direction@alliage02.example</li>"
        "<li>Communications and events — communications@alliage02.example</li></ul>",
        "La permanence et le conseil d'administration de l'association.",
        "The association's staff and board of directors.")

TOPICS = [
    (1, "Devenir membre, adhésion", "Membership", "direction@alliage02.example"),
    (2, "Activités et formations", "Events and training", "communications@alliage02.example"),
    (3, "Financement et accompagnement", "Financing and support",
     "direction@alliage02.example"),
    (4, "Infolettre, médias", "Newsletter, media", "communications@alliage02.example"),
]


def seed():
    """The demo's public-site part (``alliage.demo.seeds``)."""
    made = 0
    for slug, position, title_fr, title_en, body_fr, body_en, desc_fr, desc_en in [*PAGES, TEAM]:
        page, created = Page.objects.get_or_create(slug=slug, defaults={
            "title_fr": title_fr, "title_en": title_en, "body_fr": clean(body_fr),
            "body_en": clean(body_en), "description_fr": desc_fr, "description_en": desc_en,
            "status": Page.Status.PUBLISHED, "menu_position": position,
            "extra": Page.Extra.BOARD if slug == TEAM[0] else "",
            "on_home": slug == "services"})
        if created:
            made += 1
            Revision.objects.create(page=page, title_fr=title_fr, title_en=title_en,
                                    body_fr=page.body_fr, body_en=page.body_en)
    for position, label_fr, label_en, recipient in TOPICS:
        ContactTopic.objects.get_or_create(label_fr=label_fr, defaults={
            "label_en": label_en, "recipient": recipient, "position": position})
    return [(made, "site pages")]
