"""A survey's results: counts per choice, scale and number summaries, free text, cross-tabs.

Computed in Python over the survey's responses (one query; answers are JSON). Cross-tabs of
an anonymous survey never show a group of fewer than ``MIN_GROUP`` respondents: with the
sector, size and town of a small group, answers would point at a company.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from statistics import mean, median

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from alliage.surveys.models import Question, in_sections

MIN_GROUP = 5
DIMENSIONS = {"sector": _("Sector"), "size": _("Size (employees)"), "town": _("Municipality")}


@dataclass
class QuestionResult:
    question: Question
    number: int = 0                                 # 1-based, sections not counted
    answered: int = 0
    rows: list = field(default_factory=list)        # [(label, count, percent)]
    average: float | None = None
    median: float | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    texts: list = field(default_factory=list)
    ranking: list = field(default_factory=list)     # [(label, average rank, times first)]
    matrix: list = field(default_factory=list)      # [(row label, answered, [count per column])]

    @property
    def labels(self):
        return [r[0] for r in self.rows]

    @property
    def counts(self):
        return [r[1] for r in self.rows]


def _options(q):
    if q.is_choice:
        return list(enumerate(q.choices))
    return [(v, str(v)) for v in range(q.scale_min, q.scale_max + 1)]


def _chosen(q, value):
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, int)]


def question_result(q, responses):
    key = str(q.pk)
    values = [r.answers[key] for r in responses if key in r.answers]
    result = QuestionResult(question=q, answered=len(values))
    if q.is_choice or q.kind == Question.Kind.SCALE:
        counts = Counter(v for value in values for v in _chosen(q, value))
        for option, label in _options(q):
            n = counts.get(option, 0)
            result.rows.append((label, n, round(100 * n / len(values)) if values else 0))
        if q.kind == Question.Kind.SCALE:
            numbers = [v for value in values for v in _chosen(q, value)]
            if numbers:
                result.average = round(mean(numbers), 2)
                result.median = median(numbers)
    elif q.kind == Question.Kind.RANKING:
        _rank(q, values, result)
    elif q.kind == Question.Kind.MATRIX:
        _matrix(q, values, result)
    elif q.kind == Question.Kind.NUMBER:
        numbers = []
        for value in values:
            try:
                numbers.append(Decimal(str(value)))
            except (InvalidOperation, ValueError):
                continue
        if numbers:
            result.average = round(float(mean(numbers)), 2)
            result.median = float(median(numbers))
            result.minimum, result.maximum = min(numbers), max(numbers)
    else:
        result.texts = [str(v) for v in values if str(v).strip()]
    return result


def _rank(q, values, result):
    """A ranking: each choice's average rank among those who ranked it (1 = first) and how
    often it came first; best average first. ``rows`` count the first places (the chart)."""
    choices = q.choices
    ranks = {i: [] for i in range(len(choices))}
    for value in values:
        order = [i for i in value if isinstance(i, int) and 0 <= i < len(choices)] \
            if isinstance(value, list) else []
        for rank, i in enumerate(order, start=1):
            ranks[i].append(rank)
    firsts = Counter(value[0] for value in values if isinstance(value, list) and value)
    for i, label in enumerate(choices):
        n = firsts.get(i, 0)
        result.rows.append((label, n, round(100 * n / len(values)) if values else 0))
    result.ranking = sorted(
        ((label, round(mean(ranks[i]), 2) if ranks[i] else None, firsts.get(i, 0))
         for i, label in enumerate(choices)),
        key=lambda row: (row[1] is None, row[1] or 0))


def _matrix(q, values, result):
    """A matrix: per row, how many rated it and the count of each column."""
    columns = q.choices
    for r, label in enumerate(q.rows):
        picked = [value.get(str(r)) for value in values if isinstance(value, dict)]
        picked = [v for v in picked if isinstance(v, int) and 0 <= v < len(columns)]
        counts = Counter(picked)
        result.matrix.append((label, len(picked), [counts.get(c, 0) for c in
                                                     range(len(columns))]))


def survey_results(survey):
    """[QuestionResult] for every question, in order (sections hold no answer: left out),
    and the response count."""
    _questions, rows, total = _results(survey)
    return rows, total


def survey_results_in_sections(survey):
    """The results grouped under their sections' headings: ([(section or None,
    [QuestionResult])], [QuestionResult], response count)."""
    questions, rows, total = _results(survey)
    return in_sections(questions, rows, lambda r: r.question), rows, total


def _results(survey):
    responses = list(survey.responses.only("survey_id", "answers", "sector", "size", "town"))
    questions = list(survey.questions.all())
    rows = [question_result(q, responses) for q in questions if not q.is_section]
    for number, row in enumerate(rows, start=1):
        row.number = number
    return questions, rows, len(responses)


def cross_tab(survey, question, dimension):
    """Rows (group, respondents, [count per option]) of ``question`` by ``dimension``.

    Groups under MIN_GROUP are merged into one "other groups" row for an anonymous survey
    (and that row itself is hidden when still under MIN_GROUP)."""
    ranked = question.kind in (Question.Kind.RANKING, Question.Kind.MATRIX)
    if dimension not in DIMENSIONS or not (question.is_choice or ranked or
                                           question.kind == Question.Kind.SCALE):
        return None
    key = str(question.pk)
    groups = {}
    for r in survey.responses.only("survey_id", "answers", dimension):
        if key not in r.answers:
            continue
        groups.setdefault(getattr(r, dimension) or "—", []).append(r.answers[key])
    if question.kind == Question.Kind.RANKING:
        options = list(enumerate(question.choices))
    elif question.kind == Question.Kind.MATRIX:
        options = list(enumerate(question.rows))
    else:
        options = _options(question)
    rows, small = [], []
    for name in sorted(groups):
        values = groups[name]
        if survey.anonymous and len(values) < MIN_GROUP:
            small.extend(values)
            continue
        rows.append(_tab_row(name, values, question, options))
    hidden = 0
    if small:
        if len(small) >= MIN_GROUP:
            rows.append(_tab_row(_("Other groups"), small, question, options))
        else:
            hidden = len(small)
    measure = {Question.Kind.RANKING: _("Average rank per choice (1 = first)"),
               Question.Kind.MATRIX: _("Most chosen column per row")}.get(question.kind, "")
    return {"options": [label for _o, label in options], "rows": rows, "hidden": hidden,
            "measure": measure}


def _tab_row(name, values, question, options):
    if question.kind == Question.Kind.RANKING:
        # Each choice's average rank in the group ("—": nobody of the group ranked it).
        ranks = {option: [] for option, _label in options}
        for value in values:
            if isinstance(value, list):
                for rank, i in enumerate(value, start=1):
                    if i in ranks:
                        ranks[i].append(rank)
        return (name, len(values), [number_format(round(mean(ranks[o]), 1), 1)
                                    if ranks[o] else "—" for o, _label in options])
    if question.kind == Question.Kind.MATRIX:
        # Per row, the column the group chose most (ties: the first column).
        columns = question.choices
        cells = []
        for row, _label in options:
            picked = Counter(value.get(str(row)) for value in values if isinstance(value, dict)
                             and isinstance(value.get(str(row)), int)
                             and 0 <= value.get(str(row)) < len(columns))
            cells.append(columns[min(picked, key=lambda c: (-picked[c], c))] if picked
                         else "—")
        return (name, len(values), cells)
    counts = Counter(v for value in values for v in _chosen(question, value))
    return (name, len(values), [counts.get(option, 0) for option, _label in options])
