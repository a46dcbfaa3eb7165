"""Retrieval quality on ../shared/dev/other_coverage.tsv: MRR@10 through the real search path.

Each query is one outlet's headline; the relevant answer is another outlet's version of the story.
The query's own article is dropped from the ranking. Usage:

    .venv/bin/python scripts/eval_retrieval.py --index data/index [--limit N] [--dev PATH] [--no-feedback]

The index must hold all of ../shared/corpus (e.g. `make index`).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from search.engines.tantivy_engine import TantivyEngine  # noqa: E402
from search.query.state import SearchState  # noqa: E402
from search.web.results import run_search  # noqa: E402

DEFAULT_DEV = Path(__file__).resolve().parents[2] / "shared" / "dev" / "other_coverage.tsv"


def evaluate(engine, rows, k: int = 10) -> dict:
    reciprocal, found, latencies = [], 0, []
    for row in rows:
        state = SearchState(q=row["query"], size=k + 1)
        started = time.perf_counter()
        result = run_search(engine, state, with_facets=False)
        latencies.append((time.perf_counter() - started) * 1000)
        ranking = [h.id for h in result.hits if h.id != row["query_id"]][:k]
        rank = ranking.index(row["relevant_id"]) + 1 if row["relevant_id"] in ranking else None
        reciprocal.append(1.0 / rank if rank else 0.0)
        found += rank is not None
    return {"queries": len(rows), f"mrr@{k}": statistics.fmean(reciprocal), f"found@{k}": found / len(rows),
            "p50_ms": statistics.median(latencies)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default="data/index")
    parser.add_argument("--dev", default=str(DEFAULT_DEV))
    parser.add_argument("--limit", type=int)
    parser.add_argument("--no-feedback", action="store_true", help="measure without pseudo-relevance feedback")
    args = parser.parse_args()
    if args.no_feedback:
        import search.query.feedback as feedback
        feedback.qualifies = lambda request: False
    with open(args.dev, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    rows = rows[: args.limit] if args.limit else rows
    engine = TantivyEngine(args.index)
    scores = evaluate(engine, rows)
    print("  ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in scores.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
