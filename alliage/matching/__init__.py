"""Alliage's by-product matching engine: pure Python (numpy/scipy), no Django import.

- `taxonomy`: the European List of Waste (LoW/EWC) and Alliage's resource codes, FR + EN,
  with trade synonyms, the uses a need may name and the valorisation pathways (cited).
- `text`: bilingual normalisation (accents, plurals, typos).
- `classify`: LoW code suggestions for a free-text description.
- `engine`: the public names of the parts below (callers import from it):
  `streams` (input, prepared streams), `scoring` (the reference pair score), `explain`
  (reasons in words), `search` + `topk` (blocked, vectorised top K equal to the reference).
- `literal` (character 4-gram TF-IDF and rare words), `utilities` (steam, heat, water, gases:
  physical facts), `recall` (low-confidence candidates within reach).
- `python -m alliage.matching rank INPUT.json --top K` / `classify` / `evaluate` / `bench`
  (see `__main__`).
"""
