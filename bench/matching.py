"""Matching engine benchmark: see alliage/matching/bench.py (also `python -m alliage.matching
bench`)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alliage.matching.bench import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(quick="--quick" in sys.argv))
