"""LoW (or utility) code suggestions for a free-text description (FR or EN), with a
confidence, the code's label and why it was chosen.

Members must be able to trust them:
- negations count: "sans huile de coupe", "without oil", "exempt de PCB" take those words
  out of the description before it is matched (`negated`);
- a hazardous "mirror" entry (`*`) is never first unless the description itself says why
  (oil, solvent, contaminated…: `HAZARD_WORDS`); otherwise hazardous entries come after
  every non-hazardous one, and the reasons say so."""

import math
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from alliage.matching.taxonomy import display, taxonomy
from alliage.matching.text import STOP, Corrector, bigrams, fold, stem, words

OWN, SYNONYM, PHRASE, PARENT, CHAPTER = 1.0, 1.0, 1.6, 0.35, 0.12

# A negation and the words it governs (up to four, to the next comma or conjunction).
_NEGATION = re.compile(
    r"\b(?:sans|without|free of|free from|exempte?s? de|exempte?s? d|pas de|pas d|aucune?|"
    r"no|ni|nor)\s+((?:(?!et\b|and\b|mais\b|but\b|avec\b|with\b)[a-z0-9]+\s*){1,4})")
# Words that make a hazardous entry a fair first suggestion (folded stems).
HAZARD_WORDS = frozenset(stem(w) for w in """
huile huileux huileuse oil oily solvant solvants solvent solvents contamine contaminee
contamines contaminated dangereux dangereuse hazardous pcb amiante asbestos mercure mercury
acide acid acids peinture paint emulsion emulsions hydrocarbure hydrocarbures hydrocarbon
hydrocarbons toxique toxic cyanure cyanide goudron tar plomb lead batterie batteries battery
pile piles aerosol aerosols pesticide pesticides graisse grease chrome chromium cadmium
arsenic radioactif radioactive infectieux infectious explosif explosive inflammable
flammable corrosif corrosive
""".split())  # noqa: SIM905


@dataclass(frozen=True)
class Suggestion:
    code: str
    confidence: float
    matched: tuple = ()          # the description's words this code's terms hold
    negated: tuple = ()          # words the description negates (left out)
    hazard_words: tuple = ()     # the words that justify a hazardous entry
    demoted: bool = False        # a hazardous entry moved after the non-hazardous ones
    phrase: bool = False         # a trade phrase of the code was found (not only words)
    alternatives: bool = field(default=False, compare=False)

    @property
    def display(self):
        return display(self.code)

    @property
    def hazardous(self):
        return taxonomy().is_hazardous(self.code)

    def label(self, lang="fr"):
        node = taxonomy().nodes.get(self.code)
        return node.label(lang) if node else ""

    def why(self, lang="fr"):
        """Why this code, in words."""
        fr = lang == "fr"
        out = []
        if self.matched:
            quoted = ", ".join(f"« {w} »" if fr else f'"{w}"' for w in self.matched)
            out.append(f"mots reconnus : {quoted}" if fr else f"words recognised: {quoted}")
        if self.code.startswith("R"):
            out.append("flux d'énergie ou d'eau (code Alliage, hors Liste des déchets)" if fr
                       else "energy or water flow (Alliage code, outside the List of Waste)")
        if self.negated:
            quoted = ", ".join(f"« {w} »" if fr else f'"{w}"' for w in self.negated)
            out.append(f"écartés car niés : {quoted}" if fr else f"left out as negated: {quoted}")
        if self.hazardous and self.hazard_words:
            quoted = ", ".join(f"« {w} »" if fr else f'"{w}"' for w in self.hazard_words)
            out.append(f"entrée dangereuse (*) : la description mentionne {quoted}" if fr
                       else f"hazardous entry (*): the description mentions {quoted}")
        elif self.hazardous:
            out.append("entrée dangereuse (*) placée après les autres : rien dans la description "
                       "ne l'indique; à choisir seulement si la matière est contaminée" if fr
                       else "hazardous entry (*) placed after the others: nothing in the "
                       "description says so; choose it only if the material is contaminated")
        return out

    def as_dict(self, lang="fr"):
        return {"code": self.display, "label": self.label(lang), "hazardous": self.hazardous,
                "score": self.confidence, "why": self.why(lang)}


@lru_cache(maxsize=50_000)
def negated(text):
    """(text without its negated words, the negated words)."""
    folded = fold(text).replace("'", " ").replace("-", " ")
    found = []

    def cut(match):
        found.append(match.group(1).strip())
        return " "

    kept = _NEGATION.sub(cut, folded)
    return kept, tuple(found)


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
        kept, negations = negated(text)
        stems = self.stems(kept)
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
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:max(top, 8)]
        words_of = {}                            # corrected stem → the word as written
        for w in re.findall(r"[a-z0-9]+", kept):
            if w not in STOP and not w.isdigit() and len(w) >= 2:
                words_of.setdefault(self.corrector.correct(stem(w)), w)
        cues = tuple(dict.fromkeys(words_of.get(w, w) for w in stems if w in HAZARD_WORDS))
        demoted = False
        if not cues and any(self.tax.is_hazardous(c) for c, _ in ranked[:1]):
            # Never a hazardous entry first when the description gives no reason for it.
            safe = [kv for kv in ranked if not self.tax.is_hazardous(kv[0])]
            if safe:
                ranked = safe + [kv for kv in ranked if self.tax.is_hazardous(kv[0])]
                demoted = True
        ranked = ranked[:top]
        total = sum(s for _, s in ranked)
        strength = min(1.0, max(s for _, s in ranked) / 6.0)
        out = []
        for code, score in ranked:
            terms = self.terms[code]
            matched = tuple(dict.fromkeys(words_of.get(s, s) for s in stems
                                          if s in terms and terms[s] >= PARENT))[:4]
            phrase = any(terms.get(b, 0) >= PHRASE for b in query if "_" in b)
            out.append(Suggestion(code, round(score / total * strength, 3), matched,
                                  negations, cues if self.tax.is_hazardous(code) else (),
                                  demoted and self.tax.is_hazardous(code), phrase))
        return tuple(out)


_CLASSIFIER = None


def classifier():
    global _CLASSIFIER
    if _CLASSIFIER is None:
        _CLASSIFIER = Classifier()
    return _CLASSIFIER


def suggest(text, top=5):
    """Top LoW codes for a description, best first: [Suggestion(code, confidence, …)]."""
    return list(classifier().suggest(text, top))


def suggestions(text, top=5, lang="fr"):
    """The command line's and the pages' form: [{"code", "label", "hazardous", "score",
    "why"}], best first."""
    return [s.as_dict(lang) for s in suggest(text, top)]
