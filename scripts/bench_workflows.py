"""Benchmarks of the journalist workflows over HTTP, on an existing index (issue 16's figures).

    .venv/bin/python scripts/bench_workflows.py --index data/index [--lines 500] [--suggest 300]

Starts the production server (`arshif serve`, gunicorn, 2 workers) on the index, then:
1. export: streams /export.csv and /export.jsonl of the empty search and of filtered searches,
   counts the rows (each must equal /api/search's total), and reports rows/s and how much the
   server's memory (all workers) grew over its level before the export;
2. batch: posts a list of `--lines` lines (names in Arabic and Latin script taken from the index's
   most frequent people and organizations and from a list below, queries, 20 malformed lines) to
   /batch.csv, reports the time, and checks every row's total against /api/search for its line;
3. suggest: asks /api/suggest for names typed in Arabic and Latin script, whole and as prefixes,
   one client at a time, and reports p50/p95/max latency (after each worker's warm-up).
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import random
import statistics
import threading
import time
from functools import partial
from urllib.parse import quote, urlencode

from bench import QUERIES, REPO, arshif_server, resident_mb, tree_members

# Names as a journalist types them in Latin script (facts: public figures, countries, groups).
LATIN_NAMES = [
    "John Kerry",
    "Barack Obama",
    "Obama",
    "Erdogan",
    "Recep Tayyip Erdogan",
    "Vladimir Putin",
    "Putin",
    "Bashar al-Assad",
    "Bashar Assad",
    "Netanyahu",
    "Hassan Rouhani",
    "Rouhani",
    "Mohammed bin Salman",
    "Salman",
    "Ban Ki-moon",
    "John Allen",
    "Hillary Clinton",
    "Donald Trump",
    "Trump",
    "Angela Merkel",
    "Francois Hollande",
    "David Cameron",
    "Abdel Fattah el-Sisi",
    "Ali Abdullah Saleh",
    "Abdrabbuh Mansur Hadi",
    "Haider al-Abadi",
    "Nouri al-Maliki",
    "Beji Caid Essebsi",
    "Rached Ghannouchi",
    "Zarif",
    "Kuwait",
    "Saudi Arabia",
    "Yemen",
    "Iran",
    "Tunisia",
    "Morocco",
    "Egypt",
    "Qatar",
    "Iraq",
    "Syria",
    "Turkey",
    "Lebanon",
    "Jordan",
    "Bahrain",
    "Oman",
    "France",
    "Germany",
    "Russia",
    "ISIS",
    "Aramco",
]
MALFORMED = [
    '"',
    '"ولي العهد',
    "«الأمم المتحدة",
    "!!!",
    "...",
    "؟؟؟",
    "",
    "   ",
    "-",
    "()",
    '""',
    "«»",
    "ب" * 400,
    "x" * 350,
    "=1+1",
    "@SUM(A1)",
    "+",
    "OR",
    "title:",
    "**",
]


def request(port: int, method: str, path: str, body: bytes | None = None, headers=None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def api_total(port: int, params: list[tuple[str, str]]) -> int:
    import json

    status, body = request(port, "GET", "/api/search?" + urlencode(params))
    assert status == 200, (status, params)
    return json.loads(body)["total"]


class MemoryWatch:
    """Peak memory of the server's processes while a block runs, sampled every 0.2 s: resident
    (RSS, which counts the pages of the index files an export reads through mmap) and private
    (without them)."""

    def __init__(self, pid: int):
        self.pids, self._stop = tree_members(pid), threading.Event()

    def __enter__(self):
        self.before, self.before_private = resident_mb(self.pids)
        self.peak, self.peak_private = self.before, self.before_private
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self):
        while not self._stop.wait(0.2):
            rss, private = resident_mb(self.pids)
            self.peak, self.peak_private = max(self.peak, rss), max(self.peak_private, private)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def bench_export(port: int, pid: int, searches: list[list[tuple[str, str]]]) -> None:
    for params in searches:
        expected = api_total(port, params)
        for fmt in ("csv", "jsonl"):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            with MemoryWatch(pid) as memory:  # timed: the download (the rows are counted after it)
                started = time.perf_counter()
                connection.request("GET", f"/export.{fmt}?" + urlencode(params))
                response = connection.getresponse()
                data = b"".join(iter(partial(response.read, 1 << 16), b""))
                seconds = time.perf_counter() - started
            connection.close()
            text = data.decode("utf-8-sig")
            rows = (
                sum(1 for _ in csv.reader(io.StringIO(text, newline=""))) - 1
                if fmt == "csv"
                else len(text.splitlines())
            )
            label = "&".join(f"{k}={v}" for k, v in params) or "(everything)"
            verdict = "ok" if rows == expected else f"MISMATCH: API total {expected:,}"
            print(
                f"export {fmt:5} {label:28} {rows:7,} rows in {seconds:5.1f} s = {rows / seconds:7,.0f} rows/s, "
                f"server RSS +{memory.peak - memory.before:.0f} MB (of {memory.before:.0f}), private "
                f"+{memory.peak_private - memory.before_private:.0f} MB (of {memory.before_private:.0f}); {verdict}"
            )


def batch_lines(index: str, count: int, seed: int = 5) -> list[str]:
    """Names of the index's most frequent people and organizations (Arabic), Latin names,
    queries and MALFORMED, shuffled, `count` lines in all."""
    from search.config import Settings
    from search.engines import open_engine
    from search.engines.base import SearchRequest
    from search.web.labels import facet_label

    engine = open_engine(Settings(index=index))
    try:
        labels = engine.entity_labels()
        facets = engine.search(SearchRequest(sort="newest", size=0, facets=("person", "org"), facet_size=400)).facets
        arabic = [facet_label(facet, key, labels)[0] for facet in ("person", "org") for key, _ in facets[facet]]
    finally:
        engine.close()
    rng = random.Random(seed)
    queries = [q for q in QUERIES if q]
    room = count - len(MALFORMED) - len(LATIN_NAMES) - len(queries)
    lines = rng.sample(arabic, min(room, len(arabic))) + LATIN_NAMES + queries + MALFORMED
    rng.shuffle(lines)
    lines = lines[:count]
    while not lines[-1].strip():  # a blank last line is no line (a pasted list's final newline)
        lines.insert(0, lines.pop())
    return lines


def bench_batch(port: int, lines: list[str], filters: list[tuple[str, str]]) -> None:
    body = urlencode({"lines": "\n".join(lines)}).encode("utf-8")
    started = time.perf_counter()
    status, data = request(
        port, "POST", "/batch.csv?" + urlencode(filters), body, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    seconds = time.perf_counter() - started
    assert status == 200, status
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, body_rows = rows[0], rows[1:]
    searched = [r for r in body_rows if r[header.index("total")] != ""]
    noted = [r for r in body_rows if r[header.index("note")]]
    entities = [r for r in body_rows if r[header.index("entity_key")]]
    mismatches = 0
    for row, line in zip(body_rows, lines, strict=False):
        if row[header.index("total")] != "":
            if int(row[header.index("total")]) != api_total(port, [*filters, ("q", line)]):
                mismatches += 1
    # each row starts with its line (or the line neutralised as a formula)
    in_order = all(row[0] in (line, "'" + line) for row, line in zip(body_rows, lines, strict=False))
    label = "&".join(f"{k}={v}" for k, v in filters) or "no filters"
    print(
        f"batch ({label}): {len(lines)} lines -> {len(body_rows)} rows in {seconds:.1f} s "
        f"({len(searched)} searched, {len(noted)} with a note, {len(entities)} with an entity); "
        f"rows in input order: {in_order}; "
        f"totals different from /api/search: {mismatches}"
    )


def bench_suggest(port: int, lines: list[str], n: int) -> None:
    texts = []
    for line in lines:
        if line.strip() and len(line) < 60:
            texts += [line, line[: max(2, len(line) // 2)]]
    rng = random.Random(3)
    texts = rng.sample(texts, min(n, len(texts)))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for text in texts[:40]:  # warm-up: both workers' name indexes, caches
        connection.request("GET", "/api/suggest?q=" + quote(text))
        connection.getresponse().read()
    latencies = []
    for text in texts:
        started = time.perf_counter()
        connection.request("GET", "/api/suggest?q=" + quote(text))
        response = connection.getresponse()
        response.read()
        assert response.status == 200
        latencies.append((time.perf_counter() - started) * 1000)
    connection.close()
    cuts = statistics.quantiles(latencies, n=100)
    print(
        f"suggest: {len(latencies)} requests (whole names and prefixes, Arabic and Latin), "
        f"p50 {cuts[49]:.1f} ms, p95 {cuts[94]:.1f} ms, max {max(latencies):.1f} ms"
    )


def warm_up(port: int) -> None:
    """Requests in parallel until every worker has answered each kind once: its engine opened,
    entity labels read, name index built (the first suggestion waits for it)."""
    paths = [
        "/search?q=" + quote("النفط"),
        "/api/suggest?q=Kuwait",
        "/export.csv?q=" + quote("الهلال"),
        "/export.jsonl?q=" + quote("الهلال"),
    ]
    for _ in range(3):
        threads = [threading.Thread(target=request, args=(port, "GET", path)) for path in paths for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default=str(REPO / "data" / "index"))
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--suggest", type=int, default=300)
    args = parser.parse_args()
    with arshif_server(args.index, workers=2) as (port, server):
        while request(port, "GET", "/healthz")[0] != 200:  # the engine opened
            time.sleep(0.3)
        warm_up(port)
        bench_export(
            port,
            server.pid,
            [[], [("country", "SA")], [("q", "النفط")], [("q", "الرياض"), ("sort", "oldest"), ("year", "2015")]],
        )
        lines = batch_lines(args.index, args.lines)
        bench_batch(port, lines, [])
        bench_batch(port, lines, [("country", "SA")])
        bench_suggest(port, lines, args.suggest)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
