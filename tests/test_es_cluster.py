"""What a cluster user runs, against a real Elasticsearch node (`make test-es` starts one).

`arshif index --engine elasticsearch`, `arshif reindex` while searches run, `arshif drop-old`, the
web app on Elasticsearch, and `/healthz` when the node stops under a running app. The archive is a
slice of real articles from ../shared/corpus, written to a temporary file at test time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import REPO, es_url, serving, write_corpus_slice
from search.config import Settings
from search.engines.base import EngineError, SearchRequest
from search.engines.elasticsearch_engine import ElasticsearchEngine
from search.query.parser import parse

pytestmark = [pytest.mark.elasticsearch, pytest.mark.corpus, pytest.mark.slow]

PER_SHARD = 100  # articles taken from the start of each corpus shard
ES_NODE = REPO / "scripts" / "es_node.py"


def arshif(*args, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "search", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **env},
    )


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    return write_corpus_slice(tmp_path_factory.mktemp("es-archive") / "slice.jsonl", PER_SHARD)


def first_article(archive: Path) -> dict:
    with archive.open(encoding="utf-8") as handle:
        return json.loads(handle.readline())


@pytest.fixture(scope="module")
def cluster(archive, tmp_path_factory):
    """A throwaway alias on the node, filled by `arshif index --engine elasticsearch`; yields the
    environment that points commands at it. Every index of the alias is deleted afterwards."""
    url = es_url()
    alias = f"arshif-cli-{uuid.uuid4().hex[:8]}"
    reports = tmp_path_factory.mktemp("reports")
    env = {
        "ARSHIF_ES_URL": url,
        "ARSHIF_ES_INDEX": alias,
        "ARSHIF_ES_REPLICAS": "0",
        "ARSHIF_ENGINE": "elasticsearch",
        "ARSHIF_INDEX": str(reports / "unused"),
    }
    run = arshif("index", "-q", "--engine", "elasticsearch", "--report-dir", str(reports), str(archive), env=env)
    assert run.returncode == 0, run.stderr
    assert f"indexed {3 * PER_SHARD}," in run.stdout
    yield env
    engine = reader(env)
    try:
        engine.client.indices.delete(index=f"{alias}-*", ignore_unavailable=True, allow_no_indices=True)
    finally:
        engine.close()


def reader(env: dict[str, str]) -> ElasticsearchEngine:
    return ElasticsearchEngine.from_settings(
        Settings(engine="elasticsearch", es_url=env["ARSHIF_ES_URL"], es_index=env["ARSHIF_ES_INDEX"], es_replicas=0)
    )


def get(url: str, timeout: float = 30) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_index_command_fills_the_first_version_behind_the_alias(cluster, archive):
    engine = reader(cluster)
    try:
        assert engine.count() == 3 * PER_SHARD
        versions = engine.versions()
        assert len(versions) == 1 and list(versions.values()) == [True]
        article = first_article(archive)
        title_words = " ".join(article["title"].split()[:3])
        hits = engine.search(SearchRequest(query=parse(f'"{title_words}"'), size=10)).hits
        assert article["id"] in [h.id for h in hits]
        assert engine.get(article["id"])["title"] == article["title"]
        assert engine.entity_labels()  # the indexer saved the display names of people and orgs
    finally:
        engine.close()
    again = arshif(
        "index", "-q", "--engine", "elasticsearch", "--report-dir", cluster["ARSHIF_INDEX"], str(archive), env=cluster
    )
    assert again.returncode == 0 and f"unchanged {3 * PER_SHARD}" in again.stdout  # hashes kept on the node


def test_web_app_on_elasticsearch(cluster, archive):
    article = first_article(archive)
    word = max(article["title"].split(), key=len)
    with serving(None, env=cluster) as base:
        status, body = get(f"{base}/healthz")
        health = json.loads(body)
        assert status == 200 and health["engine"] == "elasticsearch" and health["docs"] == 3 * PER_SHARD
        assert health["cluster_status"] == "green"
        status, body = get(f"{base}/api/search?q={quote(word)}")
        data = json.loads(body)
        assert status == 200 and data["total"] >= 1 and article["id"] in [h["id"] for h in data["hits"]]
        assert data["facets"]["source"] and data["facets"]["country"]
        status, html = get(f"{base}/search?q={quote(word)}")
        assert status == 200 and "<mark>" in html and quote(article["id"]) in html
        status, html = get(f"{base}/doc/{quote(article['id'])}?q={quote(word)}")
        assert status == 200 and "<mark>" in html
        browse = json.loads(get(f"{base}/api/search")[1])
        assert browse["total"] == 3 * PER_SHARD
        top = max(browse["facets"]["source"], key=lambda v: v["count"])
        status, body = get(f"{base}/api/search?source={quote(top['key'])}")
        assert status == 200 and json.loads(body)["total"] == top["count"] < browse["total"]
        status, body = get(f"{base}/search.csv?q={quote(word)}")
        assert status == 200 and article["id"] in body
        status, body = get(f"{base}/search.atom?q={quote(word)}")
        assert status == 200 and "<feed" in body


def test_iter_all_walks_every_hit_over_a_point_in_time(cluster):
    engine = reader(cluster)
    try:
        request = SearchRequest(sort="newest")
        ids = [hit.id for hit in engine.iter_all(request, page_size=70)]
        assert len(ids) == len(set(ids)) == 3 * PER_SHARD
        first_page = [hit.id for hit in engine.search(SearchRequest(sort="newest", size=70)).hits]
        assert ids[:70] == first_page
    finally:
        engine.close()


def test_reindex_swaps_the_alias_while_searches_run(cluster, archive):
    engine = reader(cluster)
    before = engine.versions()
    request = SearchRequest(query=parse(max(first_article(archive)["title"].split(), key=len)), size=10)
    expected = engine.search(request).total
    totals: list[int] = []
    failures: list[str] = []
    done = threading.Event()

    def search_loop() -> None:
        while not done.is_set():
            try:
                totals.append(engine.search(request).total)
            except EngineError as error:
                failures.append(str(error))
            time.sleep(0.02)

    loop = threading.Thread(target=search_loop)
    loop.start()
    try:
        run = arshif("reindex", "-q", "--report-dir", cluster["ARSHIF_INDEX"], str(archive), env=cluster)
        time.sleep(0.5)  # a few searches on the new version too
    finally:
        done.set()
        loop.join()
    try:
        assert run.returncode == 0, run.stderr
        assert "now points to" in run.stdout and "previous version kept" in run.stdout
        assert failures == []
        assert len(totals) > 20 and set(totals) == {expected}  # never an empty or half-filled index
        after = engine.versions()
        live = [name for name, aliased in after.items() if aliased]
        assert len(after) == 2 and len(live) == 1 and live[0] not in before
        assert engine.count() == 3 * PER_SHARD and engine.health()["index"] == live[0]
    finally:
        engine.close()


def test_drop_old_deletes_only_the_previous_version(cluster):
    engine = reader(cluster)
    try:
        versions = engine.versions()
        live = [name for name, aliased in versions.items() if aliased]
        old = [name for name, aliased in versions.items() if not aliased]
        assert len(live) == 1 and len(old) == 1, "runs after the reindex test"
        dry = arshif("drop-old", "--dry-run", env=cluster)
        assert dry.returncode == 0 and f"live  {live[0]}" in dry.stdout and f"old   {old[0]}" in dry.stdout
        assert engine.versions() == versions
        run = arshif("drop-old", env=cluster)
        assert run.returncode == 0 and run.stdout.strip() == f"dropped: {old[0]}"
        assert engine.versions() == {live[0]: True}
        assert engine.count() == 3 * PER_SHARD
        assert arshif("drop-old", env=cluster).stdout.strip() == "dropped: nothing (no old version)"
    finally:
        engine.close()


def test_healthz_and_pages_when_the_node_stops_under_a_running_app(tmp_path, archive):
    """A node of its own (the shared one must live on): started, filled, served, stopped."""
    es_url()
    node_dir = tmp_path / "node"
    started = subprocess.run(
        [sys.executable, str(ES_NODE), "start", "--dir", str(node_dir)], capture_output=True, text=True, timeout=400
    )
    assert started.returncode == 0, started.stderr
    url = started.stdout.strip()
    env = {
        "ARSHIF_ES_URL": url,
        "ARSHIF_ES_INDEX": "arshif",
        "ARSHIF_ES_REPLICAS": "0",
        "ARSHIF_ENGINE": "elasticsearch",
    }
    try:
        run = arshif("index", "-q", "--no-entities", "--report-dir", str(tmp_path / "reports"), str(archive), env=env)
        assert run.returncode == 0, run.stderr
        word = max(first_article(archive)["title"].split(), key=len)
        with serving(None, env=env) as base:
            assert get(f"{base}/healthz")[0] == 200
            assert get(f"{base}/search?q={quote(word)}")[0] == 200
            stopped = subprocess.run(
                [sys.executable, str(ES_NODE), "stop", "--dir", str(node_dir)],
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert stopped.returncode == 0, stopped.stderr
            status, body = get(f"{base}/healthz")
            health = json.loads(body)
            assert status == 503 and health["ok"] is False and health["engine"] == "elasticsearch"
            assert health["error"] == (
                f"cannot reach Elasticsearch at {url} (connection refused): is it running, and is ARSHIF_ES_URL right?"
            )
            for page in (f"/search?q={quote(word)}", "/", f"/api/search?q={quote(word)}", "/search.csv"):
                status, body = get(base + page)
                assert status == 503, page
                assert "cannot reach Elasticsearch" in body and "Traceback" not in body, page
    finally:
        subprocess.run([sys.executable, str(ES_NODE), "stop", "--dir", str(node_dir)], capture_output=True, timeout=120)


def test_both_engines_give_the_same_answers_on_real_articles(archive, tmp_path, monkeypatch):
    """scripts/parity.py's comparison on this slice: the same totals, facet counts and partial
    matches for all its queries; top-10 lists apart only where ties are broken apart."""
    import parity
    from search.engines.tantivy_engine import TantivyEngine

    monkeypatch.setenv("ARSHIF_ES_REPLICAS", "0")
    settings = Settings(
        engine="elasticsearch", es_url=es_url(), es_index=f"arshif-parity-{uuid.uuid4().hex[:8]}", es_replicas=0
    )
    try:
        parity.index_both(archive, tmp_path / "tantivy", settings, report_dir=tmp_path / "reports")
        es = ElasticsearchEngine.from_settings(settings)
        rows = parity.compare_all(TantivyEngine(tmp_path / "tantivy"), es, archive)
    finally:
        ElasticsearchEngine.from_settings(settings, open_index=False).client.indices.delete(
            index=f"{settings.es_index}-*", ignore_unavailable=True, allow_no_indices=True
        )
    assert len(rows) >= 50
    assert [(r.query, r.filtered, r.totals) for r in rows if not r.totals_equal] == []
    assert [(r.query, r.facet_diffs) for r in rows if not r.facets_equal] == []
    # partial matches are ranked too: at most a tie apart
    assert [(r.query, r.partial) for r in rows if r.partial_overlap < 0.9] == []
    overlap = sum(r.overlap for r in rows) / sum(r.possible for r in rows)
    assert overlap >= 0.95, [(r.query, r.overlap, r.possible) for r in rows if r.overlap < r.possible]
