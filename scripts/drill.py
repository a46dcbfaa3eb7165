"""Drill: searchers keep searching while an index job adds articles, is SIGKILLed and is re-run.

    .venv/bin/python scripts/drill.py [--clients 8] [--seconds 60] [--articles 10000] [--base 1000]
                                      [--commit-every 2000] [--kill-at 4000] [--no-entities] [--json]

1. Indexes the first `--base` articles of ../shared/corpus with the real CLI and serves them with
   `arshif serve` (gunicorn, 2 workers).
2. `--clients` threads search without pause (HTML page, JSON API, Atom feed, facet filter box,
   article pages; Arabic queries with facets) for at least `--seconds`, and until step 4 is done.
3. Meanwhile `arshif index` adds the next `--articles` articles to the same index. It commits every
   `--commit-every` documents (the product commits every 10,000: with 10,000 new articles only at
   the end) so that the web app sees the index grow; once `--kill-at` new documents are visible,
   the job's whole process group is SIGKILLed, between two commits.
4. The same job is run again to the end.
5. Checks: every request answered 200 with a page; every article read is in the index exactly once
   (none lost, none twice, nothing else). Prints the figures; exit code 1 when a check fails.

Articles are copied from ../shared/corpus to a temporary folder, never into the repository.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import itertools
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from bench import FACET_PARAMS, QUERIES, free_port

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"

# `arshif index` with a commit interval of the drill's choosing (search.indexer.COMMIT_EVERY).
INDEX_JOB = (
    "import sys, search.indexer as indexer; indexer.COMMIT_EVERY = int(sys.argv[1]); "
    "from search.cli import main; sys.exit(main(sys.argv[2:]))"
)


def write_slices(workdir: Path, base: int, articles: int) -> tuple[Path, Path]:
    """The first `base` lines of the corpus, and the `articles` after them, as two JSON-lines files."""
    shards = sorted(CORPUS.glob("*.jsonl.gz"))
    if not shards:
        sys.exit(f"drill: needs ../shared/corpus (looked in {CORPUS})")
    lines = (line for shard in shards for line in gzip.open(shard, "rb"))
    files = []
    for name, count in (("base.jsonl", base), ("new.jsonl", articles)):
        chunk = list(itertools.islice(lines, count))
        if len(chunk) < count:
            sys.exit("drill: the corpus has fewer articles than --base + --articles")
        (workdir / name).write_bytes(b"".join(chunk))
        files.append(workdir / name)
    return files[0], files[1]


def expected_ids(*paths: Path) -> list[str]:
    """The ids the index must hold after indexing `paths`: what ingest reads as articles."""
    from search.document import document_id
    from search.ingest import iter_records
    from search.model import Article

    return [document_id(r) for r in iter_records([str(p) for p in paths]) if isinstance(r, Article)]


def arshif(*args: str, commit_every: int | None = None, **popen) -> subprocess.Popen:
    if commit_every is None:
        cmd = [sys.executable, "-m", "search", *args]
    else:
        cmd = [sys.executable, "-c", INDEX_JOB, str(commit_every), *args]
    return subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


class Searchers:
    """Client threads sending a mix of requests until told to stop; every answer is checked."""

    def __init__(self, port: int, clients: int, doc_ids: list[str]):
        self.port, self.doc_ids = port, doc_ids
        self.latencies: list[float] = []
        self.failures: list[str] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(seed,), daemon=True) for seed in range(clients)]

    def start(self) -> None:
        self.started = time.monotonic()
        for thread in self.threads:
            thread.start()

    def finish(self) -> float:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)
        return time.monotonic() - self.started

    def _url(self, rng: random.Random) -> str:
        kind = rng.random()
        if kind < 0.1:
            return "/doc/" + quote(rng.choice(self.doc_ids), safe="")
        if kind < 0.15:
            return "/api/facet/person?" + urlencode({"match": rng.choice(["محمد", "عبد", "Saudi"])})
        path = "/search" if kind < 0.6 else "/api/search" if kind < 0.9 else "/search.atom"
        params = {"q": rng.choice(QUERIES), **rng.choice(FACET_PARAMS)}
        return path + "?" + urlencode({k: v for k, v in params.items() if v}, quote_via=quote)

    def _run(self, seed: int) -> None:
        rng = random.Random(seed)
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while not self.stop.is_set():
            url = self._url(rng)
            started = time.perf_counter()
            try:
                connection.request("GET", url)
                response = connection.getresponse()
                body = response.read()
                if response.status != 200 or body.lstrip()[:1] not in (b"<", b"{"):
                    self.failures.append(f"{response.status} {url}")
            except (OSError, http.client.HTTPException) as error:
                self.failures.append(f"{type(error).__name__}: {error} {url}")
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.latencies.append((time.perf_counter() - started) * 1000)
        connection.close()


def wait_for_server(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("drill: arshif serve exited: " + (server.stderr.read() if server.stderr else "")[-2000:])
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    sys.exit("drill: arshif serve did not answer within 90 s")


def visible_docs(port: int) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/healthz")
    return json.loads(connection.getresponse().read())["docs"]


def run(args: argparse.Namespace, workdir: Path) -> dict:
    base_file, new_file = write_slices(workdir, args.base, args.articles)
    index = workdir / "index"
    entity_flag = ["--no-entities"] if args.no_entities else []
    job = arshif("index", "-q", *entity_flag, "--index", str(index), str(base_file))
    out, err = job.communicate()
    if job.returncode not in (0, 3):
        sys.exit(f"drill: indexing the base failed: {err[-2000:]}")
    base_ids = expected_ids(base_file)

    port = free_port()
    server = arshif("serve", "--index", str(index), "--port", str(port), "--workers", "2")
    figures: dict = {
        "clients": args.clients,
        "articles": args.articles,
        "base": len(base_ids),
        "commit_every": args.commit_every,
        "entities": not args.no_entities,
    }
    try:
        wait_for_server(port, server)
        searchers = Searchers(port, args.clients, base_ids)
        searchers.start()
        time.sleep(2)  # searches already running when the job starts
        index_args = [
            "index",
            "-q",
            *entity_flag,
            "--index",
            str(index),
            "--report-dir",
            str(workdir / "reports"),
            str(new_file),
        ]
        started = time.monotonic()
        job = arshif(*index_args, commit_every=args.commit_every, start_new_session=True)
        visible = len(base_ids)
        while job.poll() is None and visible < len(base_ids) + args.kill_at:
            time.sleep(0.2)
            visible = visible_docs(port)
        if job.poll() is not None:
            said = job.stderr.read() if job.stderr else ""
            sys.exit(f"drill: the index job ended before --kill-at was reached: {said[-2000:]}")
        os.killpg(job.pid, signal.SIGKILL)  # the job and its analysis workers, mid-batch
        job.wait()
        figures["killed_after_s"] = round(time.monotonic() - started, 1)
        figures["visible_at_kill"] = visible - len(base_ids)
        rerun_started = time.monotonic()
        job = arshif(*index_args, commit_every=args.commit_every)
        out, err = job.communicate()
        figures["rerun_s"] = round(time.monotonic() - rerun_started, 1)
        figures["rerun"] = out.strip().splitlines()[0] if out.strip() else err[-500:]
        if job.returncode not in (0, 3):
            figures["rerun_failed"] = err[-2000:]
        while time.monotonic() - searchers.started < args.seconds:
            time.sleep(0.2)
        time.sleep(1)  # the last commit reaches every web worker
        figures["search_s"] = round(searchers.finish(), 1)
    finally:
        server.terminate()
        server.wait(timeout=30)

    latencies = sorted(searchers.latencies)
    cuts = statistics.quantiles(latencies, n=100)
    figures.update(
        {
            "requests": len(latencies),
            "requests_per_s": round(len(latencies) / figures["search_s"], 1),
            "failed": len(searchers.failures),
            "failures": searchers.failures[:10],
            "p50_ms": round(cuts[49], 1),
            "p95_ms": round(cuts[94], 1),
            "p99_ms": round(cuts[98], 1),
            "max_ms": round(latencies[-1], 1),
        }
    )
    figures.update(check_index(index, base_ids + expected_ids(new_file)))
    return figures


def check_index(index: Path, expected: list[str]) -> dict:
    """Each expected id is in the index, and the index holds nothing else: then none is there twice."""
    from search.engines.tantivy_engine import TantivyEngine

    engine = TantivyEngine(index)
    found: set[str] = set()
    for start in range(0, len(expected), 500):
        found |= set(engine.existing_hashes(expected[start : start + 500]))
    docs = engine.count()
    wanted = set(expected)
    return {
        "expected": len(wanted),
        "in_index": docs,
        "lost": len(wanted - found),
        "duplicated_or_extra": docs - len(found),
        "repeated_in_input": len(expected) - len(wanted),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60, help="search for at least this long")
    parser.add_argument("--articles", type=int, default=10_000, help="articles the index job adds")
    parser.add_argument("--base", type=int, default=1_000, help="articles indexed before the drill")
    parser.add_argument("--commit-every", type=int, default=2_000)
    parser.add_argument(
        "--kill-at",
        type=int,
        default=4_000,
        help="SIGKILL the job once this many new documents are visible to the web app",
    )
    parser.add_argument("--no-entities", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="arshif-drill-"))
    try:
        figures = run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    ok = (
        figures["failed"] == 0
        and figures["lost"] == 0
        and figures["duplicated_or_extra"] == 0
        and "rerun_failed" not in figures
    )
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        print(
            f"searching: {figures['clients']} clients for {figures['search_s']} s: {figures['requests']:,} requests "
            f"({figures['requests_per_s']}/s), {figures['failed']} failed; latency p50 {figures['p50_ms']} ms, "
            f"p95 {figures['p95_ms']} ms, p99 {figures['p99_ms']} ms, max {figures['max_ms']} ms"
        )
        print(
            f"index job: {figures['articles']:,} articles onto {figures['base']:,}, commits every "
            f"{figures['commit_every']:,}; SIGKILLed after {figures['killed_after_s']} s with "
            f"{figures['visible_at_kill']:,} new documents visible; re-run in {figures['rerun_s']} s: "
            f"{figures['rerun']}"
        )
        print(
            f"index: {figures['expected']:,} articles expected, {figures['in_index']:,} in the index, "
            f"{figures['lost']} lost, {figures['duplicated_or_extra']} duplicated or unexpected"
        )
        for failure in figures["failures"]:
            print("   failed:", failure)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
