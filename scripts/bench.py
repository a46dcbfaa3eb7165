"""Benchmarks: indexing throughput on a whole archive, and search latency over HTTP.

    .venv/bin/python scripts/bench.py [--archive ../shared/corpus] [--index DIR] [--skip-index]
                                      [--requests 2000] [--clients 8] [--no-entities]

1. Indexes the archive with the real CLI (`arshif index`) into a fresh folder and reports docs/s and
   the peak memory (RSS) of the indexer's whole process tree.
2. Starts the production server (`arshif serve`, gunicorn) on that index and sends a mix of Arabic
   queries with facets (20 highlighted hits each): first one client at a time (latency), then
   `--clients` concurrent clients (throughput), and reports p50/p95, requests/s, errors, and the
   server's peak memory. `--api` asks the JSON API (same search, facets and snippets, no HTML).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ARCHIVE = REPO.parent / "shared" / "corpus"

QUERIES = [
    "السعودية",
    "الرياض",
    "النفط",
    "داعش",
    "اليمن",
    "الحوثيين",
    "وزير الخارجية",
    "ولي العهد",
    "كرة القدم",
    "الهلال",
    "الاتحاد الأوروبي",
    "إيران",
    "الاتفاق النووي",
    "أسعار النفط",
    "التعليم",
    "وزارة الصحة",
    "كورونا",
    "الانتخابات",
    "تونس",
    "المغرب",
    "الأمم المتحدة",
    "مجلس الأمن",
    "سوريا",
    "العراق",
    "مصر",
    '"ولي العهد"',
    '"الأمم المتحدة"',
    "الحوثيين -صنعاء",
    "النصر OR الهلال",
    "title:داعش",
    "منظمة التعاون الإسلامي تستنكر تصريحات المالكي ضد المملكة",
    "الأرصاد تتوقع طقساً غائما على المصايف وشديد الحرارة",
    "",
    # names typed without quotes, questions, and keyword queries few articles hold whole
    "محمد بن سلمان",
    "جون كيري",
    "منظمة الصحة العالمية",
    "من هو جمال خاشقجي؟",
    "متى تأسست منظمة أوبك؟",
    "أرامكو البرازيل الغواصات",
    "الهلال النصر برشلونة",
]
FACET_PARAMS = [
    {},
    {},
    {"source": "Al-Riyadh"},
    {"year": "2015"},
    {"source": "Okaz", "not_source": "Al-Yaum"},
    {"sort": "newest"},
    {"country": "SA"},
    {"from": "2015-07-10", "to": "2015-07-31"},
    {"page": "2"},
]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    return resident_mb(tree_members(pid))[0]


def _tree(pid: int, children: dict[int, list[int]]) -> list[int]:
    members, stack = [], [pid]
    while stack:
        current = stack.pop()
        members.append(current)
        stack.extend(children.get(current, []))
    return members


def tree_members(pid: int) -> list[int]:
    """A process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as handle:
                children.setdefault(int(handle.read().rsplit(")", 1)[1].split()[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    return _tree(pid, children)


def resident_mb(pids: list[int]) -> tuple[float, float]:
    """(resident, private) memory of those processes: private is RSS without the pages of files
    mapped into them (an index's files, which the OS shares between processes and can drop)."""
    fields = {"VmRSS:": 0, "RssAnon:": 0}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as handle:
                for line in handle:
                    name = line.split(None, 1)[0]
                    if name in fields:
                        fields[name] += int(line.split()[1])
        except (OSError, ValueError):
            continue
    return fields["VmRSS:"] / 1024, fields["RssAnon:"] / 1024


def run_measured(cmd: list[str], **kw) -> tuple[subprocess.CompletedProcess, float, float]:
    started = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, tree_rss_mb(process.pid))
        time.sleep(0.2)
    out, err = process.communicate()
    return subprocess.CompletedProcess(cmd, process.returncode, out, err), time.perf_counter() - started, peak


def bench_index(archive: Path, index: Path, entities: bool) -> None:
    if index.exists():
        shutil.rmtree(index)
    cmd = [str(REPO / ".venv" / "bin" / "arshif"), "index", "-q", "--index", str(index), str(archive)]
    if not entities:
        cmd.append("--no-entities")
    result, seconds, peak = run_measured(cmd)
    if result.returncode not in (0, 3):
        sys.exit(f"indexing failed: {result.stderr[-2000:]}")
    print(f"index: {result.stdout.strip()}")
    print(f"index: wall {seconds:.1f} s, peak RSS of the indexer (all processes) {peak:.0f} MB")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PATH = "/search"  # or /api/search with --api


def make_urls(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    urls = []
    for _ in range(n):
        params = {"q": rng.choice(QUERIES), **rng.choice(FACET_PARAMS)}
        urls.append(PATH + "?" + urlencode({k: v for k, v in params.items() if v}, quote_via=quote))
    return urls


def hammer(port: int, urls: list[str], latencies: list[float], errors: list[str]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for url in urls:
        started = time.perf_counter()
        try:
            connection.request("GET", url)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200 or not (b"<html" in body or body.startswith(b"{")):
                errors.append(f"{response.status} {url}")
        except OSError as error:
            errors.append(f"{error} {url}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        latencies.append((time.perf_counter() - started) * 1000)
    connection.close()


def report(label: str, latencies: list[float], errors: list[str], seconds: float) -> None:
    cuts = statistics.quantiles(latencies, n=100)
    print(
        f"{label}: {len(latencies)} requests, p50 {cuts[49]:.1f} ms, p95 {cuts[94]:.1f} ms, "
        f"{len(latencies) / seconds:.0f} requests/s, {len(errors)} errors"
    )
    for error in errors[:5]:
        print("   ", error)


@contextlib.contextmanager
def arshif_server(index: Path | str, workers: int | None = None):
    """`arshif serve` on `index` and a free port, accepting connections; yields (port, process)."""
    port = free_port()
    cmd = [str(REPO / ".venv" / "bin" / "arshif"), "serve", "--index", str(index), "--port", str(port)]
    server = subprocess.Popen(
        cmd + (["--workers", str(workers)] if workers else []), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        yield port, server
    finally:
        server.terminate()
        server.wait(timeout=10)


def bench_search(index: Path, requests: int, clients: int) -> None:
    with arshif_server(index) as (port, server):
        hammer(port, make_urls(200, seed=1), [], [])  # warm-up: caches, lazy imports
        peak = tree_rss_mb(server.pid)

        latencies: list[float] = []
        errors: list[str] = []
        started = time.perf_counter()
        hammer(port, make_urls(min(requests, 1000), seed=2), latencies, errors)
        report("search, 1 client", latencies, errors, time.perf_counter() - started)
        peak = max(peak, tree_rss_mb(server.pid))

        latencies, errors = [], []
        urls = make_urls(requests, seed=3)
        threads = [
            threading.Thread(target=hammer, args=(port, urls[i::clients], latencies, errors)) for i in range(clients)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads):
            peak = max(peak, tree_rss_mb(server.pid))
            time.sleep(0.2)
        report(f"search, {clients} clients", latencies, errors, time.perf_counter() - started)
        print(f"search: peak RSS of the web server (all workers) {peak:.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", default=str(DEFAULT_ARCHIVE))
    parser.add_argument("--index", help="index folder (default: a temporary folder)")
    parser.add_argument("--skip-index", action="store_true", help="reuse --index as it is")
    parser.add_argument("--no-entities", action="store_true")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--api", action="store_true", help="ask /api/search (JSON) instead of the HTML page")
    args = parser.parse_args()
    global PATH
    PATH = "/api/search" if args.api else "/search"
    workdir = Path(tempfile.mkdtemp(prefix="arshif-bench-"))
    index = Path(args.index) if args.index else workdir / "index"
    try:
        if not args.skip_index:
            bench_index(Path(args.archive), index, entities=not args.no_entities)
        bench_search(index, args.requests, args.clients)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
