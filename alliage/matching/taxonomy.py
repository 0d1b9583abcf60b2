"""The List of Waste (LoW/EWC, Decision 2000/532/EC as amended by 2014/955/EU) with Alliage's
resource codes (R…), the uses a need may name, and the cited valorisation pathways.

Codes are kept compact ("030105"); `display()` gives "03 01 05" (with "*" when hazardous)."""

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

DATA = Path(__file__).with_name("data")
_CODE = re.compile(r"^(?:[0-9]{2}|R[0-9])(?:[0-9]{2}){0,2}$")


def normalise_code(raw):
    """"10 01 02", "100102", "10-01-02*" → "100102"; None when the text is not a code."""
    if raw is None:
        return None
    code = re.sub(r"[\s.\-*]", "", str(raw)).upper()
    return code if _CODE.match(code) else None


def display(code):
    return " ".join(code[i:i + 2] for i in range(0, len(code), 2)) if code else ""


@dataclass
class Node:
    code: str
    level: str            # chapter, subchapter, entry
    label_en: str
    label_fr: str
    synonyms: list = field(default_factory=list)
    hazardous: bool = False

    @property
    def parent(self):
        return self.code[:-2] if len(self.code) > 2 else None

    def label(self, lang="fr"):
        return self.label_fr if lang == "fr" else self.label_en


@dataclass
class Use:
    key: str
    label_fr: str
    label_en: str
    words: list

    def label(self, lang="fr"):
        return self.label_fr if lang == "fr" else self.label_en


@dataclass
class Pathway:
    material: str         # a chapter, sub-chapter or entry code
    use: str
    strength: float
    sectors: list
    source: str
    source_fr: str = ""   # the citation as French pages show it

    def citation(self, lang="fr"):
        return self.source_fr or self.source if lang == "fr" else self.source


def _rows(name):
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield [part.strip() for part in line.split("|")]


class Taxonomy:
    def __init__(self):
        self.nodes = {}
        levels = {"CH": "chapter", "SC": "subchapter", "EN": "entry"}
        for row in _rows("low.txt"):
            kind, code = row[0].split(" ", 1)
            hazardous = code.endswith("*")
            node = Node(code=normalise_code(code), level=levels[kind], label_en=row[1],
                        label_fr=row[2], hazardous=hazardous,
                        synonyms=[s.strip() for s in row[3].split(";")] if len(row) > 3
                        else [])
            self.nodes[node.code] = node
        self.uses = {}
        for key, fr, en, words in _rows("uses.txt"):
            self.uses[key] = Use(key, fr, en, [w.strip() for w in words.split(";")])
        self.pathways = []
        for material, use, strength, sectors, source, source_fr in _rows("pathways.txt"):
            self.pathways.append(Pathway(normalise_code(material), use, float(strength),
                                         [s.strip() for s in sectors.split(";")], source,
                                         source_fr))

    @cached_property
    def entries(self):
        return [n for n in self.nodes.values() if n.level == "entry"]

    @cached_property
    def chapters(self):
        return [n for n in self.nodes.values() if n.level == "chapter"]

    def children(self, code):
        return [n for n in self.nodes.values() if n.parent == code]

    def get(self, code):
        return self.nodes.get(normalise_code(code) or "")

    def is_hazardous(self, code):
        node = self.nodes.get(code or "")
        return bool(node and node.hazardous)

    def lineage(self, code):
        """The code and its parents, most specific first: "030105" → 030105, 0301, 03."""
        return [code[:n] for n in (6, 4, 2) if code and len(code) >= n]

    @cached_property
    def pathways_by_material(self):
        out = {}
        for p in self.pathways:
            out.setdefault(p.material, []).append(p)
        return out

    def uses_fed_by(self, code):
        """{use: best pathway} for a material code, through its own and its parents' rows."""
        best = {}
        for prefix in self.lineage(code):
            for p in self.pathways_by_material.get(prefix, ()):
                if p.use not in best or p.strength > best[p.use].strength:
                    best[p.use] = p
        return best


_TAXONOMY = None


def taxonomy():
    global _TAXONOMY
    if _TAXONOMY is None:
        _TAXONOMY = Taxonomy()
    return _TAXONOMY
