"""Forms: the survey and its questions (staff), the answer sheet (respondents)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliage.surveys.models import Question, Survey

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title_fr", "title_en", "slug", "intro_fr", "intro_en", "audience", "event",
                  "per", "anonymous", "opens_at", "closes_at"]
        widgets = {"opens_at": DATETIME, "closes_at": DATETIME,
                   "intro_fr": forms.Textarea(attrs={"rows": 3}),
                   "intro_en": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, has_responses=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opens_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["closes_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if has_responses:
            # Once answered, a survey's promise to respondents is fixed.
            for name in ("anonymous", "per", "audience", "event"):
                self.fields[name].disabled = True

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The survey must close after it opens."))
        if data.get("audience") == Survey.Audience.ATTENDEES and not data.get("event"):
            self.add_error("event", _("Choose the event whose attendees are asked."))
        if data.get("audience") == Survey.Audience.PUBLIC and \
                data.get("per") == Survey.Per.ORGANISATION:
            self.add_error("per", _("A public survey takes one response per person."))
        return data


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["position", "kind", "text_fr", "text_en", "choices_fr", "choices_en",
                  "scale_min", "scale_max", "required", "show_if", "show_if_choice"]
        widgets = {"choices_fr": forms.Textarea(attrs={"rows": 4}),
                   "choices_en": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        earlier = survey.questions.filter(kind__in=Question.CHOICE_KINDS)
        if self.instance.pk:
            earlier = earlier.exclude(pk=self.instance.pk)
        self.fields["show_if"].queryset = earlier
        self.fields["show_if_choice"].help_text = _("1 for the first choice, 2 for the "
                                                    "second…")

    def clean_show_if_choice(self):
        value = self.cleaned_data.get("show_if_choice")
        return value - 1 if value else value  # people count from 1, the data from 0

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        choices = [c for c in (data.get("choices_fr") or "").splitlines() if c.strip()]
        if kind in Question.CHOICE_KINDS and len(choices) < 2:
            self.add_error("choices_fr", _("A choice question needs at least two choices."))
        if kind == Question.Kind.SCALE:
            low, high = data.get("scale_min"), data.get("scale_max")
            if low is not None and high is not None and not (0 <= low < high <= 10):
                self.add_error("scale_max", _("A scale goes from 0 or 1 up to at most 10."))
        parent, choice = data.get("show_if"), data.get("show_if_choice")
        if parent is not None:
            position = data.get("position") or 0
            if (parent.position, parent.pk) >= (position, self.instance.pk or 10**18):
                self.add_error("show_if", _("The condition must be an earlier question."))
            elif choice is None or not 0 <= choice < len(parent.choices):
                self.add_error("show_if_choice", _("Give the number of one of that "
                                                   "question's choices."))
        elif choice is not None:
            self.add_error("show_if", _("Choose the question the condition is about."))
        return data


def field_name(question):
    return f"q{question.pk}"


class AnswerForm(forms.Form):
    """One field per question; skip logic decides which ones count (``visible``)."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for q in self.questions:
            self.fields[field_name(q)] = self._field(q)

    @staticmethod
    def _field(q):
        common = {"label": q.text, "required": False}
        if q.kind == Question.Kind.SINGLE:
            return forms.TypedChoiceField(choices=list(enumerate(q.choices)), coerce=int,
                                          widget=forms.RadioSelect, **common)
        if q.kind == Question.Kind.MULTIPLE:
            return forms.TypedMultipleChoiceField(choices=list(enumerate(q.choices)),
                                                  coerce=int,
                                                  widget=forms.CheckboxSelectMultiple, **common)
        if q.kind == Question.Kind.SCALE:
            values = [(v, str(v)) for v in range(q.scale_min, q.scale_max + 1)]
            return forms.TypedChoiceField(choices=values, coerce=int, widget=forms.RadioSelect,
                                          **common)
        if q.kind == Question.Kind.NUMBER:
            return forms.DecimalField(max_digits=14, decimal_places=2, localize=True, **common)
        if q.kind == Question.Kind.SHORT_TEXT:
            return forms.CharField(max_length=300, **common)
        return forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                               **common)

    def visible(self, answers):
        """The questions shown given ``answers`` ({question id: value}), in order."""
        return visible_questions(self.questions, answers)

    def clean(self):
        data = super().clean()
        raw = {q.pk: data.get(field_name(q)) for q in self.questions}
        shown = {q.pk for q in self.visible(raw)}
        answers = {}
        for q in self.questions:
            value = raw[q.pk]
            empty = value in (None, "", [])
            if q.pk not in shown:
                continue  # a hidden question's answer is dropped, never stored
            if empty:
                if q.required:
                    self.add_error(field_name(q), _("This question needs an answer."))
                continue
            answers[str(q.pk)] = str(value) if q.kind == Question.Kind.NUMBER else value
        self.answers = answers
        return data


def visible_questions(questions, answers):
    """Skip logic: a question with a condition is shown when its earlier question is shown
    and was answered with the given choice."""
    shown = []
    seen = set()
    for q in questions:
        if q.show_if_id is not None:
            parent_answer = answers.get(q.show_if_id)
            chosen = parent_answer if isinstance(parent_answer, list) else [parent_answer]
            if q.show_if_id not in seen or q.show_if_choice not in chosen:
                continue
        seen.add(q.pk)
        shown.append(q)
    return shown
