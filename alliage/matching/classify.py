"""LoW code suggestions for a free-text description (FR or EN), with a confidence."""

import math
from dataclasses import dataclass
from functools import cached_property, lru_cache

from alliage.matching.taxonomy import display, taxonomy
from alliage.matching.text import Corrector, bigrams, words

OWN, SYNONYM, PHRASE, PARENT, CHAPTER = 1.0, 1.0, 1.6, 0.35, 0.12


@dataclass(frozen=True)
class Suggestion:
    code: str
    confidence: float

    @property
    def display(self):
        return display(self.code)


class Classifier:
    def __init__(self, tax=None):
        self.tax = tax or taxonomy()
        leaves = list(self.tax.entries)
        with_entries = {n.parent for n in leaves}
        leaves += [n for n in self.tax.nodes.values()
                   if n.level == "subchapter" and n.code not in with_entries]
        self.leaves = [n.code for n in leaves]
        self.terms = {}                     # leaf code → {term: weight}
        for node in leaves:
            terms = {}

            def add(text, weight, phrase_weight=None, terms=terms):
                stems = words(text)
                for s in stems:
                    terms[s] = max(terms.get(s, 0), weight)
                for b in bigrams(stems):
                    terms[b] = max(terms.get(b, 0), phrase_weight or weight)

            add(node.label_fr, OWN)
            add(node.label_en, OWN)
            for synonym in node.synonyms:
                add(synonym, SYNONYM, PHRASE)
            if node.parent and node.level == "entry":
                parent = self.tax.nodes[node.parent]
                add(parent.label_fr, PARENT)
                add(parent.label_en, PARENT)
            chapter = self.tax.nodes.get(node.code[:2])
            if chapter:
                add(chapter.label_fr, CHAPTER)
                add(chapter.label_en, CHAPTER)
            self.terms[node.code] = terms
        df = {}
        for terms in self.terms.values():
            for t, w in terms.items():
                if w >= PARENT:
                    df[t] = df.get(t, 0) + 1
        n = len(self.leaves)
        self.idf = {t: math.log(1 + n / d) for t, d in df.items()}
        self.postings = {}
        for code, terms in self.terms.items():
            for t, w in terms.items():
                self.postings.setdefault(t, []).append((code, w))
        vocabulary = {t for t in self.idf if "_" not in t}
        for use in self.tax.uses.values():
            for w in use.words:
                vocabulary.update(words(w))
        self.corrector = Corrector(vocabulary)
        self.suggest = lru_cache(maxsize=50_000)(self._suggest)

    @cached_property
    def max_idf(self):
        return max(self.idf.values())

    def stems(self, text):
        """Typo-corrected stems of a text."""
        return tuple(self.corrector.correct(s) for s in words(text))

    def _suggest(self, text, top=5):
        stems = self.stems(text)
        query = set(stems) | set(bigrams(stems))
        scores = {}
        for term in query:
            idf = self.idf.get(term)
            if idf is None:
                continue
            for code, weight in self.postings.get(term, ()):
                scores[code] = scores.get(code, 0.0) + idf * weight
        if not scores:
            return ()
        for code in scores:
            if code.endswith("99"):
                scores[code] *= 0.9
            if self.tax.is_hazardous(code):      # the hazardous twin wins only on its words
                scores[code] *= 0.95
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        total = sum(s for _, s in ranked)
        strength = min(1.0, ranked[0][1] / 6.0)
        return tuple(Suggestion(code, round(s / total * strength, 3)) for code, s in ranked)


_CLASSIFIER = None


def classifier():
    global _CLASSIFIER
    if _CLASSIFIER is None:
        _CLASSIFIER = Classifier()
    return _CLASSIFIER


def suggest(text, top=5):
    """Top LoW codes for a description, best first: [Suggestion(code, confidence)]."""
    return list(classifier().suggest(text, top))
