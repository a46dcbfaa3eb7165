"""Retrieval quality on every development set, each figure beside its plain-BM25 reference.

Every query goes through the real search path (`run_search`, the code behind the web app), and is
scored on what the page shows: the hits, then the partial matches offered when few articles hold
every word of a keyword query. Sets:

  coverage      ../shared/dev/other_coverage.tsv: one outlet's headline; the answer is another
                outlet's version of the story; the query's own article is in the archive and is
                dropped from the ranking (7,055 queries). MRR@10.
  not-archived  the same pairs with the query article NOT in the archive (a wire story or a
                competitor's piece): an index of ../shared/corpus without the query articles that
                are nobody's answer, scored on the pairs whose query article was left out (1,529).
  questions     ../shared/dev/arcd_train: 693 Arabic questions over 460 Wikipedia passages. MRR@10.
  names         the index's 150 most frequent multi-word people and 150 organizations (5 articles
                or more), each label typed without quotes: P@10 = share of the first 10 hits whose
                entities hold that key (and, beside it, the same with quotes).

Usage:
    .venv/bin/python scripts/eval_retrieval.py --all            # every set, one table
    .venv/bin/python scripts/eval_retrieval.py --sets questions,names [--limit N] [--no-feedback]

`--index` is the index of the whole corpus (`make index`); the other indexes are built once under
`--work` (data/eval) with the real CLI and reused. `--dump FILE` writes each query's rank as JSON
lines, for reading what a change moved.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from search.engines.base import SearchRequest
from search.engines.tantivy_engine import TantivyEngine
from search.query.state import SearchState
from search.web.results import run_search

REPO = Path(__file__).resolve().parents[1]

SHARED = REPO.parent / "shared"
K = 10
NAMES_PER_KIND = 150
NAME_MIN_ARTICLES = 5

# Plain BM25 over one title + body field, every query word optional (../shared/dev/README.md,
# ../shared/dev/arcd_train/README.md): raw / normalized / light10 (Elasticsearch's `arabic`).
REFERENCES = {
    "coverage": "0.543 / 0.547 / 0.557",
    "not-archived": "0.464 / 0.464 / 0.474",
    "questions": "0.667 / 0.692 / 0.741",
    "names": "—",
}
SETS = ("coverage", "not-archived", "questions", "names")


@dataclass
class Query:
    id: str
    text: str
    relevant: str  # the relevant document id, or the entity key ("person:key") for names
    drop: str | None = None  # a document left out of the ranking (the query's own article)


@dataclass
class Score:
    name: str
    metric: str
    queries: int
    value: float
    found: float
    p50_ms: float
    extra: str = ""


# --- the indexes ------------------------------------------------------------------------------


def _index(path: Path, sources: list[Path]) -> TantivyEngine:
    """Index `sources` into `path` with the real CLI unless it is already there."""
    if not (path / "meta.json").exists():
        print(f"building {path} ...", file=sys.stderr)
        result = subprocess.run(
            [sys.executable, "-m", "search", "index", "-q", "--index", str(path), *map(str, sources)], cwd=REPO
        )
        if result.returncode not in (0, 3):
            raise SystemExit(f"indexing {path} failed ({result.returncode})")
    return TantivyEngine(path)


def _corpus_lines() -> Iterable[str]:
    for shard in sorted((SHARED / "corpus").glob("*.jsonl.gz")):
        with gzip.open(shard, "rt", encoding="utf-8") as handle:
            yield from handle


def _coverage_rows() -> list[dict[str, str]]:
    with open(SHARED / "dev" / "other_coverage.tsv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def not_archived_index(work: Path) -> tuple[TantivyEngine, set[str]]:
    """The corpus without the query articles that are nobody's answer (read in place, written to a
    temporary file that is deleted once indexed)."""
    rows = _coverage_rows()
    left_out = {r["query_id"] for r in rows} - {r["relevant_id"] for r in rows}
    path = work / "not-archived"
    if not (path / "meta.json").exists():
        work.mkdir(parents=True, exist_ok=True)
        kept = work / "not-archived.jsonl"
        with kept.open("w", encoding="utf-8") as out:
            for line in _corpus_lines():
                if json.loads(line).get("id") not in left_out:
                    out.write(line)
        try:
            _index(path, [kept])
        finally:
            kept.unlink()
    return TantivyEngine(path), left_out


def questions_index(work: Path) -> TantivyEngine:
    path = work / "questions"
    if not (path / "meta.json").exists():
        work.mkdir(parents=True, exist_ok=True)
        passages = work / "passages.jsonl"
        with (
            open(SHARED / "dev" / "arcd_train" / "passages.jsonl", encoding="utf-8") as src,
            passages.open("w", encoding="utf-8") as out,
        ):
            for line in src:
                p = json.loads(line)
                out.write(
                    json.dumps(
                        {"id": p["_id"], "title": p["title"], "body": p["text"], "source": "wikipedia"},
                        ensure_ascii=False,
                    )
                    + "\n"
                )
        try:
            _index(path, [passages])
        finally:
            passages.unlink()
    return TantivyEngine(path)


# --- the queries ------------------------------------------------------------------------------


def coverage_queries(only: set[str] | None = None) -> list[Query]:
    return [
        Query(r["query_id"], r["query"], r["relevant_id"], drop=r["query_id"])
        for r in _coverage_rows()
        if only is None or r["query_id"] in only
    ]


def question_queries() -> list[Query]:
    base = SHARED / "dev" / "arcd_train"
    relevant = {}
    for line in (base / "qrels.txt").read_text("utf-8").splitlines():
        qid, _, doc, grade = line.split()
        if int(grade) > 0:
            relevant[qid] = doc
    with open(base / "questions.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        Query(r["question_id"], r["question"], relevant[r["question_id"]]) for r in rows if r["question_id"] in relevant
    ]


def name_queries(engine: TantivyEngine, kind: str, quoted: bool = False) -> list[Query]:
    """The most frequent multi-word people or organizations of the index, by label."""
    result = engine.search(SearchRequest(facets=(kind,), facet_size=20_000, size=0))
    labels = engine.entity_labels()
    queries = []
    for key, count in result.facets.get(kind, []):
        label = labels.get(f"{kind}:{key}", "")
        if count < NAME_MIN_ARTICLES or len(label.split()) < 2:
            continue
        queries.append(Query(f"{kind}:{key}", f'"{label}"' if quoted else label, f"{kind}:{key}"))
        if len(queries) == NAMES_PER_KIND:
            break
    return queries


# --- scoring ----------------------------------------------------------------------------------


def _ranked_ids(engine, query: Query) -> tuple[list, float]:
    state = SearchState(q=query.text, size=K + 1)
    started = time.perf_counter()
    result = run_search(engine, state, with_facets=False)
    took = (time.perf_counter() - started) * 1000
    shown = result.hits + result.partial  # the page lists partial matches after the hits
    return [h for h in shown if h.id != query.drop][:K], took


def mrr(name: str, engine, queries: list[Query], dump: Callable[[dict], None]) -> Score:
    reciprocal, found, latencies = [], 0, []
    for query in queries:
        hits, took = _ranked_ids(engine, query)
        latencies.append(took)
        ids = [h.id for h in hits]
        rank = ids.index(query.relevant) + 1 if query.relevant in ids else None
        reciprocal.append(1.0 / rank if rank else 0.0)
        found += rank is not None
        dump({"set": name, "id": query.id, "q": query.text, "rank": rank, "top": ids[:3]})
    return Score(
        name, f"MRR@{K}", len(queries), statistics.fmean(reciprocal), found / len(queries), statistics.median(latencies)
    )


def _holds(hit, kind: str, key: str) -> bool:
    mentions = json.loads(hit.doc.get("entities") or "[]")
    return any(m[0] == kind and m[1] == key for m in mentions)


def precision_at_k(name: str, engine, queries: list[Query], dump: Callable[[dict], None]) -> Score:
    precisions, latencies = [], []
    for query in queries:
        hits, took = _ranked_ids(engine, query)
        latencies.append(took)
        kind, key = query.relevant.split(":", 1)
        good = [_holds(h, kind, key) for h in hits]
        precisions.append(sum(good) / K)
        dump({"set": name, "id": query.id, "q": query.text, "p": sum(good), "hits": len(hits)})
    return Score(
        name,
        f"P@{K}",
        len(queries),
        statistics.fmean(precisions) if precisions else 0.0,
        sum(p > 0 for p in precisions) / max(1, len(queries)),
        statistics.median(latencies),
    )


def run_sets(sets: list[str], index: Path, work: Path, limit: int | None, dump: Callable[[dict], None]) -> list[Score]:
    cut = (lambda qs: qs[:limit]) if limit else (lambda qs: qs)
    scores = []
    for name in sets:
        if name == "coverage":
            scores.append(mrr(name, TantivyEngine(index), cut(coverage_queries()), dump))
        elif name == "not-archived":
            engine, left_out = not_archived_index(work)
            scores.append(mrr(name, engine, cut(coverage_queries(left_out)), dump))
        elif name == "questions":
            scores.append(mrr(name, questions_index(work), cut(question_queries()), dump))
        elif name == "names":
            engine = TantivyEngine(index)
            for kind in ("person", "org"):
                plain = precision_at_k(f"names:{kind}", engine, cut(name_queries(engine, kind)), dump)
                quoted = precision_at_k(
                    f"names:{kind}:quoted", engine, cut(name_queries(engine, kind, True)), lambda row: None
                )
                plain.extra = f"quoted {quoted.value:.3f}"
                scores.append(plain)
    return scores


def print_table(scores: list[Score]) -> None:
    print(f"| set | queries | metric | plain BM25 raw / normalized / light10 | Arshif | found@{K} | p50 ms | |")
    print("|---|---|---|---|---|---|---|---|")
    for s in scores:
        ref = REFERENCES.get(s.name.split(":")[0], "")
        print(
            f"| {s.name} | {s.queries} | {s.metric} | {ref} | **{s.value:.3f}** | {s.found:.3f} | "
            f"{s.p50_ms:.1f} | {s.extra} |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default=str(REPO / "data" / "index"), help="index of the whole corpus")
    parser.add_argument("--work", default=str(REPO / "data" / "eval"), help="where the other indexes are built")
    parser.add_argument("--all", action="store_true", help="every set")
    parser.add_argument("--sets", default="coverage", help=f"comma-separated, of {', '.join(SETS)}")
    parser.add_argument("--limit", type=int, help="the first N queries of each set")
    parser.add_argument("--no-feedback", action="store_true", help="without pseudo-relevance feedback")
    parser.add_argument("--dump", help="write each query's outcome as JSON lines to this file")
    args = parser.parse_args(argv)
    sets = list(SETS) if args.all else [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = set(sets) - set(SETS)
    if unknown:
        parser.error(f"unknown set(s): {', '.join(sorted(unknown))}")
    if not (SHARED / "dev").is_dir():
        parser.error(f"the development sets are not at {SHARED / 'dev'}")
    if args.no_feedback:
        import search.query.feedback as feedback

        feedback.qualifies = lambda request: False
    out = open(args.dump, "w", encoding="utf-8") if args.dump else None

    def dump(row: dict) -> None:
        if out:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")

    try:
        print_table(run_sets(sets, Path(args.index), Path(args.work), args.limit, dump))
    finally:
        if out:
            out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
