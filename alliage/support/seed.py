"""Demo support services: 15 funding programs (real public programs, described in our own
words — check the funder's page before relying on them), projects and 10 support cases of
demo members with their outcomes, and the association's 2020-2025 strategic plan with its
indicators (from the member survey of 2020-04-04).

Deterministic and idempotent: keyed on names and subjects; nothing is mailed.
"""

from datetime import date, timedelta

from django.utils import timezone

from alliage.core.models import Region
from alliage.members.models import Organisation, Sector
from alliage.support.models import (
    Action,
    Axis,
    FundingProgram,
    Indicator,
    Objective,
    Plan,
    Project,
    Reading,
    SupportCase,
)

K = 100_000   # cents in 1 000 $

# name FR, name EN, funder, level, themes, objectives, rate %, max $ (thousands),
# employees (min, max), sectors (SCIAN families), regional (SLSJ only), continuous, url
PROGRAMS = [
    ("Programme d'aide à la recherche industrielle (PARI)", "Industrial Research Assistance "
     "Program (IRAP)", "Conseil national de recherches Canada", "federal",
     ["innovation", "automation"], "Conseils et contributions pour les PME qui développent "
     "ou adoptent des technologies innovantes.", 80, 500, (1, 499), [], False, True,
     "https://nrc.canada.ca/fr/soutien-linnovation-technologique"),
    ("Programme CanExport PME", "CanExport SMEs", "Affaires mondiales Canada", "federal",
     ["export"], "Partage des coûts des activités de développement de nouveaux marchés "
     "d'exportation.", 50, 50, (1, 499), [], False, False,
     "https://www.tradecommissioner.gc.ca/fr/soutien-financier/canexport.html"),
    ("Programme ESSOR — volet 1", "ESSOR program — part 1", "Investissement Québec", "provincial",
     ["investment", "automation"], "Études de faisabilité et projets d'investissement "
     "d'entreprises québécoises.", 50, 100, (None, None), ["31", "32", "33"], False, True,
     "https://www.investquebec.com/quebec/fr/produits-financiers/"),
    ("Offensive de transformation numérique", "Digital transformation offensive",
     "Ministère de l'Économie, de l'Innovation et de l'Énergie", "provincial",
     ["automation"], "Audit 4.0, plan numérique et implantation de solutions numériques dans "
     "les PME manufacturières.", 50, 100, (1, 250), ["31", "32", "33"], False, True,
     "https://www.economie.gouv.qc.ca/"),
    ("Programme Écoperformance", "Écoperformance program", "Ministère de l'Environnement, de "
     "la Lutte contre les changements climatiques", "provincial", ["energy"],
     "Réduction des émissions de GES et de la consommation d'énergie fossile des procédés.",
     75, 3000, (None, None), [], False, True, "https://www.quebec.ca/"),
    ("Programme de soutien aux entreprises en efficacité énergétique", "Business energy "
     "efficiency support", "Hydro-Québec", "provincial", ["energy"],
     "Appui financier aux mesures d'efficacité électrique en usine.", 50, 1000, (None, None),
     [], False, True, "https://www.hydroquebec.com/affaires/"),
    ("Programme actions concertées pour le maintien en emploi (PACME)", "PACME",
     "Services Québec", "provincial", ["training", "hiring"], "Formation des employés pour "
     "maintenir les emplois (COVID-19).", 100, 100, (None, None), [], False, False,
     "https://www.quebec.ca/emploi/"),
    ("Subvention salariale d'intégration", "Wage subsidy for integration", "Services Québec",
     "provincial", ["hiring"], "Soutien salarial à l'embauche de personnes éloignées du "
     "marché du travail.", 50, 30, (None, None), [], False, True,
     "https://www.quebec.ca/emploi/"),
    ("Fonds régions et ruralité — volet projets", "Regions and rurality fund",
     "MRC du Saguenay–Lac-Saint-Jean", "regional", ["investment", "innovation", "circularity"],
     "Projets structurants de développement économique dans la région.", 50, 50,
     (None, None), [], True, False, "https://www.mamh.gouv.qc.ca/"),
    ("Fonds local d'investissement (FLI)", "Local investment fund", "Promotion Saguenay",
     "regional", ["investment", "automation"], "Prêts aux entreprises en démarrage ou en "
     "expansion de Saguenay.", None, 150, (None, 100), [], True, True,
     "https://promotionsaguenay.qc.ca/"),
    ("Programme d'aide financière — économie circulaire", "Circular economy financial aid",
     "RECYC-QUÉBEC", "provincial", ["circularity"], "Projets de symbiose industrielle, de "
     "réemploi et de réduction des matières résiduelles.", 50, 500, (None, None), [], False,
     False, "https://www.recyc-quebec.gouv.qc.ca/"),
    ("Programme d'innovation — Développement économique Canada", "Regional innovation — "
     "CED Canada", "Développement économique Canada pour les régions du Québec", "federal",
     ["innovation", "investment", "export"], "Contributions remboursables pour la croissance "
     "et la productivité des PME.", 50, 1000, (1, 499), [], False, True,
     "https://dec.canada.ca/"),
    ("Crédit d'impôt pour la recherche scientifique (RS&DE)", "SR&ED tax incentive",
     "Agence du revenu du Canada", "federal", ["innovation"], "Crédits d'impôt pour les "
     "travaux de recherche et de développement expérimental.", 35, None, (None, None), [],
     False, True, "https://www.canada.ca/fr/agence-revenu/services/recherche-scientifique-"
     "developpement-experimental-programme-encouragements-fiscaux.html"),
    ("Programme Emplois d'été Canada", "Canada Summer Jobs", "Emploi et Développement social "
     "Canada", "federal", ["hiring"], "Subvention salariale pour des emplois d'été de "
     "jeunes.", 50, 20, (1, 50), [], False, False, "https://www.canada.ca/"),
    ("Fonds d'innovation de la Banque de développement", "Private innovation fund",
     "Fondation régionale (démo)", "private", ["innovation", "circularity"],
     "Bourses aux projets innovants de PME membres d'une association régionale.", None, 25,
     (None, 50), [], True, False, ""),
]

CASES = [
    ("financing", "Robotisation de la cellule de soudure", "financing", 12_500_000, 2020),
    ("export", "Premier client aux États-Unis", "contract", None, 2020),
    ("hiring", "Recrutement de soudeurs à l'international", "referral", None, 2020),
    ("supplier", "Fournisseur local de pièces moulées", "referral", None, 2020),
    ("financing", "Audit 4.0 de l'usine", "financing", 2_000_000, 2020),
    ("permit", "Permis d'agrandissement en zone industrielle", "advice", None, 2020),
    ("financing", "Récupération de chaleur du four", "financing", 7_500_000, 2020),
    ("dispute", "Retard de paiement d'un donneur d'ordres", "advice", None, 2020),
    ("export", "Salon professionnel à Toronto", None, None, None),
    ("financing", "Formation des contremaîtres (PACME)", None, None, None),
]

PLAN = {
    "title": "Plan stratégique 2020-2025",
    "summary": "Issu de la consultation des membres du 4 avril 2020 (30 répondants) : faire "
               "de l'association une force régionale reconnue, incontournable pour le "
               "développement et l'innovation.",
    "axes": [
        ("Rassembler et représenter les membres", [
            ("Faire croître le nombre d'entreprises membres", [
                ("Entreprises membres", "members", "entreprises", 250, 320)],
             [("Campagne de recrutement dans les parcs industriels", "Direction générale",
               date(2021, 6, 30), "done")]),
            ("Fidéliser les membres", [
                ("Taux de renouvellement", "renewal_rate", "%", 80, 90)], [])]),
        ("Faire rayonner et réseauter", [
            ("Offrir des activités qui rassemblent", [
                ("Participants aux activités", "participants", "personnes", 330, 1200)],
             [("Salon industriel virtuel annuel", "Coordination des communications",
               date(2021, 6, 30), "done")]),
            ("Informer les membres", [
                ("Abonnés à l'infolettre", "subscribers", "personnes", 400, 900)], [])]),
        ("Économie circulaire et symbiose industrielle", [
            ("Multiplier les synergies entre entreprises", [
                ("Synergies en cours", "synergies", "synergies", 0, 15),
                ("Tonnes détournées de l'enfouissement", "tonnes", "t", 0, 2000)],
             [("Projet ISI Alliage 02 avec RECYC-QUÉBEC", "Direction générale",
               date(2022, 12, 31), "underway")])]),
        ("Accompagner la croissance des membres", [
            ("Aider les membres à obtenir du financement", [
                ("Financement obtenu avec l'association ($)", "financing", "$", 0, 1_000_000),
                ("Satisfaction des membres accompagnés (%)", "", "%", 70, 90)],
             [("Répertoire des programmes de financement en ligne", "Direction générale",
               date(2020, 10, 31), "done")])]),
    ],
}


def seed_programs():
    slsj = Region.objects.filter(name__icontains="Saguenay").first()
    today = timezone.localdate()
    made = 0
    for (name, name_en, funder, level, themes, objectives, rate, max_k, (low, high), sectors,
         regional, continuous, url) in PROGRAMS:
        program, created = FundingProgram.objects.get_or_create(name_fr=name, defaults={
            "name_en": name_en, "funder": funder, "level": level, "themes": themes,
            "objectives_fr": objectives, "rate_percent": rate,
            "max_amount_cents": max_k * K if max_k else None, "min_employees": low,
            "max_employees": high, "continuous_intake": continuous, "url": url,
            "closes_on": None if continuous else date(today.year + 1, 3, 31),
            "reviewed_on": today - timedelta(days=30)})
        if created:
            made += 1
            program.sectors.set(Sector.objects.filter(code__in=sectors))
            if regional and slsj:
                program.regions.set([slsj])
    return made


def seed_cases():
    members = list(Organisation.objects.members().order_by("pk")[:10])
    if not members:
        return 0
    made = 0
    programs = {p.name_fr: p for p in FundingProgram.objects.all()}
    for i, (kind, subject, outcome, amount, year) in enumerate(CASES):
        org = members[i % len(members)]
        if SupportCase.objects.filter(subject=subject).exists():
            continue
        opened = timezone.now() - timedelta(days=400 - 30 * i) if year else \
            timezone.now() - timedelta(days=3 + i)
        program = programs.get("Programme ESSOR — volet 1") if kind == "financing" else None
        project = None
        if kind == "financing":
            project = Project.objects.create(
                organisation=org, title=subject, theme="automation" if i < 5 else "energy",
                description=subject, budget_cents=(amount or 4_000_000) * 3,
                starts_on=(opened + timedelta(days=60)).date())
        case = SupportCase(
            organisation=org, kind=kind, subject=subject, program=program, project=project,
            description=f"{subject} : l'entreprise demande l'accompagnement de l'association.",
            opened_at=opened, due_on=(opened + timedelta(days=5)).date())
        if outcome:
            case.status, case.outcome = "closed", outcome
            case.outcome_amount_cents = amount
            case.closed_at = opened + timedelta(days=45)
        else:
            case.status = "in_progress" if i % 2 else "open"
        case.save()
        made += 1
    return made


def seed_plan():
    if Plan.objects.filter(title=PLAN["title"]).exists():
        return 0
    plan = Plan.objects.create(title=PLAN["title"], starts_year=2020, ends_year=2025,
                               summary=PLAN["summary"])
    for a, (axis_title, objectives) in enumerate(PLAN["axes"], start=1):
        axis = Axis.objects.create(plan=plan, position=a, title=axis_title)
        for o, (title, indicators, actions) in enumerate(objectives, start=1):
            objective = Objective.objects.create(axis=axis, position=o, title=title)
            for name, source, unit, baseline, target in indicators:
                ind = Indicator.objects.create(objective=objective, name=name, source=source,
                                               unit=unit, baseline=baseline,
                                               baseline_year=2020, target=target,
                                               target_year=2025)
                if not source:
                    for year, value in ((2020, 70), (2021, 78), (2022, 84)):
                        Reading.objects.create(indicator=ind, year=year, value=value,
                                               source_note="Sondage de satisfaction annuel")
            for action, owner, due, status in actions:
                Action.objects.create(objective=objective, title=action, owner=owner,
                                      due_on=due, status=status)
    return 1


def seed():
    """The demo's support part (``alliage.demo.seeds``)."""
    programs = seed_programs()
    cases = seed_cases()
    seed_plan()
    return [(programs, "funding programs"), (cases, "support cases")]
