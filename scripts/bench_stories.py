"""What story detection costs the index job (search.stories), measured two ways.

    .venv/bin/python scripts/bench_stories.py --baseline ../main [--rounds 2] [--no-entities]
    .venv/bin/python scripts/bench_stories.py --parts

1. **The whole job, against a checkout without stories** (`--baseline`, a folder with its own
   .venv, e.g. the main branch): the same archive indexed into fresh folders by both, alternately
   (A B A B …, so that a change in the machine's load hits both), with the real CLI. Reports wall
   time and docs/s, and the CPU seconds of each job's whole process tree (workers included).
2. **The parts** (`--parts`): CPU time of the worker side (sketches: hashing, MinHash, packing) and
   of the main process (StoryAssigner) over the archive, without the rest of the job: a figure that
   the machine's load hardly moves.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ARCHIVE = REPO.parent / "shared" / "corpus"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def index_once(checkout: Path, archive: Path, entities: bool) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, summary line) of one `arshif index` run by `checkout`."""
    target = Path(tempfile.mkdtemp(prefix="arshif-bench-stories-")) / "index"
    cmd = [
        str(checkout / ".venv" / "bin" / "python"),
        "-m",
        "search",
        "index",
        "-q",
        "--index",
        str(target),
        str(archive),
    ]
    if not entities:
        cmd.append("--no-entities")
    cpu, started = children_cpu(), time.perf_counter()
    result = subprocess.run(cmd, cwd=checkout, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - started, children_cpu() - cpu
    shutil.rmtree(target.parent, ignore_errors=True)
    if result.returncode not in (0, 3):
        sys.exit(f"{checkout}: indexing failed: {result.stderr[-2000:]}")
    return wall, cpu, result.stdout.strip().splitlines()[0]


def whole_job(baseline: Path, archive: Path, rounds: int, entities: bool) -> None:
    runs: dict[str, list[tuple[float, float]]] = {"baseline": [], "stories": []}
    for n in range(rounds):
        for label, checkout in (("baseline", baseline), ("stories", REPO)):
            wall, cpu, line = index_once(checkout, archive, entities)
            runs[label].append((wall, cpu))
            print(f"round {n + 1} {label:8} wall {wall:6.1f} s  cpu {cpu:6.1f} s  | {line}", flush=True)
    docs = int(line.split("(")[1].split()[0].replace(",", ""))
    for label, values in runs.items():
        walls, cpus = [w for w, _ in values], [c for _, c in values]
        print(
            f"{label:8}: {docs / min(walls):,.0f} docs/s at best ({min(walls):.1f} s), "
            f"CPU {min(cpus):.1f}-{max(cpus):.1f} s"
        )
    base, new = runs["baseline"], runs["stories"]
    print(
        f"cost: wall {min(w for w, _ in new) / min(w for w, _ in base) - 1:+.1%} (best runs), "
        f"CPU {min(c for _, c in new) / min(c for _, c in base) - 1:+.1%} (least CPU)"
    )


def parts(archive: Path) -> None:
    import gc

    from search.arabic import analyze
    from search.document import document_id
    from search.ingest import iter_records
    from search.model import Article
    from search.stories import StoryAssigner, sketch_fields, story_key

    articles = [r for r in iter_records([str(archive)]) if isinstance(r, Article)]
    for article in articles:
        article.id = document_id(article)
    tokens = [analyze(a.body).exact for a in articles]
    gc.set_threshold(50_000, 20, 20)  # as the indexer runs (search.indexer.few_collections)
    started = time.process_time()
    docs = [
        {"id": a.id, "story": story_key(a.id), **sketch_fields(t, a.date, a.source)}
        for a, t in zip(articles, tokens, strict=True)
    ]
    sketching = time.process_time() - started
    assigner = StoryAssigner()
    started = time.process_time()
    for at in range(0, len(docs), 200):
        assigner.assign(docs[at : at + 200])
    assigning = time.process_time() - started
    n = len(docs)
    print(
        f"{n:,} articles: sketches {sketching:.1f} s CPU ({sketching / n * 1e6:.0f} µs each, in the workers), "
        f"assignment {assigning:.1f} s CPU ({assigning / n * 1e6:.0f} µs each, in the main process)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", default=str(DEFAULT_ARCHIVE))
    parser.add_argument("--baseline", help="a checkout without story detection, with its own .venv")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-entities", action="store_true")
    parser.add_argument("--parts", action="store_true")
    args = parser.parse_args()
    if args.parts:
        parts(Path(args.archive))
    if args.baseline:
        whole_job(Path(args.baseline).resolve(), Path(args.archive), args.rounds, not args.no_entities)
    if not (args.parts or args.baseline):
        parser.error("give --baseline CHECKOUT and/or --parts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
