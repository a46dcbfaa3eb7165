"""Do the two engines give the same answers? Index one slice of ../shared/corpus into tantivy and
into Elasticsearch, run the same searches through the web app's search path on both, compare.

    python scripts/parity.py                      # starts its own node (scripts/es_node.py)
    ARSHIF_ES_URL=http://127.0.0.1:9200 python scripts/parity.py --per-shard 1000

For every query (of each kind the parser knows), with and without facet filters, and grouped by
story as the results page shows it by default: the totals (and the count of stories), the counts of
every facet, and how many of tantivy's first 10 hits are among Elasticsearch's first 10.
Prints a Markdown table (the README's), then every search where the engines differ, with the scores
around the 10th hit (a difference there is a tie or a near-tie that the engines break apart).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from search.engines.base import Engine

REPO = Path(__file__).resolve().parents[1]

CORPUS = REPO.parent / "shared" / "corpus"
TOP = 10

# What journalists type, by kind (written for this script). The pasted-text kind is taken from the
# slice itself at run time: a stretch of words from an article body, as if pasted.
QUERIES: dict[str, list[str]] = {
    "keywords": [
        "السعودية",
        "النفط",
        "الانتخابات",
        "كرة القدم",
        "وزارة الصحة",
        "الأمطار",
        "الاقتصاد المغربي",
        "أسعار النفط",
    ],
    "phrase": [
        '"وزير الخارجية"',
        "«مجلس الأمن»",
        '"الأمم المتحدة"',
        '"ولي العهد"',
        '"كأس العالم"',
        '"خادم الحرمين الشريفين"',
    ],
    "OR": [
        "المغرب OR الجزائر",
        "زلزال OR فيضانات",
        "إيران OR العراق",
        '"مجلس الأمن" OR "الأمم المتحدة"',
        "الهلال OR النصر",
    ],
    "exclusion": [
        "النفط -أسعار",
        "الانتخابات -مصر",
        'الأمطار -"الدفاع المدني"',
        "-السعودية",
        "الرياض -الهلال",
        "السياحة -المغرب",
    ],
    "title:": ["title:السعودية", "title:الملك", "title:النفط أسعار", 'title:"وزير الخارجية"', "title:المنتخب"],
    "question": [
        "ما هي أسباب ارتفاع أسعار النفط؟",
        "متى تبدأ الدراسة في المدارس؟",
        "كيف تواجه السعودية الإرهاب؟",
        "من هو وزير الخارجية الأمريكي؟",
        "لماذا ارتفعت أسعار الذهب؟",
        "أين تقام بطولة كأس العالم؟",
    ],
    "name": [
        "محمد بن سلمان",
        "عبد الله بن عبد العزيز",
        "باراك أوباما",
        "بشار الأسد",
        "الملك سلمان",
        "أردوغان",
        "عبد الفتاح السيسي",
        "نواز شريف",
        "بان كي مون",
    ],
}
PASTED = 5  # pasted-text queries
PASTED_WORDS = 30  # words in each


@dataclass
class Comparison:
    kind: str
    query: str
    filtered: bool
    totals: tuple[Any, Any]  # articles, or (articles, stories) for a grouped page
    facets_equal: bool
    facet_diffs: list[str]
    overlap: int
    possible: int
    state: Any = None
    partial: tuple[list[str], list[str]] = ([], [])  # the partial matches offered below few hits

    @property
    def totals_equal(self) -> bool:
        return self.totals[0] == self.totals[1]

    @property
    def partial_equal(self) -> bool:
        return set(self.partial[0]) == set(self.partial[1])

    @property
    def partial_overlap(self) -> float:
        """Share of the partial matches both engines offer (1.0 when neither offers any)."""
        longest = max(len(self.partial[0]), len(self.partial[1]))
        return len(set(self.partial[0]) & set(self.partial[1])) / longest if longest else 1.0


# --- the slice and the two indices -------------------------------------------------------------


def write_slice(path: Path, per_shard: int) -> int:
    shards = sorted(CORPUS.glob("*.jsonl.gz"))
    if not shards:
        raise SystemExit(f"no corpus at {CORPUS}")
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for shard in shards:
            with gzip.open(shard, "rt", encoding="utf-8") as handle:
                for i, line in enumerate(handle):
                    if i >= per_shard:
                        break
                    out.write(line)
                    n += 1
    return n


def pasted_queries(path: Path, count: int) -> list[str]:
    """A stretch of words from the middle of every few articles' bodies, as a journalist pastes it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    step = max(1, len(lines) // count)
    queries = []
    for line in lines[step // 2 :: step][:count]:
        words = (json.loads(line).get("body") or "").split()
        start = max(0, len(words) // 2 - PASTED_WORDS // 2)
        queries.append(" ".join(words[start : start + PASTED_WORDS]))
    return queries


class Both:
    """Writes go to both engines (one analysis pass, so both index exactly the same documents)."""

    name = "both"

    def __init__(self, *engines):
        self.engines = engines

    def upsert(self, docs):
        docs = list(docs)
        failures = []
        for engine in self.engines:
            failures += engine.upsert(docs)
        return failures

    def delete(self, ids):
        ids = list(ids)
        for engine in self.engines:
            engine.delete(ids)

    def commit(self):
        for engine in self.engines:
            engine.commit()

    def existing_hashes(self, ids):
        return self.engines[0].existing_hashes(ids)

    def save_entity_labels(self, labels):
        for engine in self.engines:
            engine.save_entity_labels(labels)

    def entity_labels(self):
        return self.engines[0].entity_labels()


# --- comparing ---------------------------------------------------------------------------------


def states(query: str, unfiltered_facets: dict[str, list[tuple[str, int]]], with_exclusion: bool):
    """The search as typed, then narrowed by the commonest country it found (and, every other query,
    with its commonest source excluded): selections, exclusions and multi-select counts."""
    from search.query.state import SearchState

    yield False, SearchState.from_args({"q": [query]})
    args: dict[str, list[str]] = {"q": [query]}
    countries = unfiltered_facets.get("country") or []
    if countries:
        args["country"] = [countries[0][0]]
    sources = unfiltered_facets.get("source") or []
    if with_exclusion and len(sources) > 1:
        args["not_source"] = [sources[0][0]]
    if len(args) > 1:
        yield True, SearchState.from_args(args)


def facet_counts(results) -> dict[str, list[tuple[str, int]]]:
    return {block.facet.name: [(v.key, v.count) for v in block.values] for block in results.facets}


def compare(kind: str, query: str, tantivy, es, n: int) -> list[Comparison]:
    from search.web.results import run_search

    found: list[Comparison] = []
    first = None
    for filtered, state in states(query, {}, False):
        first = (run_search(tantivy, state), run_search(es, state))
        found.append(one(kind, query, filtered, state, *first))
        # the results page's default: one hit per story, and the count of stories
        grouped = (run_search(tantivy, state, grouped=True), run_search(es, state, grouped=True))
        found.append(one(f"{kind}, grouped", query, filtered, state, *grouped))
    assert first is not None  # states() yields at least the unfiltered state
    for filtered, state in list(states(query, facet_counts(first[0]), n % 2 == 1))[1:]:
        found.append(one(kind, query, filtered, state, run_search(tantivy, state), run_search(es, state)))
    return found


def one(kind: str, query: str, filtered: bool, state, left, right) -> Comparison:
    a, b = facet_counts(left), facet_counts(right)
    diffs = []
    for name in sorted(set(a) | set(b)):
        if a.get(name) != b.get(name):
            da, db = dict(a.get(name) or []), dict(b.get(name) or [])
            keys = sorted(k for k in set(da) | set(db) if da.get(k) != db.get(k))
            diffs.append(f"{name}: " + ", ".join(f"{k} {da.get(k)}≠{db.get(k)}" for k in keys[:5]))
    top_a = [h.id for h in left.hits[:TOP]]
    top_b = [h.id for h in right.hits[:TOP]]
    overlap = len(set(top_a) & set(top_b))
    totals = ((left.total, left.stories), (right.total, right.stories)) if left.grouped else (left.total, right.total)
    return Comparison(
        kind,
        query,
        filtered,
        totals,
        not diffs,
        diffs,
        overlap,
        min(TOP, len(top_a), len(top_b)) if top_a or top_b else 0,
        state,
        ([h.id for h in left.partial], [h.id for h in right.partial]),
    )


def around_the_cut(engine, state) -> str:
    """Hits 8 to 12 as (id, score) (by relevance) or (id, date) (by date): what decides the 10th."""
    from search.query.feedback import with_feedback

    request = with_feedback(engine, state.to_request(facets=()))
    result = engine.search(replace(request, size=TOP + 2, offset=0))
    by_date = request.browsing or request.sort != "relevance"
    shown = [(h.id, h.doc.get("date") if by_date else round(h.score or 0.0, 4)) for h in result.hits[TOP - 3 :]]
    return ", ".join(f"{doc_id} {value}" for doc_id, value in shown)


# --- report ------------------------------------------------------------------------------------


def table(rows: list[Comparison], engines: str) -> str:
    lines = [
        "| engines | query kind | searches | totals equal | facet counts equal | top-10 overlap (mean, min) |",
        "|---|---|---:|---:|---:|---|",
    ]
    kinds = list(dict.fromkeys(r.kind for r in rows))
    for kind in kinds + ["all"]:
        chosen = [r for r in rows if kind in ("all", r.kind)]
        overlaps = [r.overlap / r.possible for r in chosen if r.possible]
        mean = statistics.mean(overlaps) * TOP if overlaps else float("nan")
        low = min((r.overlap - r.possible + TOP for r in chosen if r.possible), default=TOP)
        label = f"**{kind}**" if kind == "all" else kind
        lines.append(
            f"| {engines} | {label} | {len(chosen)} | {sum(r.totals_equal for r in chosen)}/{len(chosen)} "
            f"| {sum(r.facets_equal for r in chosen)}/{len(chosen)} | {mean:.2f}/10, min {low}/10 |"
        )
    return "\n".join(lines)


def index_both(
    archive: Path, tantivy_path: Path, settings, *, workers: int | None = None, report_dir: Path | None = None
):
    """Index `archive` into a new tantivy folder and a new Elasticsearch alias, in one pass."""
    from search.engines.elasticsearch_engine import ElasticsearchEngine
    from search.engines.tantivy_engine import TantivyEngine
    from search.indexer import run_index

    tantivy = TantivyEngine(tantivy_path, writable=True)
    es = ElasticsearchEngine.from_settings(settings, writable=True)
    try:
        both = cast("Engine", Both(tantivy, es))  # not a whole Engine: what run_index calls
        return run_index(both, [str(archive)], workers=workers, report_dir=report_dir, progress=sys.stderr.isatty())
    finally:
        tantivy.close()
        es.close()


def compare_all(tantivy, es, archive: Path) -> list[Comparison]:
    """Every query of QUERIES (and pasted text from `archive`) on both engines."""
    queries = dict(QUERIES, pasted=pasted_queries(archive, PASTED))
    rows: list[Comparison] = []
    for kind, texts in queries.items():
        for i, text in enumerate(texts):
            rows += compare(kind, text, tantivy, es, i)
    return rows


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-shard", type=int, default=1000, help="articles from the start of each shard (3 shards)")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the Elasticsearch indices and the tantivy folder")
    args = parser.parse_args(argv)

    import es_node
    from search.config import Settings
    from search.engines.elasticsearch_engine import ElasticsearchEngine
    from search.engines.tantivy_engine import TantivyEngine

    work = Path(tempfile.mkdtemp(prefix="arshif-parity-"))
    node_dir = None
    url = os.environ.get("ARSHIF_ES_URL")
    if not url:
        node_dir = work / "node"
        url = es_node.start(node_dir)
    alias = f"arshif-parity-{uuid.uuid4().hex[:8]}"
    os.environ["ARSHIF_ES_REPLICAS"] = "0"  # also for the `arshif index` processes it starts
    settings = Settings(engine="elasticsearch", es_url=url, es_index=alias, es_replicas=0)
    try:
        archive = work / "slice.jsonl"
        n = write_slice(archive, args.per_shard)
        summary = index_both(archive, work / "tantivy", settings, workers=args.workers, report_dir=work / "reports")
        print(f"indexed {n:,} articles into both engines: {summary.line()}", file=sys.stderr)
        tantivy = TantivyEngine(work / "tantivy")
        es_reader = ElasticsearchEngine.from_settings(settings)
        version = es_node.describe(url)["version"]
        rows = compare_all(tantivy, es_reader, archive)
        print(
            f"{n:,} articles, {len({r.query for r in rows})} queries, {len(rows)} searches; Elasticsearch {version}\n"
        )
        print(table(rows, f"tantivy / Elasticsearch {version}"))
        partial = [r for r in rows if r.partial[0] or r.partial[1]]
        print(
            f"\nPartial matches (offered when fewer than 10 articles hold every word): the same in "
            f"{sum(r.partial_equal for r in partial)} of {len(partial)} searches that offered them."
        )
        differing = [
            r for r in rows if not (r.totals_equal and r.facets_equal and r.overlap == r.possible and r.partial_equal)
        ]
        if differing:
            print("\nWhere they differ:")
            for r in differing:
                shown = r.query if len(r.query) < 60 else r.query[:57] + "…"
                print(
                    f"- [{r.kind}{', filtered' if r.filtered else ''}] {shown}: totals {r.totals[0]}/{r.totals[1]}, "
                    f"top-10 overlap {r.overlap}/{r.possible}"
                )
                if not r.partial_equal:
                    print(f"    partial matches: tantivy {r.partial[0]}, elastic {r.partial[1]}")
                for diff in r.facet_diffs:
                    print(f"    facet {diff}")
                if r.overlap < r.possible:
                    print(f"    tantivy #8-12: {around_the_cut(tantivy, r.state)}")
                    print(f"    elastic #8-12: {around_the_cut(es_reader, r.state)}")
        es_reader.close()
    finally:
        if not args.keep:
            try:
                ElasticsearchEngine.from_settings(settings, open_index=False).client.indices.delete(
                    index=f"{alias}-*", ignore_unavailable=True, allow_no_indices=True
                )
            except Exception as error:  # noqa: BLE001 - the report matters more than the clean-up
                print(f"could not delete {alias}-*: {error}", file=sys.stderr)
        if node_dir is not None:
            es_node.stop(node_dir)
        if not args.keep:
            import shutil

            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work} and the indices {alias}-*", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
