"""Demo survey: the member consultation for the 2020-2025 strategic plan, sent through the
newsletter on 2020-04-04, with 30 member respondents (seed facts)."""

import random
from datetime import datetime, time

from django.utils import timezone

from alliage.members.models import Organisation
from alliage.surveys.models import Participation, Question, Response, Survey
from alliage.surveys.services import broad_sector, size_band

SLUG = "plan-strategique-2020-2025"
QUESTIONS = [
    # kind, French, English, choices FR, choices EN, extra
    ("single", "Depuis combien de temps votre entreprise est-elle membre?",
     "How long has your company been a member?",
     "Moins d'un an\n1 à 5 ans\nPlus de 5 ans", "Less than a year\n1 to 5 years\nOver 5 years",
     {}),
    ("multiple", "Quels services vous sont les plus utiles?",
     "Which services are most useful to you?",
     "Achats regroupés\nPAE\nFormation\nRéseautage\nSymbiose industrielle\nFinancement",
     "Group purchasing\nEAP\nTraining\nNetworking\nIndustrial symbiosis\nFinancing",
     {"required": True}),
    ("single", "Participez-vous aux activités de réseautage?",
     "Do you attend networking activities?", "Oui\nNon", "Yes\nNo", {}),
    ("long_text", "Qu'est-ce qui vous empêche d'y participer?",
     "What keeps you from attending?", "", "", {"show_if": 2, "show_if_choice": 1}),
    ("scale", "Satisfaction globale envers l'association", "Overall satisfaction", "", "",
     {"scale_min": 1, "scale_max": 5}),
    ("number", "Combien d'employés prévoyez-vous embaucher d'ici 2025?",
     "How many employees do you plan to hire by 2025?", "", "", {}),
]
# Sections (headings) placed before the question of that number (1-based).
SECTIONS = {
    1: ("Votre adhésion", "Your membership",
        "Ce que vous retirez de votre adhésion.", "What you get from your membership."),
    3: ("Vie associative", "Association life",
        "Les activités de réseautage et votre satisfaction.",
        "Networking activities and your satisfaction."),
}
COMMENTS = ["Horaire trop chargé en période de production.", "Les 5@7 sont loin de Roberval.",
            "Plus d'activités en ligne, svp.", "Manque de temps."]


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed():
    from datetime import date

    survey, created = Survey.objects.get_or_create(slug=SLUG, defaults=dict(
        title_fr="Consultation des membres — plan stratégique 2020-2025",
        title_en="Member consultation — 2020-2025 strategic plan",
        intro_fr="Votre avis oriente le plan stratégique 2020-2025 d'Alliage 02.",
        audience=Survey.Audience.MEMBERS, per=Survey.Per.ORGANISATION, anonymous=True,
        opens_at=_at(date(2020, 4, 4), 9), closes_at=_at(date(2020, 4, 30), 17),
        status=Survey.Status.OPEN))
    if created:
        made, position = [], 0
        for i, (kind, fr, en, cfr, cen, extra) in enumerate(QUESTIONS, start=1):
            if i in SECTIONS:
                title_fr, title_en, note_fr, note_en = SECTIONS[i]
                position += 1
                Question.objects.create(survey=survey, position=position, kind="section",
                                        text_fr=title_fr, text_en=title_en, note_fr=note_fr,
                                        note_en=note_en)
            extra = dict(extra)
            if "show_if" in extra:
                extra["show_if"] = made[extra["show_if"] - 1]
            position += 1
            made.append(Question.objects.create(survey=survey, position=position, kind=kind,
                                                text_fr=fr, text_en=en, choices_fr=cfr,
                                                choices_en=cen, **extra))
    if not survey.responses.exists():
        rng = random.Random(20200404)
        questions = list(survey.questions.exclude(kind="section"))
        orgs = list(Organisation.objects.members().select_related(
            "primary_sector", "municipality").order_by("pk")[:30])
        for org in orgs:
            answers = {str(questions[0].pk): rng.choice([0, 1, 1, 2, 2]),
                       str(questions[1].pk): sorted(rng.sample(range(6), rng.randint(1, 3))),
                       str(questions[2].pk): rng.choice([0, 0, 1]),
                       str(questions[4].pk): rng.choice([3, 4, 4, 4, 5, 5]),
                       str(questions[5].pk): str(rng.randint(0, 25))}
            if answers[str(questions[2].pk)] == 1:
                answers[str(questions[3].pk)] = rng.choice(COMMENTS)
            Participation.objects.create(survey=survey, organisation=org)
            Response.objects.create(survey=survey, answers=answers, sector=broad_sector(org),
                                    size=size_band(org.employees),
                                    town=org.municipality.name if org.municipality_id else "")
        if survey.status == Survey.Status.OPEN:
            from alliage.surveys.services import shuffle_rows

            survey.status = Survey.Status.CLOSED
            survey.save(update_fields=["status"])
            shuffle_rows(Response.objects.filter(survey=survey))
    open_survey = seed_open_survey()
    return [(survey.responses.count(), "survey responses"),
            (open_survey.questions.count(), "questions of the open survey")]


OPEN_SLUG = "priorites-2026"
OPEN_QUESTIONS = [
    ("ranking", "Classez ces priorités pour 2026", "Rank these priorities for 2026",
     "Main-d'œuvre\nSymbiose industrielle\nFinancement\nRéseautage",
     "Workforce\nIndustrial symbiosis\nFinancing\nNetworking", "", "", {"required": True}),
    ("matrix", "Évaluez nos services", "Rate our services",
     "Insatisfait\nNeutre\nSatisfait\nTrès satisfait",
     "Dissatisfied\nNeutral\nSatisfied\nVery satisfied",
     "Activités de réseautage\nFormations\nAchats regroupés",
     "Networking events\nTraining\nGroup purchasing", {}),
    ("long_text", "Un mot pour l'équipe?", "A word for the team?", "", "", "", "", {}),
]


def seed_open_survey():
    """An open, identified members' survey with a ranking and a matrix (the demo's everyday
    journey: answer part of it, save, come back, send)."""
    now = timezone.now()
    survey, created = Survey.objects.get_or_create(slug=OPEN_SLUG, defaults=dict(
        title_fr="Priorités 2026", title_en="Priorities for 2026",
        intro_fr="Dix minutes pour orienter le plan d'action 2026.",
        intro_en="Ten minutes to steer the 2026 action plan.",
        audience=Survey.Audience.MEMBERS, per=Survey.Per.PERSON, anonymous=False,
        opens_at=now - timezone.timedelta(days=3), closes_at=now + timezone.timedelta(days=45),
        status=Survey.Status.OPEN))
    if created:
        for i, (kind, fr, en, cfr, cen, rfr, ren, extra) in enumerate(OPEN_QUESTIONS, start=1):
            Question.objects.create(survey=survey, position=i, kind=kind, text_fr=fr,
                                    text_en=en, choices_fr=cfr, choices_en=cen, rows_fr=rfr,
                                    rows_en=ren, **extra)
    return survey
