"""Surveys' personal data in the Law 25 registry: identified responses and participations.

Anonymous responses hold no link to anyone (only a sector, a size band and a town), so they
are outside any person's export and erasure by construction."""

from django.utils.translation import gettext_lazy as _

from alliage.core import privacy
from alliage.surveys.models import Draft, Participation, Question, Response, Survey


def _export_responses(subject):
    rows = (Response.objects.filter(contact_id=subject.person_id)
            .select_related("survey").prefetch_related("survey__questions"))
    data = []
    for r in rows:
        texts = {str(q.pk): q.text_fr for q in r.survey.questions.all()}
        data.append({"survey": r.survey.title_fr, "submitted_on": privacy.iso(r.submitted_on),
                     "answers": {texts.get(k, k): v for k, v in r.answers.items()}})
    return data


def _anonymise_responses(subject, actor):
    # The answers stay in the results, with no link to the person and their name scrubbed.
    for r in Response.objects.filter(contact_id=subject.person_id):
        r.contact = None
        r.organisation = None
        r.submitted_on = None
        r.answers = privacy.scrub(r.answers, subject)
        r.save(update_fields=["contact", "organisation", "submitted_on", "answers"])


def _export_participations(subject):
    return [{"survey": p.survey.title_fr}
            for p in Participation.objects.filter(contact_id=subject.person_id)
            .select_related("survey")]


def _anonymise_participations(subject, actor):
    Participation.objects.filter(contact_id=subject.person_id).update(contact=None)


def _export_drafts(subject):
    return [{"survey": d.survey.title_fr, "answers": d.answers}
            for d in Draft.objects.filter(contact_id=subject.person_id).select_related("survey")]


def _erase_drafts(subject, actor):
    Draft.objects.filter(contact_id=subject.person_id).delete()


def register():
    privacy.register(
        "survey_responses", title=_("Survey responses"), models=[Response],
        export=_export_responses, anonymise=_anonymise_responses,
        rule=_("Your answers to identified surveys stay in their results; erased, they lose "
               "any link to you. Anonymous surveys never kept one."))
    privacy.register(
        "survey_participations", title=_("Surveys answered"), models=[Participation],
        export=_export_participations, anonymise=_anonymise_participations,
        rule=_("Which surveys you answered (never what you answered, when the survey is "
               "anonymous), to allow one response each; erased with you."))
    privacy.register(
        "survey_drafts", title=_("Survey answers saved to finish later"), models=[Draft],
        export=_export_drafts, anonymise=_erase_drafts,
        rule=_("Kept until you send the survey or it closes, then deleted; erased with you."))
    privacy.exempt(Survey, "a survey's text written by the staff")
    privacy.exempt(Question, "a question's text written by the staff")
