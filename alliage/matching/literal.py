"""Literal evidence: what two descriptions say in the same words, whatever the taxonomy knows.

- character 4-grams of the folded text without stop words, TF-IDF weighted with the IDF of
  the corpus being matched (`Literal.fit`) — the same evidence a plain TF-IDF ranking uses;
  grams found in more than `COMMON` of the corpus carry no evidence and are left out (they
  also keep the fast path's text table sparse);
- shared rare terms: the idf-weighted stem cosine (`streams._tokens`) and the rare stems a
  need names (`rare_stems`), which make a pair a candidate even without a taxonomy relation.
`literal_score` combines them; `plain_baseline` is the unadorned TF-IDF the benchmark beats.
"""

import math
import re
from functools import lru_cache

import numpy as np
from scipy import sparse

from alliage.matching.text import STOP, fold, words

N = 4
COMMON = 0.02            # grams in more than 2 % of a large corpus are not evidence
COMMON_MIN_DOCS = 12     # … but a small corpus keeps every gram seen in up to 12 texts
CHAR_SHARE = 0.6         # literal = 0.6 · char-gram cosine + 0.4 · rare-stem cosine
RARE_IDF = 3.0           # a stem is rare below ~45 of the taxonomy's 850 leaves
# Words every buyer or seller writes: never a reason to propose a pair.
NOT_EVIDENCE = frozenset(words(
    "cherche recherche recherchons achete achetons acheteur besoin besoins veut voulons "
    "souhaite accepte acceptons reprend reprenons prend disponible disponibles offre offrons "
    "vend vendons fournisseur fournir usine entreprise compagnie societe producteur fabricant "
    "client clients residu residus matiere matieres produit produits sous-produit "
    "looking look seek seeking buy buys buyer need needs want wants accept accepts take takes "
    "available offer offers sell sells supplier plant company companies producer maker "
    "customer customers residue residues material materials product products by-product "
    "notre nos our we us leur their environ about "
    # States and conditions: they qualify any material, they name none.
    "sec seche secs seches dry humide humides wet propre propres clean trie triee tries "
    "sorted vrac bulk melange melangee melanges mixed use usee uses used neuf neuve new "
    "surplus excedent excedentaire excess residuel residuelle waste dechet dechets "
    "grande grand petit petite large small quantite quantites quantity quantities "
    "semaine mois annee jour week month year day tonne tonnes ton tons "
    # Function words and adverbs the stop list leaves: they say nothing of a material, and
    # the taxonomy does not know them (so they would count as the rarest words of all).
    "could would should can may might must will shall more most less much many several "
    "some few very also only just now today currently still already then after before "
    "over under left right next since until while each every both either other another "
    "whole full part lot lots kind kinds type types way ways thing things hundred hundreds "
    "thousand thousands dozen dozens million millions per cent percent approximately "
    "roughly nearly almost around here there where which what whose when into onto out "
    "off up down away back well even yet instead rather such same own "
    "pourrait pourraient peut peuvent doit doivent sera seront plus moins tres aussi "
    "seulement deja encore maintenant aujourd hui actuellement apres avant depuis pendant "
    "chaque plusieurs quelques certain certains certaine certaines centaine centaines "
    "millier milliers dizaine dizaines million millions pourcent partie type types sorte "
    "facon ici ou dont quand vers hors sous entre comme ainsi meme memes tel telle tels "
    "telles cet ete"))
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=200_000)
def clean(text):
    """Folded words without stop words or bare numbers, single-spaced."""
    return " ".join(w for w in _WORD.findall(fold(text).replace("'", " "))
                    if w not in STOP and not w.isdigit())


@lru_cache(maxsize=200_000)
def grams(text):
    """{4-gram: count} of the cleaned text, padded with a space at each end."""
    padded = f" {clean(text)} "
    out = {}
    for i in range(len(padded) - N + 1):
        g = padded[i:i + N]
        out[g] = out.get(g, 0) + 1
    return out


class Literal:
    """Character 4-gram TF-IDF fitted on a corpus (smooth idf, as scikit-learn's default)."""

    def __init__(self, df, count):
        self.count = count
        cut = max(COMMON_MIN_DOCS, COMMON * count)
        self.idf = {g: math.log((1 + count) / (1 + d)) + 1 for g, d in df.items() if d <= cut}
        self.common = frozenset(g for g, d in df.items() if d > cut)
        self.default_idf = math.log(1 + count) + 1
        self._vectors = {}

    @classmethod
    def fit(cls, texts):
        df = {}
        for text in set(texts):
            for g in grams(text or ""):
                df[g] = df.get(g, 0) + 1
        return cls(df, len(set(texts)))

    def vector(self, text):
        """L2-normalised weights of the text's evidence grams (one dict per text, shared)."""
        found = self._vectors.get(text)
        if found is None:
            weights = {}
            for g, tf in grams(text or "").items():
                idf = self.idf.get(g)
                if idf is None and g not in self.common:
                    idf = self.default_idf          # unseen in the corpus: rare
                if idf is not None:
                    weights[g] = tf * idf
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            found = {g: w / norm for g, w in weights.items()}
            self._vectors[text] = found
        return found


_REFERENCE = None


def reference():
    """The IDF used when no corpus is given: the taxonomy's labels, trade words and uses."""
    global _REFERENCE
    if _REFERENCE is None:
        from alliage.matching.taxonomy import taxonomy

        tax = taxonomy()
        texts = [f"{n.label_fr} {n.label_en} {' '.join(n.synonyms)}" for n in tax.nodes.values()]
        texts += [f"{u.label_fr} {u.label_en} {' '.join(u.words)}" for u in tax.uses.values()]
        _REFERENCE = Literal.fit(texts)
    return _REFERENCE


def cosine(a, b):
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return sum(w * large[t] for t, w in small.items() if t in large)


def literal_score(char, word):
    """Literal evidence in [0, 1] from the char-gram and rare-stem cosines."""
    return CHAR_SHARE * char + (1 - CHAR_SHARE) * word


def rare_stems(stems, idf, max_idf, limit):
    """The `limit` rarest meaningful stems (highest idf, then alphabetical)."""
    found = {s for s in stems if s not in NOT_EVIDENCE and len(s) >= 3
             and idf.get(s, max_idf) >= RARE_IDF}
    return frozenset(sorted(found, key=lambda s: (-idf.get(s, max_idf), s))[:limit])


def plain_baseline(offers, needs, top=5):
    """The benchmark's baseline: plain character 4-gram TF-IDF cosine of the descriptions
    (lower-cased, nothing removed, idf fitted on both sides), each offer's top needs."""
    def chars(text):
        text = (text or "").lower()
        out = {}
        for i in range(len(text) - N + 1):
            out[text[i:i + N]] = out.get(text[i:i + N], 0) + 1
        return out

    docs = [chars(t) for t in offers + needs]
    df = {}
    for d in docs:
        for g in d:
            df[g] = df.get(g, 0) + 1
    vocab = {g: i for i, g in enumerate(df)}
    count = len(docs)
    rows, cols, vals = [], [], []
    for i, d in enumerate(docs):
        weights = {g: tf * (math.log((1 + count) / (1 + df[g])) + 1) for g, tf in d.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        for g, w in weights.items():
            rows.append(i)
            cols.append(vocab[g])
            vals.append(w / norm)
    matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(count, len(vocab)))
    scores = (matrix[:len(offers)] @ matrix[len(offers):].T).toarray()
    return [list(np.argsort(-row, kind="stable")[:top]) for row in scores]
