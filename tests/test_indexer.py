"""The index job end to end through the real CLI: idempotency, updates, rejects, exit codes."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from search.engines.tantivy_engine import TantivyEngine
from search.query.state import SearchState

REPO = Path(__file__).resolve().parents[1]


def arshif(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "search", *args], cwd=REPO, capture_output=True, text=True, timeout=300
    )


def write_jsonl(path: Path, records) -> None:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records) + "\n",
        encoding="utf-8",
    )


ARTICLES = [
    {
        "id": "a1",
        "title": "وزير الخارجية يزور القاهرة",
        "body": "زار وزير الخارجية القاهرة اليوم لبحث العلاقات.",
        "date": "2015-07-01",
        "source": "صحيفة أ",
    },
    {
        "id": "a2",
        "title": "ارتفاع أسعار النفط",
        "body": "ارتفعت أسعار النفط في الأسواق العالمية.",
        "date": "01/08/2015",
        "source": "صحيفة ب",
    },
    {"title": "مقال بلا معرّف", "body": "نص مقال لا يحمل معرّفًا في الأرشيف.", "source": "صحيفة أ"},
]


def search_ids(index: Path, q: str = "") -> list[str]:
    engine = TantivyEngine(index)
    return [h.id for h in engine.search(SearchState(q=q, size=100).to_request(facets=())).hits]


@pytest.mark.slow
def test_reindexing_is_idempotent_and_updates_changed_documents(tmp_path):
    archive, index = tmp_path / "a.jsonl", tmp_path / "index"
    write_jsonl(archive, ARTICLES)
    first = arshif("index", "-q", "--index", str(index), str(archive))
    assert first.returncode == 0, first.stderr
    assert "indexed 3, updated 0, unchanged 0, rejected 0" in first.stdout
    again = arshif("index", "-q", "--index", str(index), str(archive))
    assert "indexed 0, updated 0, unchanged 3, rejected 0" in again.stdout
    assert len(search_ids(index)) == 3

    changed = [dict(ARTICLES[0], body="زار وزير الخارجية الرياض اليوم."), *ARTICLES[1:]]
    write_jsonl(archive, changed)
    third = arshif("index", "-q", "--index", str(index), str(archive))
    assert "indexed 0, updated 1, unchanged 2" in third.stdout
    assert search_ids(index) and len(search_ids(index)) == 3
    assert search_ids(index, "الرياض") == ["a1"] and search_ids(index, "العلاقات") == []
    assert TantivyEngine(index).get("a2")["date"] == "2015-08-01"  # dd/mm/yyyy became ISO


@pytest.mark.slow
def test_editors_list_the_most_frequent_entities_of_an_index(tmp_path):
    archive, index = tmp_path / "a.jsonl", tmp_path / "index"
    write_jsonl(
        archive,
        [
            {
                "id": f"e{i}",
                "title": "الأمم المتحدة تدعو إلى التهدئة في اليمن",
                "body": "قالت وزارة الخارجية السعودية إن الرئيس عبدربه منصور هادي التقى الأمين العام للأمم المتحدة.",
            }
            for i in range(3)
        ],
    )
    assert arshif("index", "-q", "--index", str(index), str(archive)).returncode == 0
    top = arshif("entities", "--top", "5", "--index", str(index))
    assert top.returncode == 0, top.stderr
    assert "3\tcountry:YE\tاليمن" in top.stdout
    assert "3\torg:الامم-المتحده\tالأمم المتحدة" in top.stdout
    assert "3\torg:وزاره-الخارجيه-السعوديه\tوزارة الخارجية السعودية" in top.stdout


@pytest.mark.slow
def test_bad_input_is_reported_with_file_and_line_and_nothing_is_lost(tmp_path):
    archive, index, reports = tmp_path / "in", tmp_path / "index", tmp_path / "reports"
    archive.mkdir()
    write_jsonl(archive / "good.jsonl", ARTICLES[:2])
    assert arshif("index", "-q", "--index", str(index), str(archive)).returncode == 0
    write_jsonl(
        archive / "bad.jsonl",
        [
            {"id": "b1", "title": "سليم", "body": "مقال سليم بين سطور معطوبة."},
            "{not json",
            {"id": "b2", "title": "بلا نص"},
            '["a", "list"]',
        ],
    )
    (archive / "cp1256.txt").write_bytes("عنوان المقال\n\nنص عربي مكتوب بترميز ويندوز العربي.".encode("cp1256"))
    (archive / "empty.txt").write_bytes(b"")
    (archive / "blob.txt").write_bytes(b"\x00\x01\x02binary" * 100)
    run = arshif("index", "--index", str(index), "--report-dir", str(reports), str(archive))
    assert run.returncode == 3, run.stdout + run.stderr  # something was rejected
    assert "indexed 2, updated 0, unchanged 2, rejected 5" in run.stdout
    done, total = re.findall(r"(\d+)/(\d+) \[", run.stderr)[-1]  # the progress bar ends full,
    assert done == total == "9", run.stderr  # refused records included
    report = next(reports.glob("rejects-*.tsv")).read_text(encoding="utf-8")
    assert f"{archive / 'bad.jsonl'}:2" in report and f"{archive / 'bad.jsonl'}:3" in report
    assert "empty.txt" in report and "blob.txt" in report and "cp1256" in report
    ids = search_ids(index)
    assert {"a1", "a2", "b1"} <= set(ids) and len(ids) == 4
    assert search_ids(index, "ويندوز")  # the CP1256 file was decoded and is searchable


def test_a_repeated_id_is_written_once_and_a_rerun_finds_it_unchanged(tmp_path):
    """The same id twice in one file used to report "updated 2" on every run of the same input,
    the article flipping between its two versions."""
    archive, index, reports = tmp_path / "a.jsonl", tmp_path / "index", tmp_path / "reports"
    write_jsonl(archive, [dict(ARTICLES[0]), ARTICLES[1], dict(ARTICLES[0], body="زار وزير الخارجية الرياض.")])
    runs = [
        arshif("index", "-q", "--no-entities", "--index", str(index), "--report-dir", str(reports), str(archive))
        for _ in range(2)
    ]
    assert "indexed 2, updated 0, unchanged 0, rejected 1" in runs[0].stdout
    assert "indexed 0, updated 0, unchanged 2, rejected 1" in runs[1].stdout
    assert search_ids(index, "الرياض") == ["a1"] and search_ids(index, "العلاقات") == []  # the last one
    report = sorted(reports.glob("rejects-*.tsv"))[-1].read_text(encoding="utf-8")
    assert f"rejected\t{archive}:1\tid 'a1' is used again on line 3: the later record is kept" in report


def test_an_over_long_id_is_not_duplicated_by_a_rerun(tmp_path):
    archive, index, reports = tmp_path / "a.jsonl", tmp_path / "index", tmp_path / "reports"
    write_jsonl(archive, [dict(ARTICLES[0], id="x" * 70_000), dict(ARTICLES[1], id="a\nb")])
    for expected in ("indexed 2, updated 0, unchanged 0", "indexed 0, updated 0, unchanged 2"):
        run = arshif("index", "-q", "--no-entities", "--index", str(index), "--report-dir", str(reports), str(archive))
        assert run.returncode == 0 and expected in run.stdout, run.stdout + run.stderr
    ids = search_ids(index)
    assert len(ids) == 2 and all(re.fullmatch(r"id-[0-9a-f]{24}", i) for i in ids)
    report = sorted(reports.glob("rejects-*.tsv"))[-1].read_text(encoding="utf-8")
    assert "has 70,000 characters (at most 256): indexed as id-" in report and "has control characters" in report


def test_bad_numbers_of_the_index_command_are_usage_errors(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", ARTICLES)
    for option in ("--max-body-chars=0", "--max-body-chars=-5", "--workers=0", "--max-body-chars=lots"):
        run = arshif("index", "-q", option, "--index", str(tmp_path / "i"), str(tmp_path / "a.jsonl"))
        assert run.returncode == 2 and "Traceback" not in run.stderr, (option, run.stderr)
        assert f"argument {option.split('=')[0]}: must be" in run.stderr


def test_missing_path_is_a_usage_error(tmp_path):
    run = arshif("index", "--index", str(tmp_path / "i"), str(tmp_path / "nope"))
    assert run.returncode == 2 and "no such file" in run.stderr


def test_serve_refuses_a_missing_index_clearly(tmp_path):
    run = arshif("serve", "--index", str(tmp_path / "missing"))
    assert run.returncode == 1 and "No index at" in run.stderr and "Traceback" not in run.stderr


def test_serve_refuses_a_public_url_that_is_not_a_web_address(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "search", "serve", "--index", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "ARSHIF_PUBLIC_URL": "javascript:alert(1)//"},
    )
    assert run.returncode == 2 and "ARSHIF_PUBLIC_URL must look like https://host" in run.stderr


@pytest.mark.slow
def test_web_app_keeps_serving_while_an_index_job_writes(tmp_path):
    import threading
    import urllib.request

    from conftest import serving

    archive, index = tmp_path / "a.jsonl", tmp_path / "index"
    write_jsonl(archive, ARTICLES)
    assert arshif("index", "-q", "--no-entities", "--index", str(index), str(archive)).returncode == 0
    big = tmp_path / "big.jsonl"
    write_jsonl(
        big,
        [
            {"id": f"n{i}", "title": f"خبر رقم {i}", "body": f"نص الخبر الجديد رقم {i} عن الاقتصاد."}
            for i in range(12_000)
        ],
    )
    with serving(index) as base:
        job = threading.Thread(target=arshif, args=("index", "-q", "--no-entities", "--index", str(index), str(big)))
        job.start()
        statuses, totals = [], []
        while job.is_alive():
            with urllib.request.urlopen(
                base + "/api/search?q=" + "%D8%A7%D9%84%D8%A7%D9%82%D8%AA%D8%B5%D8%A7%D8%AF", timeout=10
            ) as response:
                statuses.append(response.status)
                totals.append(json.loads(response.read())["total"])
        job.join()
        import time

        time.sleep(0.5)
        with urllib.request.urlopen(base + "/healthz", timeout=10) as response:
            docs = json.loads(response.read())["docs"]
    assert statuses and set(statuses) == {200}
    assert docs == 12_003
    assert totals == sorted(totals)  # results only grow as commits land, never vanish


def test_each_indexing_worker_runs_one_blas_thread():
    """Two workers on two cores, each with its own BLAS threads, made indexing 2.5x slower. The
    limit must be set after the worker loads the tagger: in a fresh `arshif index` process that
    is what loads numpy's BLAS, and a limit set earlier does not reach it."""
    code = (
        "import os; from search.indexer import _init_worker; _init_worker(True); "
        "from threadpoolctl import threadpool_info; "
        "print(max([i['num_threads'] for i in threadpool_info()] or [1]), len(threadpool_info()))"
    )
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[1],
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    threads, libraries = map(int, out.stdout.split())
    assert libraries >= 1  # the tagger's numpy BLAS is loaded and seen
    assert threads == 1


def test_a_run_without_entities_keeps_the_facets_of_unchanged_articles(tmp_path):
    """`--no-entities` (a quick re-run after fixing one file) must not strip the countries and
    names an earlier run found in every article it did not change; a changed text is rewritten."""
    archive, index = tmp_path / "a.jsonl", tmp_path / "index"
    write_jsonl(archive, ARTICLES[:2])
    assert arshif("index", "-q", "--index", str(index), str(archive)).returncode == 0

    def countries() -> dict[str, int]:
        engine = TantivyEngine(index)
        facets = engine.search(SearchState(size=0).to_request(facets=("country",))).facets["country"]
        return dict(facets)

    found = countries()
    assert found.get("EG") == 1  # «القاهرة»
    rerun = arshif("index", "-q", "--no-entities", "--index", str(index), str(archive))
    assert "unchanged 2" in rerun.stdout, rerun.stdout
    assert countries() == found
    edited = [dict(ARTICLES[0], body=ARTICLES[0]["body"] + " وعاد مساء."), ARTICLES[1]]
    write_jsonl(archive, edited)
    rerun = arshif("index", "-q", "--no-entities", "--index", str(index), str(archive))
    assert "updated 1" in rerun.stdout and "unchanged 1" in rerun.stdout, rerun.stdout
    with_entities = arshif("index", "-q", "--index", str(index), str(archive))
    assert "updated 1" in with_entities.stdout, with_entities.stdout  # the entities come back
    assert countries() == found


def test_a_run_without_entities_keeps_the_facets_an_older_version_indexed(tmp_path):
    """An index built before the hash had an entity part: a `--no-entities` run cannot tell whether
    its texts changed, and must not strip their facets; it says how to update them."""
    from search.document import build_document, document_id
    from search.entities import make_extractor
    from search.model import Article

    index = tmp_path / "index"
    engine = TantivyEngine(index, writable=True)
    article = Article(**ARTICLES[0])
    article.id = document_id(article)
    doc = build_document(article, make_extractor())
    doc.pop("_labels", None)
    doc["hash"] = "0" * 40  # the one-part hash of an older version
    engine.upsert([doc])
    engine.commit()
    engine.close()
    archive = tmp_path / "a.jsonl"
    write_jsonl(archive, ARTICLES[:1])
    reports = tmp_path / "reports"
    rerun = arshif("index", "-q", "--no-entities", "--index", str(index), "--report-dir", str(reports), str(archive))
    assert "unchanged 1" in rerun.stdout, rerun.stdout
    assert TantivyEngine(index).get(article.id)["country"] == ["EG"]
    report = next(reports.glob("rejects-*.tsv")).read_text(encoding="utf-8")
    assert "run `arshif index` once with entities" in report
