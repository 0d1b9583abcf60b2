"""Command line of the matching engine. Keep this contract exactly (evaluation tools use it):

    python -m alliage.matching rank INPUT.json --top K [--lang fr|en]
        INPUT: {"offers": [S...], "needs": [S...]}, each stream S being
        {"id": str, "description": str, "code": str|null, "quantity": number|null,
         "unit": str|null, "lat": number|null, "lon": number|null,
         "max_distance_km": number|null}
        prints {"matches": {"<offer id>": [{"need": id, "score": 0..1, "reasons": [str]}]}}
        with each offer's top K needs, best first. Bad input: one line on stderr, exit 2.

        Each match also says its "confidence" ("high", "medium", "low"): the candidates
        with evidence come first; then, recall first, other needs within reach as "low".

    python -m alliage.matching classify "DESCRIPTION" --top K [--lang fr|en]
        prints {"suggestions": [{"code": "12 01 03", "label": str, "hazardous": bool,
        "score": 0..1, "why": [str]}]}, best first (utilities use their own R codes).
        Bad input: one line on stderr, exit 2.

    python -m alliage.matching evaluate
        recall@5, chapter or type top-1 and the plain TF-IDF baseline on every evaluation
        set (tests/matching), as JSON.

    python -m alliage.matching bench [--quick]
        synthetic data, prints the benchmark's JSON as its last line.
"""

import argparse
import json
import sys


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        _fail(message)


def _fail(message):
    print(f"error: {message}".replace("\n", " "), file=sys.stderr)
    sys.exit(2)


def _load(path):
    from alliage.matching.engine import BadStream, Stream

    try:
        if path == "-":
            data = json.load(sys.stdin)
        else:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
    except OSError as exc:
        _fail(f"cannot read {path}: {exc.strerror}")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        _fail(f"invalid JSON: {exc}")
    if not isinstance(data, dict) or not isinstance(data.get("offers"), list) \
            or not isinstance(data.get("needs"), list):
        _fail('the input must be an object with "offers" and "needs" lists')
    sides = {}
    for side in ("offers", "needs"):
        streams, seen = [], set()
        for item in data[side]:
            try:
                stream = Stream.from_dict(item)
            except BadStream as exc:
                _fail(f"{side}: {exc}")
            if stream.id in seen:
                _fail(f"{side}: duplicate id {stream.id!r}")
            seen.add(stream.id)
            streams.append(stream)
        sides[side] = streams
    return sides["offers"], sides["needs"]


def main(argv=None):
    parser = _Parser(prog="python -m alliage.matching")
    commands = parser.add_subparsers(dest="command", required=True)
    rank_cmd = commands.add_parser("rank", help="top K needs for every offer")
    rank_cmd.add_argument("input")
    rank_cmd.add_argument("--top", type=int, default=5)
    rank_cmd.add_argument("--lang", choices=["fr", "en"], default="fr")
    classify_cmd = commands.add_parser("classify", help="code suggestions for a description")
    classify_cmd.add_argument("description")
    classify_cmd.add_argument("--top", type=int, default=5)
    classify_cmd.add_argument("--lang", choices=["fr", "en"], default="fr")
    commands.add_parser("evaluate", help="accuracy on the evaluation sets")
    bench_cmd = commands.add_parser("bench", help="speed and accuracy benchmark")
    bench_cmd.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "bench":
        from alliage.matching import bench

        return bench.main(quick=args.quick)
    if args.command == "evaluate":
        from alliage.matching.evaluation import evaluate_all

        json.dump(evaluate_all(), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    if args.command == "classify":
        if args.top < 1:
            _fail("--top must be at least 1")
        if not args.description.strip():
            _fail("the description is empty")
        from alliage.matching.classify import suggestions

        json.dump({"suggestions": suggestions(args.description[:4000], args.top, args.lang)},
                  sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    if args.top < 1:
        _fail("--top must be at least 1")
    offers, needs = _load(args.input)
    from alliage.matching.engine import rank

    found = rank(offers, needs, top=args.top, lang=args.lang)
    json.dump({"matches": found}, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
