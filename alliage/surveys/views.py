"""Surveys: answering (members, attendees or the public), building and results (staff),
results for the board."""

import secrets

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from alliage.core import confirm, exports
from alliage.core.http import posted
from alliage.core.roles import is_staff, staff_required
from alliage.governance.permissions import board_required
from alliage.surveys import results, services
from alliage.surveys.charts import bars_svg
from alliage.surveys.forms import AnswerForm, QuestionForm, SurveyForm, field_name, item_name, items
from alliage.surveys.models import Question, Survey, in_sections

# --- Respondents ---------------------------------------------------------------------------


def survey_list(request):
    surveys = Survey.objects.visible_to(request.user).order_by("closes_at")
    return render(request, "surveys/list.html", {"surveys": surveys})


def _visitor_key(request, create=False):
    key = request.session.get("survey_visitor", "")
    if not key and create:
        key = request.session["survey_visitor"] = secrets.token_hex(16)
    return key


def answer(request, slug):
    survey = get_object_or_404(Survey.objects.open_now(), slug=slug)
    if not request.user.is_authenticated and survey.audience != Survey.Audience.PUBLIC:
        return redirect_to_login(request.get_full_path())
    questions = list(survey.questions.all())
    preview = is_staff(request.user) and not getattr(request.user, "contact_id", None)
    contact = organisation = draft = None
    if not preview:
        try:
            contact, organisation = services.respondent(request.user, survey)
        except PermissionDenied:
            if not is_staff(request.user):
                raise
            # Staff who are not in the audience (their person record belongs to no member
            # company) see the survey as a preview, like staff without a person record.
            preview = True
    if not preview:
        if services.already_answered(survey, contact=contact, organisation=organisation,
                                     visitor_key=_visitor_key(request)):
            return render(request, "surveys/answered.html", {"survey": survey})
        draft = services.draft_for(survey, contact=contact, visitor_key=_visitor_key(request))
    saving = request.method == "POST" and "save_draft" in request.POST
    form = AnswerForm(posted(request), questions=questions, partial=saving)
    if draft is not None and request.method != "POST":
        form.initial_from(draft.answers)
    if request.method == "POST":
        if preview:
            raise PermissionDenied(_("Staff preview the survey; they do not answer it."))
        if form.is_valid():
            try:
                if saving:
                    services.draft_save(survey=survey, contact=contact, answers=form.answers,
                                        visitor_key=_visitor_key(request, create=True))
                    messages.success(request, _("Your answers are saved. Come back to this "
                                                "page to finish before the survey closes."))
                    return redirect("surveys:answer", slug=survey.slug)
                services.response_submit(
                    survey=survey, contact=contact, organisation=organisation,
                    answers=form.answers, visitor_key=_visitor_key(request, create=True))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("surveys:answer", slug=survey.slug)
            return redirect("surveys:thanks", slug=survey.slug)
    blocks = [(form[field_name(q)], q,
               [(label, form[item_name(q, i)]) for i, label in enumerate(items(q))])
              for q in form.questions]
    return render(request, "surveys/answer.html", {
        "survey": survey, "form": form, "preview": preview, "organisation": organisation,
        "groups": in_sections(questions, blocks, lambda block: block[1]), "draft": draft})


def thanks(request, slug):
    survey = get_object_or_404(Survey.objects.exclude(status=Survey.Status.DRAFT), slug=slug)
    return render(request, "surveys/thanks.html", {"survey": survey})


# --- Results (staff and board) ------------------------------------------------------------


@board_required
def survey_results(request, slug):
    survey = get_object_or_404(Survey.objects.exclude(status=Survey.Status.DRAFT), slug=slug)
    groups, rows, total = results.survey_results_in_sections(survey)
    for r in rows:
        r.svg = bars_svg(r.labels, r.counts) if r.rows and r.answered else ""
    dimension = request.GET.get("par", "")
    tabs = []
    if dimension in results.DIMENSIONS:
        tabs = [(r.question, tab) for r in rows if r.rows or r.matrix
                for tab in [results.cross_tab(survey, r.question, dimension)] if tab]
    return render(request, "surveys/results.html", {
        "survey": survey, "groups": groups, "total": total, "tabs": tabs,
        "dimension": dimension, "dimensions": results.DIMENSIONS,
        "min_group": results.MIN_GROUP, "participants": survey.participations.count()})


@board_required
def survey_export(request, slug, fmt):
    survey = get_object_or_404(Survey.objects.exclude(status=Survey.Status.DRAFT), slug=slug)
    questions = list(survey.questions.exclude(kind=Question.Kind.SECTION))
    columns = []
    if not survey.anonymous:
        columns += [exports.Column(_("Person"), lambda r: r.contact.full_name if r.contact_id
                                   else ""),
                    exports.Column(_("Organisation"), lambda r: r.organisation.legal_name
                                   if r.organisation_id else ""),
                    exports.Column(_("Date"), lambda r: r.submitted_on)]
    columns += [exports.Column(_("Sector"), lambda r: r.sector),
                exports.Column(_("Size (employees)"), lambda r: r.size),
                exports.Column(_("Municipality"), lambda r: r.town)]
    columns += [exports.Column(q.text, _answer_reader(q)) for q in questions]
    responses = survey.responses.select_related("contact", "organisation").order_by(
        "sector", "size", "town", "pk")
    return exports.export_response(responses, columns, fmt, name=survey.slug,
                                   sheet=_("Responses"),
                                   separator=exports.csv_separator(request))


def _answer_reader(question):
    key = str(question.pk)
    choices = question.choices

    def read(response):
        value = response.answers.get(key)
        if value is None:
            return None
        if question.is_choice or question.kind == Question.Kind.RANKING:
            picked = value if isinstance(value, list) else [value]
            # A ranking reads in its order: "1. first; 2. second".
            labels = [choices[i] for i in picked if isinstance(i, int) and 0 <= i < len(choices)]
            if question.kind == Question.Kind.RANKING:
                return "; ".join(f"{n}. {label}" for n, label in enumerate(labels, start=1))
            return ", ".join(labels)
        if question.kind == Question.Kind.MATRIX:
            rows = question.rows
            return "; ".join(f"{rows[int(r)]} : {choices[c]}" for r, c in sorted(
                value.items(), key=lambda item: int(item[0]))
                if r.isdigit() and int(r) < len(rows) and isinstance(c, int)
                and 0 <= c < len(choices)) if isinstance(value, dict) else ""
        if question.kind == Question.Kind.NUMBER:
            try:
                return float(value)
            except (TypeError, ValueError):
                return str(value)
        return value

    return read


# --- Staff ---------------------------------------------------------------------------------


@staff_required
def staff_list(request):
    surveys = Survey.objects.all()
    from django.db.models import Count, Q

    surveys = surveys.annotate(
        n_responses=Count("responses", distinct=True),
        n_questions=Count("questions", distinct=True,
                          filter=~Q(questions__kind=Question.Kind.SECTION)))
    return render(request, "surveys/staff_list.html", {"surveys": surveys})


@staff_required
def staff_edit(request, pk=None):
    survey = get_object_or_404(Survey, pk=pk) if pk else Survey()
    has_responses = bool(pk) and survey.responses.exists()
    form = SurveyForm(posted(request), instance=survey, has_responses=has_responses)
    if request.method == "POST" and form.is_valid():
        survey = services.survey_save(form=form, actor=request.user, request=request)
        messages.success(request, _("Survey saved."))
        return redirect("surveys:staff_edit", pk=survey.pk)
    return render(request, "surveys/staff_edit.html", {
        "survey": survey, "form": form, "has_responses": has_responses,
        "questions": survey.questions.all() if survey.pk else []})


@staff_required
def question_edit(request, pk, question_pk=None):
    survey = get_object_or_404(Survey, pk=pk)
    question = get_object_or_404(survey.questions, pk=question_pk) if question_pk else \
        Question(survey=survey, position=survey.questions.count() + 1)
    if not question.pk and request.GET.get("kind") == Question.Kind.SECTION:
        question.kind = Question.Kind.SECTION   # "Add a section"
    form = QuestionForm(posted(request), instance=question, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(form=form, actor=request.user, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Question saved."))
        return redirect("surveys:staff_edit", pk=survey.pk)
    return render(request, "surveys/question_edit.html", {
        "survey": survey, "question": question, "form": form})


@staff_required
@require_POST
def question_delete(request, pk, question_pk):
    survey = get_object_or_404(Survey, pk=pk)
    question = get_object_or_404(survey.questions, pk=question_pk)
    asked = confirm.ask(request, _("Delete the question “%s”?") % question.text)
    if asked:
        return asked
    try:
        services.question_delete(question=question, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("surveys:staff_edit", pk=survey.pk)


def _survey_action(request, pk, question, service, done, danger=True):
    survey = get_object_or_404(Survey, pk=pk)
    asked = confirm.ask(request, question % survey.title, danger=danger)
    if asked:
        return asked
    try:
        service(survey=survey, actor=request.user, request=request)
        messages.success(request, done)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("surveys:staff_edit", pk=survey.pk)


@staff_required
@require_POST
def survey_open(request, pk):
    return _survey_action(request, pk, _("Open the survey “%s” to its audience? Once it has "
                                         "responses, its questions can no longer change."),
                          services.survey_open, _("The survey is open."), danger=False)


@staff_required
@require_POST
def survey_close(request, pk):
    return _survey_action(request, pk, _("Close the survey “%s” for good? No one will be able "
                                         "to answer it any more."),
                          services.survey_close, _("The survey is closed."))


@staff_required
@require_POST
def survey_invite(request, pk):
    survey = get_object_or_404(Survey, pk=pk)
    reminder = request.POST.get("reminder") == "1"
    question = (_("Send a reminder to everyone in the audience who has not answered “%s”?")
                if reminder else _("Mail the survey “%s” to its whole audience?"))
    asked = confirm.ask(request, question % survey.title, danger=False)
    if asked:
        return asked
    try:
        sent = services.survey_invite(survey=survey, actor=request.user, reminder=reminder,
                                      request=request)
        messages.success(request, ngettext("%(n)s message queued.", "%(n)s messages queued.",
                                           sent) % {"n": sent})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("surveys:staff_edit", pk=survey.pk)
