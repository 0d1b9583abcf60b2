"""Forms: the survey and its questions (staff), the answer sheet (respondents)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliage.surveys.models import Question, Survey

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title_fr", "title_en", "slug", "intro_fr", "intro_en", "audience", "event",
                  "segment", "per", "anonymous", "opens_at", "closes_at"]
        widgets = {"opens_at": DATETIME, "closes_at": DATETIME,
                   "intro_fr": forms.Textarea(attrs={"rows": 3}),
                   "intro_en": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, has_responses=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opens_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["closes_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["segment"].help_text = _(
            "Only for the audience “member companies of a CRM segment”. A segment is saved "
            "from the companies list: filter it, then “Save these filters as a segment”.")
        if has_responses:
            # Once answered, a survey's promise to respondents is fixed.
            for name in ("anonymous", "per", "audience", "event", "segment"):
                self.fields[name].disabled = True

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The survey must close after it opens."))
        if data.get("audience") == Survey.Audience.ATTENDEES and not data.get("event"):
            self.add_error("event", _("Choose the event whose attendees are asked."))
        if data.get("audience") == Survey.Audience.SEGMENT and not data.get("segment"):
            self.add_error("segment", _("Choose the segment whose member companies are asked."))
        if data.get("audience") != Survey.Audience.SEGMENT:
            data["segment"] = None
        if data.get("audience") == Survey.Audience.PUBLIC and \
                data.get("per") == Survey.Per.ORGANISATION:
            self.add_error("per", _("A public survey takes one response per person."))
        return data


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["position", "kind", "text_fr", "text_en", "note_fr", "note_en", "choices_fr",
                  "choices_en", "rows_fr", "rows_en", "scale_min", "scale_max", "required",
                  "show_if", "show_if_choice"]
        widgets = {"choices_fr": forms.Textarea(attrs={"rows": 4}),
                   "choices_en": forms.Textarea(attrs={"rows": 4}),
                   "rows_fr": forms.Textarea(attrs={"rows": 4}),
                   "rows_en": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        earlier = survey.questions.filter(kind__in=Question.CHOICE_KINDS)
        if self.instance.pk:
            earlier = earlier.exclude(pk=self.instance.pk)
        self.fields["show_if"].queryset = earlier
        self.fields["show_if_choice"].help_text = _("1 for the first choice, 2 for the "
                                                    "second…")
        self.fields["text_fr"].help_text = _("For a section: its title.")
        self.fields["position"].help_text = _("Questions and sections are shown in this "
                                              "order; a section heads the questions after it.")

    def clean_show_if_choice(self):
        value = self.cleaned_data.get("show_if_choice")
        return value - 1 if value else value  # people count from 1, the data from 0

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Question.Kind.SECTION:
            return self._clean_section(data)
        choices = [c for c in (data.get("choices_fr") or "").splitlines() if c.strip()]
        if kind in Question.LISTED_KINDS and len(choices) < 2:
            self.add_error("choices_fr", _("A choice question needs at least two choices."))
        if kind in Question.LISTED_KINDS and len(choices) > MAX_ITEMS:
            self.add_error("choices_fr", _("At most 20 choices."))
        if kind == Question.Kind.MATRIX:
            rows = [r for r in (data.get("rows_fr") or "").splitlines() if r.strip()]
            if not rows:
                self.add_error("rows_fr", _("A matrix needs at least one row."))
            elif len(rows) > MAX_ITEMS:
                self.add_error("rows_fr", _("At most 20 rows."))
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

    def _clean_section(self, data):
        """A section is a heading: no answer, so never required, never a condition, and
        never the condition of another question."""
        if data.get("required"):
            self.add_error("required", _("A section holds no answer: it cannot be required."))
        if data.get("show_if") is not None or data.get("show_if_choice") is not None:
            self.add_error("show_if", _("A section has no condition: it is hidden when all "
                                        "its questions are."))
        for name in ("choices_fr", "choices_en", "rows_fr", "rows_en"):
            if (data.get(name) or "").strip():
                self.add_error(name, _("A section has no choices or rows."))
        if self.instance.pk and self.survey.questions.filter(show_if=self.instance).exists():
            self.add_error("kind", _("Other questions are shown depending on this question's "
                                     "answer: it cannot become a section."))
        return data


MAX_ITEMS = 20


def field_name(question):
    return f"q{question.pk}"


def item_name(question, index):
    """The field of one item of a ranking (a choice) or of a matrix (a row)."""
    return f"q{question.pk}_{index}"


def items(question):
    """The items a ranking or matrix question asks about (its choices, its rows)."""
    if question.kind == Question.Kind.RANKING:
        return question.choices
    if question.kind == Question.Kind.MATRIX:
        return question.rows
    return []


class AnswerForm(forms.Form):
    """One field per question; skip logic decides which ones count (``visible``)."""

    def __init__(self, *args, questions, partial=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Sections are headings: no field, no answer.
        self.questions = [q for q in questions if not q.is_section]
        # A draft saved to finish later: types are checked, required answers are not.
        self.partial = partial
        for q in self.questions:
            self.fields[field_name(q)] = self._field(q)
            for i, _label in enumerate(items(q)):
                self.fields[item_name(q, i)] = self._item_field(q)

    @staticmethod
    def _item_field(q):
        if q.kind == Question.Kind.RANKING:
            ranks = [("", "—")] + [(r, str(r)) for r in range(1, len(q.choices) + 1)]
            return forms.TypedChoiceField(choices=ranks, coerce=int, required=False,
                                          empty_value=None)
        return forms.TypedChoiceField(choices=list(enumerate(q.choices)), coerce=int,
                                      required=False, empty_value=None)

    def initial_from(self, answers):
        """Fill the sheet with saved answers ({question id (str): value}, a draft's)."""
        for q in self.questions:
            value = answers.get(str(q.pk))
            if value is None:
                continue
            if q.kind == Question.Kind.RANKING and isinstance(value, list):
                for rank, choice in enumerate(value, start=1):
                    self.initial[item_name(q, choice)] = rank
            elif q.kind == Question.Kind.MATRIX and isinstance(value, dict):
                for row, column in value.items():
                    self.initial[f"q{q.pk}_{row}"] = column  # item_name with a str index
            else:
                self.initial[field_name(q)] = value

    def composite(self, q, data):
        """A ranking's order ([choice index], first = rank 1) or a matrix's ratings
        ({row index (str): column index}) from its item fields; errors on ``q``'s field."""
        values = [data.get(item_name(q, i)) for i in range(len(items(q)))]
        if q.kind == Question.Kind.MATRIX:
            answer = {str(i): v for i, v in enumerate(values) if v is not None}
            if answer and len(answer) < len(values) and q.required and not self.partial:
                self.add_error(field_name(q), _("Rate every row."))
            return answer or None
        ranked = [(rank, i) for i, rank in enumerate(values) if rank is not None]
        if not ranked:
            return None
        ranks = [rank for rank, _i in ranked]
        if len(set(ranks)) != len(ranks):
            self.add_error(field_name(q), _("Give each rank only once."))
            return None
        if q.required and len(ranked) < len(values) and not self.partial:
            self.add_error(field_name(q), _("Rank every choice."))
        return [i for _rank, i in sorted(ranked)]

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
        if q.kind in (Question.Kind.RANKING, Question.Kind.MATRIX):
            # The answer is read from one field per item (``item_name``).
            return forms.CharField(widget=forms.HiddenInput, **common)
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
        # Conditions are only about choice questions, so what is shown is known before the
        # rankings and matrices are read (and a hidden one's errors are never raised).
        raw = {q.pk: None if items(q) else data.get(field_name(q)) for q in self.questions}
        shown = {q.pk for q in self.visible(raw)}
        for q in self.questions:
            if items(q) and q.pk in shown:
                raw[q.pk] = self.composite(q, data)
        answers = {}
        for q in self.questions:
            value = raw[q.pk]
            empty = value in (None, "", [])
            if q.pk not in shown:
                continue  # a hidden question's answer is dropped, never stored
            if empty:
                if q.required and not self.partial and field_name(q) not in self.errors:
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
