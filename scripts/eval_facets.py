"""Facet quality on hand-annotated real articles (tests/data/facet_gold.json, or --gold
tests/data/facet_gold_holdout.json; --all scores every set, each and together).

For each annotated article, the countries, people and organizations a reader wrote down are
compared with the facet values Arshif extracts (after canonicalization, aliases and overrides).
A gold person or organization counts as found when any of its names maps to a predicted key.

    .venv/bin/python scripts/eval_facets.py [--gold tests/data/facet_gold.json ...] [--all] [--verbose]
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections.abc import Mapping
from pathlib import Path

from search.entities import make_extractor
from search.entities.canonical import display_name, entity_key
from search.entities.overrides import load_overrides
from search.model import Article

REPO = Path(__file__).resolve().parents[1]

CORPUS = REPO.parent / "shared" / "corpus"


def load_articles(ids: set[str], corpus: Path) -> dict[str, dict]:
    found = {}
    for shard in sorted(corpus.glob("*.jsonl.gz")):
        with gzip.open(shard, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if record["id"] in ids:
                    found[record["id"]] = record
    return found


def gold_keys(entity: dict, kind: str) -> set[str]:
    overrides = load_overrides()
    keys = set()
    for name in [entity["name"], *entity.get("aliases", [])]:
        clean = display_name(name, kind)
        if clean:
            resolved = overrides.resolve(kind, entity_key(clean, kind))
            if resolved:
                keys.add(resolved)
    return keys


def evaluate(gold: list[dict], corpus: Path, verbose: bool = False, extract=None) -> dict[str, dict[str, float]]:
    articles = load_articles({g["id"] for g in gold}, corpus)
    extract = extract or make_extractor()
    counts = {facet: {"tp": 0, "fp": 0, "fn": 0} for facet in ("country", "person", "org")}
    for item in gold:
        record = articles[item["id"]]
        predicted = extract(
            Article(id=record["id"], title=record.get("title"), body=record["body"], source=record.get("source"))
        )
        # countries: ISO keys
        truth, guess = set(item["countries"]), set(predicted["country"])
        counts["country"]["tp"] += len(truth & guess)
        counts["country"]["fp"] += len(guess - truth)
        counts["country"]["fn"] += len(truth - guess)
        misses = {"country": (sorted(truth - guess), sorted(guess - truth))}
        for facet, field in (("person", "people"), ("org", "orgs")):
            guess = set(predicted[facet])
            matched: set[str] = set()
            missed = []
            for entity in item.get(field, []):
                keys = gold_keys(entity, facet)
                hit = keys & guess
                if hit:
                    counts[facet]["tp"] += 1
                    matched |= hit
                else:
                    counts[facet]["fn"] += 1
                    missed.append(entity["name"])
            extra = sorted(guess - matched)
            counts[facet]["fp"] += len(extra)
            misses[facet] = (missed, extra)
        if verbose:
            print(f"# {item['id']} ({item.get('source')})")
            for facet, (missed, extra) in misses.items():
                if missed or extra:
                    print(f"  {facet}: missed {missed}  extra {extra}")
    return score(counts)


def score(counts: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """Precision, recall and F1 per facet from tp/fp/fn counts."""
    scores = {}
    for facet, c in counts.items():
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[facet] = {"precision": precision, "recall": recall, "f1": f1, **{k: c[k] for k in ("tp", "fp", "fn")}}
    return scores


def _print(scores: dict[str, dict[str, float]]) -> None:
    for facet, s in scores.items():
        print(
            f"{facet:8s} precision {s['precision']:.3f}  recall {s['recall']:.3f}  F1 {s['f1']:.3f}  "
            f"(tp {s['tp']}, fp {s['fp']}, fn {s['fn']})"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", nargs="+", default=[str(REPO / "tests" / "data" / "facet_gold.json")])
    parser.add_argument("--all", action="store_true", help="every tests/data/facet_gold*.json")
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    paths = sorted((REPO / "tests" / "data").glob("facet_gold*.json")) if args.all else [Path(p) for p in args.gold]
    extract = make_extractor()
    total: dict[str, dict[str, float]] = {facet: {"tp": 0, "fp": 0, "fn": 0} for facet in ("country", "person", "org")}
    for path in paths:
        gold = json.loads(path.read_text(encoding="utf-8"))
        scores = evaluate(gold, Path(args.corpus), args.verbose, extract)
        print(f"== {path.name} ({len(gold)} articles)")
        _print(scores)
        for facet, s in scores.items():
            for k in ("tp", "fp", "fn"):
                total[facet][k] += s[k]
    if len(paths) > 1:
        print("== together")
        _print(score(total))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
