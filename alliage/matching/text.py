"""Bilingual (FR/EN) text normalisation: accents, case, plurals, stop words, typos."""

import re
import unicodedata
from functools import lru_cache

STOP = frozenset("""
a a about ailleurs all an an and annee annees any approx are around as at au autre autres
aux avec be bien by c ce celles ces cette ceux chaque chez compris d dans day de des du
each en environ est et example except exemple for from il ils in including is it its j
jour kg kwh l la le les leur leurs liter liters litre litres m m3 mentioned moins mois
month months mwh n ne non nos not notre nous of on on or other others otherwise ou our par
pas per plus pour qu qu' que qui rubrique rubriques s sa sauf se semaine ses son sont
specifie specified specifies sur t t than that the their these this those to ton tonne
tonnes tons tous tout toute toutes tres un une us visee visees vises visés vos votre vous
we week with y year years
""".split())  # noqa: SIM905

_WORD = re.compile(r"[a-z0-9]+")


def fold(text):
    """Lower case without accents; œ/æ spelled out."""
    text = (text or "").lower().replace("œ", "oe").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def stem(word):
    """A light, shared FR/EN stemmer: both sides of every comparison go through it."""
    if len(word) > 4 and word.endswith("aux"):
        word = word[:-3] + "al"
    elif len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


@lru_cache(maxsize=200_000)
def words(text):
    """Meaningful stems of a text, in order (digits-only words and stop words dropped)."""
    out = []
    for w in _WORD.findall(fold(text).replace("'", " ")):
        if w in STOP or w.isdigit() or len(w) < 2:
            continue
        s = stem(w)
        if s not in STOP:
            out.append(s)
    return tuple(out)


def bigrams(stems):
    return [f"{a}_{b}" for a, b in zip(stems, stems[1:], strict=False)]


def trigrams(word):
    padded = f"  {word} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


class Corrector:
    """Maps an unknown word to the closest vocabulary word (typos, missing letters)."""

    def __init__(self, vocabulary, threshold=0.5):
        self.vocabulary = frozenset(vocabulary)
        self.threshold = threshold
        self.index = {}
        for word in self.vocabulary:
            if len(word) >= 4:
                for g in trigrams(word):
                    self.index.setdefault(g, []).append(word)
        self.correct = lru_cache(maxsize=100_000)(self._correct)

    def _correct(self, word):
        if word in self.vocabulary or len(word) < 4:
            return word
        grams = trigrams(word)
        counts = {}
        for g in grams:
            for candidate in self.index.get(g, ()):
                counts[candidate] = counts.get(candidate, 0) + 1
        best, best_score = word, self.threshold
        for candidate, shared in counts.items():
            score = shared / (len(grams) + len(trigrams(candidate)) - shared)
            if score > best_score or (score == best_score and candidate < best):
                best, best_score = candidate, score
        return best
