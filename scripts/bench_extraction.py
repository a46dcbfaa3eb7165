"""Cost of entity extraction alone, per article on one core, as the indexer's workers pay it.

    .venv/bin/python scripts/bench_extraction.py [--articles 6000] [--warm 2000]

Reads articles from ../shared/corpus, extracts entities in batches of 200 (the indexer's batch),
and reports milliseconds per article: the whole extraction, the tagger's share, and the index-time
text analysis (`build_document` without entities) for comparison. The first `--warm` articles
only fill the caches (token features, normalized forms), as the first minutes of an indexing run
do; the collector is set up as in the indexer's workers.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import sys
import time
from pathlib import Path

from search.document import build_document
from search.entities import EntityExtractor
from search.entities.countries import article_countries
from search.indexer import BATCH_SIZE, few_collections
from search.ingest import iter_records
from search.model import Article

ROOT = Path(__file__).resolve().parents[1]


def corpus_articles(corpus: Path, limit: int) -> list[Article]:
    """Articles as the indexer reads them (`iter_records`), taken in turn from each corpus file so
    that every outlet is represented."""
    shards = [iter_records([str(path)]) for path in sorted(corpus.glob("articles-*.jsonl.gz"))]
    out: list[Article] = []
    for records in itertools.zip_longest(*shards):
        out += [r for r in records if isinstance(r, Article)]
        if len(out) >= limit:
            break
    return out[:limit]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--articles", type=int, default=6000)
    ap.add_argument("--warm", type=int, default=2000)
    args = ap.parse_args(argv)
    articles = corpus_articles(args.corpus, args.articles + args.warm)
    if len(articles) <= args.warm:
        print(
            f"bench_extraction: {len(articles)} articles in {args.corpus} (articles-*.jsonl.gz), "
            f"not more than the {args.warm} that warm the caches; give --corpus",
            file=sys.stderr,
        )
        return 2
    warm, measured = articles[: args.warm], articles[args.warm :]
    extractor = EntityExtractor()
    tagger_seconds = 0.0
    tag_sentences = extractor.tagger.tag_sentences

    def timed_tag_sentences(sentences):
        nonlocal tagger_seconds
        started = time.perf_counter()
        try:
            return tag_sentences(sentences)
        finally:
            tagger_seconds += time.perf_counter() - started

    extractor.tagger.tag_sentences = timed_tag_sentences
    with few_collections():
        gc.freeze()
        for i in range(0, len(warm), BATCH_SIZE):
            extractor.extract_batch(warm[i : i + BATCH_SIZE])
        tagger_seconds = 0.0
        started = time.perf_counter()
        for i in range(0, len(measured), BATCH_SIZE):
            extractor.extract_batch(measured[i : i + BATCH_SIZE])
        extraction = time.perf_counter() - started
        started = time.perf_counter()
        for article in measured:
            build_document(article)
        analysis = time.perf_counter() - started
        started = time.perf_counter()
        for article in measured:
            article_countries(article.title, article.body)
        countries = time.perf_counter() - started
    n = len(measured)
    print(f"{n} articles after {len(warm)} to warm the caches, one core, batches of {BATCH_SIZE}:")
    print(
        f"  entity extraction  {1000 * extraction / n:.2f} ms per article "
        f"(tagger {1000 * tagger_seconds / n:.2f}, the rest {1000 * (extraction - tagger_seconds) / n:.2f})"
    )
    print(f"  text analysis      {1000 * analysis / n:.2f} ms per article (build_document, no entities)")
    print(f"  country matching   {n / countries:,.0f} articles/s (article_countries alone; target ≥ 3,000)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
