"""The editors' overrides file: checked with a message naming the line, its last good version kept
while it is broken, read again when it changes, and never a 500 or a traceback (issue 15, item 3)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from search.entities import overrides as module
from search.entities.overrides import OverridesError, load_overrides, overrides_problem, parse_overrides

REPO = Path(__file__).resolve().parents[1]
GOOD = {
    "rename": {"person:جون-كيري": "John Kerry"},
    "merge": {"person:كيري": "person:جون-كيري"},
    "block": ["org:الاتفاق-النووي"],
}
# a comma missing at the end of line 3
BROKEN = '{\n  "rename": {\n    "person:جون-كيري": "Kerry"\n    "person:كيري": "Kerry"\n  }\n}\n'


@pytest.fixture
def overrides_file(tmp_path, monkeypatch):
    path = tmp_path / "entity_overrides.json"
    path.write_text(json.dumps(GOOD, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("ARSHIF_ENTITY_OVERRIDES", str(path))
    return path


def test_a_broken_file_is_refused_by_line_and_its_last_good_version_stays_in_use(overrides_file):
    assert load_overrides().label("person", "جون-كيري", "x") == "John Kerry"
    overrides_file.write_text(BROKEN, encoding="utf-8")
    kept = load_overrides()  # no exception: search stays up
    assert kept.label("person", "جون-كيري", "x") == "John Kerry"
    assert kept.resolve("org", "الاتفاق-النووي") is None
    assert "entity_overrides.json, line 4" in overrides_problem()


def test_an_edit_of_the_file_applies_without_a_restart(overrides_file):
    assert load_overrides().label("person", "جون-كيري", "x") == "John Kerry"
    edited = {**GOOD, "rename": {"person:جون-كيري": "J. Kerry"}}
    overrides_file.write_text(json.dumps(edited, ensure_ascii=False), encoding="utf-8")
    assert load_overrides().label("person", "جون-كيري", "x") == "J. Kerry"
    assert overrides_problem() is None


def test_a_process_that_starts_with_a_broken_file_applies_no_overrides(overrides_file):
    overrides_file.write_text(BROKEN, encoding="utf-8")
    module._loaded.clear()
    assert load_overrides().label("person", "جون-كيري", "جون كيري") == "جون كيري"
    assert "line 4" in overrides_problem()


@pytest.mark.parametrize(
    "text,line,words",
    [
        (BROKEN, 4, "not valid JSON"),
        ('[\n"person:a"\n]', 1, "one JSON object"),
        ('{\n"merge": {},\n"renames": {}\n}', 3, "unknown section «renames»"),
        ('{\n"block": [\n"org:a",\n"people:b"\n]\n}', 4, "«people:b» is not a key"),
        ('{\n"block": [\n"person:two words"\n]\n}', 3, "is not a key"),
        ('{\n"merge": {\n"person:a": "org:a"\n}\n}', 3, "not the same kind"),
        ('{\n"merge": {\n"person:a": "person:b",\n"person:b": "person:a"\n}\n}', 3, "cycle"),
        ('{\n"rename": {\n"person:a": ""\n}\n}', 3, "non-empty string"),
        ('{\n"block": {"org:a": 1}\n}', 2, "must be a JSON list"),
    ],
)
def test_every_problem_is_named_with_its_line(text, line, words):
    with pytest.raises(OverridesError) as error:
        parse_overrides(text)
    assert f"line {line}:" in str(error.value) and words in str(error.value)


def test_the_shipped_file_is_valid():
    parse_overrides((module.DATA / "entity_overrides.json").read_text(encoding="utf-8"))


def _arshif(*args, env=None):
    import os

    return subprocess.run(
        [sys.executable, "-m", "search", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.slow
def test_an_index_run_with_a_broken_file_stops_with_the_line_and_no_traceback(tmp_path):
    broken = tmp_path / "entity_overrides.json"
    broken.write_text(BROKEN, encoding="utf-8")
    archive = tmp_path / "a.jsonl"
    archive.write_text(
        json.dumps({"id": "o1", "title": "خبر", "body": "قال جون كيري إن المحادثات مستمرة."}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    run = _arshif(
        "index", "-q", "--index", str(tmp_path / "index"), str(archive), env={"ARSHIF_ENTITY_OVERRIDES": str(broken)}
    )
    assert run.returncode == 2, run.stderr
    assert "entity_overrides.json, line 4" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "index").exists()  # nothing written


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("overrides")
    archive = folder / "a.jsonl"
    archive.write_text(
        "".join(
            json.dumps(record, ensure_ascii=False) + "\n"
            for record in [
                {
                    "id": f"k{i}",
                    "title": "كيري في الرياض",
                    "body": "التقى وزير الخارجية الأمريكي جون كيري نظيره السعودي في الرياض. وقال كيري إن اللقاء مثمر.",
                }
                for i in range(3)
            ]
        ),
        encoding="utf-8",
    )
    run = _arshif("index", "-q", "--index", str(folder / "index"), str(archive))
    assert run.returncode == 0, run.stderr
    return folder / "index"


def _client(index):
    from search.config import Settings
    from search.web import create_app

    return create_app(Settings(index=str(index))).test_client()


@pytest.mark.slow
def test_search_stays_up_with_a_broken_file(small_index, overrides_file):
    client = _client(small_index)
    overrides_file.write_text(BROKEN, encoding="utf-8")
    page = client.get("/search?q=" + "كيري")
    assert page.status_code == 200
    api = client.get("/api/search?q=" + "كيري")
    assert api.status_code == 200 and api.is_json and api.get_json()["total"] == 3


@pytest.mark.slow
def test_a_renamed_label_shows_at_once_in_a_running_app(small_index, overrides_file):
    client = _client(small_index)
    people = {v["key"]: v for v in client.get("/api/search").get_json()["facets"]["person"]}
    assert people["جون-كيري"]["label"] == "John Kerry"
    overrides_file.write_text(
        json.dumps({"rename": {"person:جون-كيري": "جون فوربس كيري"}}, ensure_ascii=False), encoding="utf-8"
    )
    people = {v["key"]: v for v in client.get("/api/search").get_json()["facets"]["person"]}
    assert people["جون-كيري"]["label"] == "جون فوربس كيري"
    assert people["جون-كيري"]["label_en"] == "John Kerry"  # from the people list


ESSEBSI = [
    "استقبل الرئيس التونسي الباجي قايد السبسي أمس في قصر قرطاج وفدا من رجال الأعمال، وبحث معهم فرص الاستثمار.",
    "قال السبسي في كلمة أمام البرلمان إن تونس ماضية في الإصلاح. وأضاف السبسي أن الحكومة ستعرض خطتها قريبا.",
]


def write_essebsi_archive(path: Path) -> Path:
    path.write_text(
        "".join(
            json.dumps({"id": f"s{i}", "title": "تونس", "body": ESSEBSI[i % 2]}, ensure_ascii=False) + "\n"
            for i in range(4)
        ),
        encoding="utf-8",
    )
    return path


def person_counts(index: Path) -> dict[str, int]:
    from search.engines.tantivy_engine import TantivyEngine
    from search.query.state import SearchState

    result = TantivyEngine(index).search(SearchState().to_request(facets=("person",)))
    return dict(result.facets["person"])


@pytest.mark.slow
def test_a_merge_applies_to_unchanged_articles_at_the_next_index_run(tmp_path):
    overrides, index = tmp_path / "entity_overrides.json", tmp_path / "index"
    overrides.write_text("{}", encoding="utf-8")
    archive = write_essebsi_archive(tmp_path / "a.jsonl")
    env = {"ARSHIF_ENTITY_OVERRIDES": str(overrides)}
    assert _arshif("index", "-q", "--index", str(index), str(archive), env=env).returncode == 0
    assert person_counts(index) == {"الباجي-قايد-السبسي": 2, "السبسي": 2}
    overrides.write_text(
        json.dumps({"merge": {"person:السبسي": "person:الباجي-قايد-السبسي"}}, ensure_ascii=False), encoding="utf-8"
    )
    run = _arshif("index", "-q", "--index", str(index), str(archive), env=env)
    assert "updated 2, unchanged 2" in run.stdout, run.stdout + run.stderr
    assert person_counts(index) == {"الباجي-قايد-السبسي": 4}
