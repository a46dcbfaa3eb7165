"""How well stories are found, on an index built with `arshif index` (search.stories).

    .venv/bin/python scripts/eval_stories.py --index DIR                 # recall on the dev pairs, merge rate
    .venv/bin/python scripts/eval_stories.py --index DIR --query داعش    # repeated stories on page 1
    .venv/bin/python scripts/eval_stories.py --index DIR --sample 200 --seed 1 --out /tmp/pairs.txt
    .venv/bin/python scripts/eval_stories.py --index DIR --judged docs/story-pairs-judged.tsv

- **Pair recall**: the share of `../shared/dev/other_coverage.tsv` pairs (an article and another
  outlet's version of it) whose two articles have the same story key.
- **Merge rate**: articles that share their story with at least one other article, and how many
  results a fully grouped list saves (1 - stories / articles).
- **A sample to read**: random pairs of articles put in one story (uniform over pairs, so large
  stories weigh as much as they do in the precision figure), written with the start of both bodies
  to a file outside the repository (third-party text stays out of it). A reader records a verdict
  per pair in a TSV (`a_id<TAB>b_id<TAB>same|different<TAB>note`); `--judged` counts it.
- **Page 1 of a query**, every article against one hit per story: how many results repeat a
  story, and whether every story of the first 100 articles is still among the grouped results.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

from search.engines.base import SearchRequest
from search.engines.tantivy_engine import TantivyEngine
from search.query.state import SearchState

REPO = Path(__file__).resolve().parents[1]

DEV_PAIRS = REPO.parent / "shared" / "dev" / "other_coverage.tsv"


def all_documents(engine: TantivyEngine) -> list[dict]:
    """Every stored document (id, story, source, date, title, body)."""
    total = engine.count()
    result = engine.search(SearchRequest(sort="oldest", size=max(total, 1)))
    return [h.doc for h in result.hits]


def pair_recall(story: dict[str, str], path: Path) -> tuple[float, float, int]:
    lines = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    rows = [(r["query_id"], r["relevant_id"]) for r in lines if r["query_id"] in story and r["relevant_id"] in story]
    same = sum(story[a] == story[b] for a, b in rows)
    unique = {tuple(sorted(p)) for p in rows}
    same_unique = sum(story[a] == story[b] for a, b in unique)
    return same / max(len(rows), 1), same_unique / max(len(unique), 1), len(rows)


def merge_figures(story: dict[str, str]) -> dict[str, float]:
    sizes = Counter(story.values())
    merged = sum(n for n in sizes.values() if n > 1)
    return {
        "articles": len(story),
        "stories": len(sizes),
        "multi_stories": sum(1 for n in sizes.values() if n > 1),
        "merged_articles": merged,
        "merged_share": merged / max(len(story), 1),
        "saved_share": 1 - len(sizes) / max(len(story), 1),
        "largest": max(sizes.values(), default=0),
        "pairs": sum(n * (n - 1) // 2 for n in sizes.values()),
    }


def sample_pairs(docs: list[dict], count: int, seed: int) -> list[tuple[dict, dict, int]]:
    by_story: dict[str, list[dict]] = defaultdict(list)
    for doc in docs:
        by_story[doc["story"]].append(doc)
    pairs = [
        (a, b, len(members))
        for members in by_story.values()
        if len(members) > 1
        for a, b in itertools.combinations(sorted(members, key=lambda d: d["id"]), 2)
    ]
    random.Random(seed).shuffle(pairs)
    return pairs[:count]


def write_sample(pairs, out: Path, chars: int) -> None:
    with out.open("w", encoding="utf-8") as handle:
        for n, (a, b, size) in enumerate(pairs):
            handle.write(f"## {n}  story of {size}\n")
            for doc in (a, b):
                body = " ".join((doc.get("body") or "")[:chars].split())
                handle.write(f"[{doc['id']} | {doc.get('source')} | {doc.get('date')}] {doc.get('title')}\n  {body}\n")
    print(f"{len(pairs)} pairs written to {out}")


def judged(path: Path, story: dict[str, str]) -> None:
    verdicts = [
        row
        for row in csv.reader(path.open(encoding="utf-8"), delimiter="\t")
        if row and not row[0].startswith("#") and len(row) >= 3
    ]
    same = sum(row[2] == "same" for row in verdicts)
    together = sum(story.get(row[0]) is not None and story.get(row[0]) == story.get(row[1]) for row in verdicts)
    print(
        f"judged pairs: {len(verdicts)}, same story: {same} ({same / max(len(verdicts), 1):.1%}); "
        f"in one story in this index: {together}"
    )
    for row in verdicts:
        if row[2] != "same":
            print("  different:", *row[:2], row[3] if len(row) > 3 else "")


def page_one(engine: TantivyEngine, query: str) -> None:
    from search.web.results import run_search

    every = run_search(engine, SearchState(q=query, size=100), with_facets=False, with_coverage=False)
    first_page = [h.story for h in every.hits[:20]]
    grouped = run_search(engine, SearchState(q=query, size=100), with_facets=False, with_coverage=False, grouped=True)
    grouped_page = [h.story for h in grouped.hits[:20]]
    top_stories = {h.story for h in every.hits}
    kept = top_stories & {h.story for h in grouped.hits}
    print(f"«{query}»: {every.total:,} articles, {grouped.stories:,} stories")
    print(
        f"  page 1, every article: {len(first_page)} results, {len(set(first_page))} stories, "
        f"{len(first_page) - len(set(first_page))} results repeat a story already shown"
    )
    print(
        f"  page 1, grouped:       {len(grouped_page)} results, {len(set(grouped_page))} stories, "
        f"{len(grouped_page) - len(set(grouped_page))} repeats"
    )
    print(
        f"  stories among the first 100 articles: {len(top_stories)}; among the first 100 grouped results: "
        f"{len(kept)} of them (lost: {len(top_stories - kept)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True, help="a tantivy index built with `arshif index`")
    parser.add_argument("--pairs", default=str(DEV_PAIRS), help="dev pairs (other_coverage.tsv)")
    parser.add_argument("--query", action="append", default=[], help="compare page 1 for this query (repeatable)")
    parser.add_argument("--sample", type=int, default=0, help="write this many random same-story pairs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chars", type=int, default=400, help="characters of each body in the sample")
    parser.add_argument("--out", default="/tmp/arshif-story-pairs.txt", help="where the sample goes (not the repo)")
    parser.add_argument("--judged", help="a TSV of verdicts on sampled pairs: count them")
    args = parser.parse_args()
    engine = TantivyEngine(args.index)
    for query in args.query:
        page_one(engine, query)
    if args.query and not (args.sample or args.judged):
        return 0
    docs = all_documents(engine)
    story = {d["id"]: d.get("story") or d["id"] for d in docs}
    if args.judged:
        judged(Path(args.judged), story)
        return 0
    if args.sample:
        write_sample(sample_pairs(docs, args.sample, args.seed), Path(args.out), args.chars)
        return 0
    figures = merge_figures(story)
    print(
        f"{figures['articles']:,} articles in {figures['stories']:,} stories; "
        f"{figures['multi_stories']:,} stories of two or more hold {figures['merged_articles']:,} articles "
        f"({figures['merged_share']:.1%}); a grouped list "
        f"is {figures['saved_share']:.1%} shorter; largest story {figures['largest']}; {figures['pairs']:,} pairs"
    )
    if Path(args.pairs).is_file():
        lines, unique, n = pair_recall(story, Path(args.pairs))
        print(f"dev pairs ({n:,} lines): {lines:.1%} in the same story ({unique:.1%} of the distinct pairs)")
    sizes = Counter(story.values())
    print("story sizes:", dict(sorted(Counter(min(n, 20) for n in sizes.values()).items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
