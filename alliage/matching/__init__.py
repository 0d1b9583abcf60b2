"""Alliage's by-product matching engine: pure Python (numpy/scipy), no Django import.

- `taxonomy`: the European List of Waste (LoW/EWC) and Alliage's resource codes, FR + EN,
  with trade synonyms, the uses a need may name and the valorisation pathways (cited).
- `text`: bilingual normalisation (accents, plurals, typos).
- `classify`: LoW code suggestions for a free-text description.
- `engine`: streams, pair scores explained in words, blocked + vectorised top-K, incremental.
- `python -m alliage.matching rank INPUT.json --top K` / `bench` (see `__main__`).
"""
