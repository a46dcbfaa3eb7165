"""Shared fixtures: where ../shared is, a small real-corpus index, and a live production server."""

from __future__ import annotations

import contextlib
import gzip
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

# the browser tests' `driver` and `page` fixtures (tests/browser.py) and the engines' `engine`
# (tests/engines.py), for every module that asks for them
pytest_plugins = ["browser", "engines"]

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ARSHIF_SHARED") or REPO.parent / "shared")
CORPUS = SHARED / "corpus"
SLICE_PER_SHARD = 700  # shards are not shuffled across outlets: take some of each


ES_REQUIRED = "ARSHIF_ES_REQUIRED"  # set by `make test-es`: an Elasticsearch test may not skip


def es_url() -> str:
    """ARSHIF_ES_URL, or skip (fail under `make test-es`) when no node is there to test against."""
    url = os.environ.get("ARSHIF_ES_URL")
    if not url:
        message = "ARSHIF_ES_URL is not set: no Elasticsearch node to test against (`make test-es` starts one)"
        if os.environ.get(ES_REQUIRED):
            pytest.fail(message)
        pytest.skip(message)
    return url


# Fixtures that read ../shared/corpus: a test using one is a `corpus` test, whatever it says.
CORPUS_FIXTURES = frozenset({"corpus_slice", "corpus_index", "corpus_app", "client", "live_server"})


def pytest_collection_modifyitems(config, items):
    """Markers applied by rule, so that `-m "not corpus"` leaves out every test that reads
    ../shared (through a fixture or a skip condition naming it), and `browser` tests are slow."""
    for item in items:
        reasons = (str(mark.kwargs.get("reason", "")).lower() for mark in item.iter_markers("skipif"))
        reads_shared = any("shared" in reason for reason in reasons)
        if reads_shared or CORPUS_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.corpus)
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under `make test-es`, an Elasticsearch test that skips (for whatever reason) fails."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get(ES_REQUIRED) and item.get_closest_marker("elasticsearch"):
        report.outcome = "failed"
        report.longrepr = f"skipped under make test-es, where no Elasticsearch test may skip: {report.longrepr}"


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.jsonl.gz")) if CORPUS.is_dir() else []


needs_corpus = pytest.mark.skipif(not corpus_files(), reason=f"needs ../shared/corpus (looked in {CORPUS})")


def write_corpus_slice(path: Path, per_shard: int) -> Path:
    """A JSONL file of the first `per_shard` lines of every shard, made at test time (never
    committed); skips the test without the corpus."""
    if not corpus_files():
        pytest.skip(f"needs ../shared/corpus (looked in {CORPUS})")
    with path.open("w", encoding="utf-8") as out:
        for shard in corpus_files():
            with gzip.open(shard, "rt", encoding="utf-8") as handle:
                for n, line in enumerate(handle):
                    if n >= per_shard:
                        break
                    out.write(line)
    return path


FIXTURE_ARCHIVE = REPO / "tests" / "data" / "fixture_archive.jsonl"  # our own text: runs everywhere


def cli_index(archive: Path, index: Path) -> str:
    """`archive` indexed into `index` by the real CLI (`arshif index`, with entities); its summary
    line ("indexed 12, updated 0, …")."""
    result = subprocess.run(
        [sys.executable, "-m", "search", "index", "-q", "--index", str(index), str(archive)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="session")
def fixture_index(tmp_path_factory) -> Path:
    """A tantivy index of the twelve articles of tests/data/fixture_archive.jsonl, built with the
    real CLI and the real entity extractor (no ../shared needed)."""
    index = tmp_path_factory.mktemp("fixture") / "index"
    cli_index(FIXTURE_ARCHIVE, index)
    return index


def testing_app(index: Path):
    """The web app over a tantivy index, as the tests drive it (Flask's test client)."""
    from search.config import Settings
    from search.web import create_app

    app = create_app(Settings(index=str(index)))
    app.config["TESTING"] = True
    return app


@pytest.fixture(scope="session")
def fixture_client(fixture_index):
    return testing_app(fixture_index).test_client()


@pytest.fixture(scope="session")
def corpus_slice(tmp_path_factory) -> Path:
    return write_corpus_slice(tmp_path_factory.mktemp("slice") / "slice.jsonl", SLICE_PER_SHARD)


@pytest.fixture(scope="session")
def corpus_index(corpus_slice, tmp_path_factory) -> Path:
    """A tantivy index of the corpus slice, built with the real CLI."""
    index = tmp_path_factory.mktemp("index") / "index"
    cli_index(corpus_slice, index)
    return index


@pytest.fixture(scope="session")
def corpus_app(corpus_index):
    return testing_app(corpus_index)


@pytest.fixture(scope="session")
def client(corpus_app):
    return corpus_app.test_client()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(corpus_index):
    """`arshif serve` (gunicorn) on a free loopback port; yields its base URL."""
    with serving(corpus_index) as base:
        yield base


@contextlib.contextmanager
def serving(index: Path | None, env: dict[str, str] | None = None):
    """Run `arshif serve` on `index` (or on the engine `env` names) for the duration of the block;
    yields the base URL."""
    port = free_port()
    where = ["--index", str(index)] if index is not None else []
    process = subprocess.Popen(
        [sys.executable, "-m", "search", "serve", *where, "--port", str(port), "--workers", "2"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
        if process.poll() is not None:
            pytest.fail("arshif serve exited: " + (process.stdout.read() if process.stdout else ""))
    else:
        process.terminate()
        pytest.fail("arshif serve did not answer /healthz within 60 s")
    yield base
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
