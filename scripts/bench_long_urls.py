"""What over-long URLs cost the server: status, page size and time for 100 KB query strings and for
the longest query a page accepts, against `arshif serve` on an index.

    .venv/bin/python scripts/bench_long_urls.py --index data/index

Each request is sent 3 times; the best time is shown (the server is warmed up first).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from bench import free_port

REPO = Path(__file__).resolve().parents[1]
WORDS = "وزير الخارجية السعودي يلتقي نظيره الياباني في طوكيو لبحث العلاقات الاقتصادية والنفط".split()


def cases() -> list[tuple[str, str, str]]:
    rng = random.Random(1)
    arabic = quote(" ".join(rng.choice(WORDS) for _ in range(3000)))[:99_990].rsplit("%", 1)[0]
    selections, total = [], 0
    while total < 99_000:
        part = f"not_person={quote('ب' * 200)}" if rng.random() < 0.5 else f"org={quote('ت' * 200)}"
        selections.append(part)
        total += len(part) + 1
    longest = " ".join(rng.choice(WORDS) for _ in range(400))
    while len(quote(longest)) > 7_900:  # just under the app's 8,000-byte bound
        longest = longest.rsplit(" ", 1)[0]
    return [
        ("100 KB Arabic q", "/search", "q=" + arabic),
        ("100 KB Arabic q", "/api/search", "q=" + arabic),
        ("100 KB Latin q", "/search", "q=" + "x" * 99_998),
        ("100 KB of facet values", "/search", "&".join(selections)),
        ("longest accepted q", "/search", "q=" + quote(longest)),
        ("longest accepted q, 200 hits", "/search", "q=" + quote(longest) + "&size=200"),
        ("a usual query", "/search", "q=" + quote("وزير الخارجية السعودي")),
    ]


def fetch(url: str) -> tuple[int, int]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, len(error.read())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default="data/index")
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "search", "serve", "--index", args.index, "--port", str(port), "--workers", "2"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                fetch(base + "/healthz")
                break
            except OSError:
                time.sleep(0.3)
        for label, path, query in cases():
            fetch(f"{base}{path}?{query}")  # warm-up
            best = float("inf")
            for _ in range(3):
                started = time.perf_counter()
                status, size = fetch(f"{base}{path}?{query}")
                best = min(best, time.perf_counter() - started)
            print(
                f"{label:30} {path:12} query string {len(query):>7,} B -> {status} {size:>12,} B {best * 1000:7.0f} ms"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
