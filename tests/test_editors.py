"""The editors' page through the Flask test client: off without a token, signed in, CSRF-checked,
every change written to the overrides file with its history, suggested merges accepted or
refused one by one, and no 500 for anything a browser can send (issue 20)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from search.config import Settings
from search.web import create_app

pytestmark = pytest.mark.slow  # an index built with the real CLI for the module

REPO = Path(__file__).resolve().parents[1]
TOKEN = "a-long-editor-token"
STORIES = [
    "استقبل الرئيس التونسي الباجي قايد السبسي أمس في قصر قرطاج وفدا من رجال الأعمال.",
    "قال السبسي في كلمة أمام البرلمان إن تونس ماضية في الإصلاح. وأضاف السبسي أن الحكومة ستعرض خطتها.",
    "التقى الرئيس الفرنسي السابق نيكولا ساركوزي أنصاره في باريس لبحث الانتخابات.",
    "وقال ساركوزي في مؤتمر صحفي إن الحزب مستعد. وأضاف ساركوزي أن الفوز قريب.",
]


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("editors")
    archive = folder / "a.jsonl"
    archive.write_text(
        "".join(
            json.dumps({"id": f"e{i}", "title": "خبر", "body": STORIES[i % 4]}, ensure_ascii=False) + "\n"
            for i in range(16)
        ),
        encoding="utf-8",
    )
    (folder / "none.json").write_text("{}", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "search", "index", "-q", "--index", str(folder / "index"), str(archive)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, "ARSHIF_ENTITY_OVERRIDES": str(folder / "none.json")},
    )
    assert run.returncode == 0, run.stderr
    return folder / "index"


@pytest.fixture
def overrides(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "entity_overrides.json"
    path.write_text("{}\n", encoding="utf-8")
    monkeypatch.setenv("ARSHIF_ENTITY_OVERRIDES", str(path))
    return path


def client_for(index: Path, token: str | None = TOKEN):
    app = create_app(Settings(index=str(index), editor_token=token))
    return app.test_client()


def csrf(page) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.get_data(as_text=True))
    assert found, "no csrf field on the page"
    return found.group(1)


@pytest.fixture
def editor(index, overrides):
    client = client_for(index)
    token = csrf(client.get("/editors/login"))
    answer = client.post("/editors/login", data={"csrf": token, "name": "سارة", "token": TOKEN})
    assert answer.status_code == 302
    client.csrf = csrf(client.get("/editors/"))
    return client


def change(client, **form):
    return client.post("/editors/change", data={"csrf": client.csrf, "facet": "person", **form})


def test_the_page_is_off_without_a_token(index, overrides):
    client = client_for(index, token=None)
    assert client.get("/editors/").status_code == 404
    assert client.post("/editors/change", data={"action": "block", "key": "x"}).status_code == 404


def test_signing_in_needs_the_token_and_a_name(index, overrides):
    client = client_for(index)
    assert client.get("/editors/").headers["Location"].endswith("/editors/login")
    token = csrf(client.get("/editors/login"))
    assert client.post("/editors/login", data={"csrf": token, "name": "سارة", "token": "wrong"}).status_code == 403
    assert client.post("/editors/login", data={"csrf": token, "name": "", "token": TOKEN}).status_code == 403
    assert client.post("/editors/login", data={"name": "سارة", "token": TOKEN}).status_code == 400  # no CSRF
    assert client.get("/editors/").status_code == 302


def test_the_most_frequent_values_with_counts_and_english_labels(editor):
    page = editor.get("/editors/").get_data(as_text=True)
    keys = re.findall(r'data-key="([^"]+)"', page)
    assert sorted(keys) == sorted(["الباجي-قايد-السبسي", "السبسي", "نيكولا-ساركوزي", "ساركوزي"])
    assert page.count('class="ed-count">4<') == 4
    assert "Nicolas Sarkozy" in page
    found = editor.get("/editors/?facet=person&q=Sarkozy").get_data(as_text=True)
    assert re.findall(r'data-key="([^"]+)"', found) == ["نيكولا-ساركوزي"]


def test_every_change_is_written_with_who_made_it(editor, overrides):
    assert change(editor, action="merge", key="ساركوزي", value="نيكولا-ساركوزي").status_code == 302
    assert change(editor, action="rename", key="نيكولا-ساركوزي", value="نيكولا بول ساركوزي").status_code == 302
    assert change(editor, action="label_en", key="السبسي", value="Essebsi").status_code == 302
    assert change(editor, action="block", key="السبسي").status_code == 302
    data = json.loads(overrides.read_text(encoding="utf-8"))
    assert data == {
        "merge": {"person:ساركوزي": "person:نيكولا-ساركوزي"},
        "rename": {"person:نيكولا-ساركوزي": "نيكولا بول ساركوزي"},
        "label_en": {"person:السبسي": "Essebsi"},
        "block": ["person:السبسي"],
    }
    history = [
        json.loads(line)
        for line in overrides.with_name("entity_overrides.history.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [(h["who"], h["action"], h["ref"]) for h in history] == [
        ("سارة", "merge", "person:ساركوزي"),
        ("سارة", "rename", "person:نيكولا-ساركوزي"),
        ("سارة", "label_en", "person:السبسي"),
        ("سارة", "block", "person:السبسي"),
    ]
    assert change(editor, action="unblock", key="السبسي").status_code == 302
    assert change(editor, action="unmerge", key="ساركوزي").status_code == 302
    data = json.loads(overrides.read_text(encoding="utf-8"))
    assert data["block"] == [] and data["merge"] == {}
    # the label applies at once, in the search facets
    people = {v["key"]: v for v in editor.get("/api/search").get_json()["facets"]["person"]}
    assert people["نيكولا-ساركوزي"]["label"] == "نيكولا بول ساركوزي" and people["السبسي"]["label_en"] == "Essebsi"


def test_a_form_without_its_csrf_token_changes_nothing(editor, overrides):
    answer = editor.post("/editors/change", data={"action": "block", "key": "السبسي", "facet": "person"})
    assert answer.status_code == 400
    answer = editor.post("/editors/change", data={"csrf": "forged", "action": "block", "key": "السبسي"})
    assert answer.status_code == 400
    assert json.loads(overrides.read_text(encoding="utf-8")) == {}


def test_suggested_merges_are_accepted_or_refused_one_by_one(editor, overrides):
    page = editor.get("/editors/suggestions").get_data(as_text=True)
    assert re.findall(r'data-key="([^"]+)"', page) == ["السبسي", "ساركوزي"]
    accept = {"back": "suggestions", "key": "السبسي", "value": "person:الباجي-قايد-السبسي", "action": "merge"}
    assert change(editor, **accept).headers["Location"].endswith("/editors/suggestions")
    reject = {"back": "suggestions", "key": "ساركوزي", "value": "person:نيكولا-ساركوزي", "action": "reject"}
    assert change(editor, **reject).status_code == 302
    data = json.loads(overrides.read_text(encoding="utf-8"))
    assert data["merge"] == {"person:السبسي": "person:الباجي-قايد-السبسي"}
    assert data["rejected"] == [["person:ساركوزي", "person:نيكولا-ساركوزي"]]
    page = editor.get("/editors/suggestions").get_data(as_text=True)
    assert re.findall(r'data-key="([^"]+)"', page) == []  # both decided, neither offered again


@pytest.mark.parametrize(
    "form",
    [
        {"action": "merge", "key": "السبسي", "value": ""},  # into nothing
        {"action": "merge", "key": "السبسي", "value": "السبسي"},  # into itself
        {"action": "merge", "key": "السبسي", "value": "org:الامم-المتحده"},  # another kind
        {"action": "block", "key": "two words"},
        {"action": "rename", "key": "نيكولا-ساركوزي", "value": "ك" * 300},
        {"action": "drop_table", "key": "x"},
        {"action": "block", "key": ""},
        {"action": "block", "key": "x\u0000y"},
        {"action": "block", "key": "<script>alert(1)</script>", "facet": "evil"},
    ],
)
def test_bad_changes_get_a_message_never_a_500(editor, overrides, form):
    answer = change(editor, **form)
    assert answer.status_code == 302
    page = editor.get(answer.headers["Location"]).get_data(as_text=True)
    assert answer.status_code < 500 and "<script>alert" not in page
    if form["action"] != "block" or " " in form["key"] or not form["key"]:
        assert "ed-flash error" in page
        assert json.loads(overrides.read_text(encoding="utf-8")) == {}


def test_a_broken_file_is_shown_and_not_overwritten(editor, overrides):
    broken = '{\n  "merge": {\n    "person:a": "person:b"\n    "person:c": "person:d"\n}}'  # no comma on line 3
    overrides.write_text(broken, encoding="utf-8")
    page = editor.get("/editors/")
    assert page.status_code == 200 and "entity_overrides.json, line 4" in page.get_data(as_text=True)
    answer = change(editor, action="block", key="السبسي")
    shown = editor.get(answer.headers["Location"]).get_data(as_text=True)
    assert 'ملف التصحيحات معطوب، أصلحه أولًا: <span dir="ltr">entity_overrides.json, line 4' in shown
    assert '"person:c": "person:d"' in overrides.read_text(encoding="utf-8")  # left as it was
