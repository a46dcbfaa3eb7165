"""The most frequent country mentions (key, surface, kind) over corpus articles, to read for false
positives after a change to the country matcher (search/entities/countries.py).

    .venv/bin/python scripts/report_countries.py [--articles 200] [--top 40]
"""

from __future__ import annotations

import argparse
import collections
import gzip
import itertools
import json
from pathlib import Path

from search.entities.countries import find_countries

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    shard = min(args.corpus.glob("*.jsonl.gz"), default=None)
    if shard is None:
        parser.error(f"no *.jsonl.gz under {args.corpus}")
    pairs: collections.Counter = collections.Counter()
    with gzip.open(shard, "rt", encoding="utf-8") as handle:
        for line in itertools.islice(handle, args.articles):
            article = json.loads(line)
            text = (article.get("title") or "") + "\n\n" + article["body"]
            pairs.update((m.key, m.surface, m.kind) for m in find_countries(text))
    print(f"{args.top} most frequent (key, surface, kind) over {args.articles} articles of {shard.name}")
    for (key, surface, kind), n in pairs.most_common(args.top):
        print(f"  {n:4d}  {key}  {surface}  ({kind})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
