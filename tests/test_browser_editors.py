"""The editors' loop in headless Chromium (issue 20): sign in, merge two people, rename one; the
label changes in search at once, and after the next index run the facet shows one value.

Its own small archive, overrides file and `arshif serve` (gunicorn) with an editor token, so
that the edits touch nothing shared. The browser and helpers are tests/browser.py's.
"""

from __future__ import annotations

import json

import pytest

from browser import MISSING, assert_page_ok, css, facet_count, facet_values, follow, one, screenshot
from conftest import cli_index, serving

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]

if MISSING is None:
    from selenium.webdriver.common.by import By

TOKEN = "editors-test-token"
STORIES = [
    "استقبل الرئيس التونسي الباجي قايد السبسي أمس في قصر قرطاج وفدا من رجال الأعمال، وبحث معهم فرص الاستثمار.",
    "قال السبسي في كلمة أمام البرلمان إن تونس ماضية في الإصلاح. وأضاف السبسي أن الحكومة ستعرض خطتها قريبا.",
    "التقى وزير الخارجية الأمريكي جون كيري نظيره السعودي في الرياض. وقال كيري إن اللقاء مثمر.",
]


@pytest.fixture
def editors_server(tmp_path, monkeypatch):
    overrides = tmp_path / "entity_overrides.json"
    overrides.write_text("{}\n", encoding="utf-8")
    monkeypatch.setenv("ARSHIF_ENTITY_OVERRIDES", str(overrides))  # the server and the index runs
    monkeypatch.setenv("ARSHIF_EDITOR_TOKEN", TOKEN)
    archive = tmp_path / "stories.jsonl"
    archive.write_text(
        "".join(
            json.dumps(
                {
                    "id": f"t{i}",
                    "title": "خبر",
                    "body": STORIES[i % 3],
                    "source": "صحيفة",
                    "date": "2015-07-0" + str(i + 1),
                },
                ensure_ascii=False,
            )
            + "\n"
            for i in range(6)
        ),
        encoding="utf-8",
    )
    cli_index(archive, tmp_path / "index")
    with serving(tmp_path / "index") as base:
        yield base, archive, tmp_path / "index", overrides


def people(driver) -> dict[str, int]:
    """The person facet as the page shows it: Arabic label -> count."""
    return {li.get_attribute("data-label"): facet_count(li) for li in facet_values(driver, "person")}


def row(driver, key: str):
    return one(driver, f'tr.ed-row[data-key="{key}"]')


def test_an_editor_merges_two_people_and_the_next_index_run_shows_one(driver, editors_server):
    base, archive, index_dir, overrides = editors_server
    driver.get(base + "/search")
    assert people(driver) == {"الباجي قايد السبسي": 2, "السبسي": 2, "جون كيري": 2}

    driver.get(base + "/editors/")  # → the sign-in form
    one(driver, 'input[name="name"]').send_keys("هدى")
    one(driver, 'input[name="token"]').send_keys(TOKEN)
    follow(driver, one(driver, ".ed-login button"))
    filter_box = one(driver, '.ed-filter input[name="q"]')
    filter_box.send_keys("السبسي")
    follow(driver, one(driver, ".ed-filter button"))
    assert [r.get_attribute("data-key") for r in css(driver, "tr.ed-row")] == ["الباجي-قايد-السبسي", "السبسي"]

    row(driver, "السبسي").find_element(By.CSS_SELECTOR, '.ed-merge input[name="value"]').send_keys("الباجي-قايد-السبسي")
    follow(driver, row(driver, "السبسي").find_element(By.CSS_SELECTOR, ".ed-merge button"))
    assert "مدموجة في «الباجي قايد السبسي»" in row(driver, "السبسي").text
    assert "دُمجت «السبسي»" in one(driver, ".ed-flash.done").text

    one(driver, '.ed-filter input[name="q"]').clear()
    follow(driver, one(driver, ".ed-filter button"))
    kerry = row(driver, "جون-كيري").find_element(By.CSS_SELECTOR, '.ed-label input[name="value"]')
    kerry.send_keys("جون فوربس كيري")
    follow(driver, row(driver, "جون-كيري").find_element(By.CSS_SELECTOR, ".ed-label button"))
    assert "هدى" in one(driver, ".ed-history").text
    screenshot(driver, "editors")

    data = json.loads(overrides.read_text(encoding="utf-8"))
    assert data["merge"] == {"person:السبسي": "person:الباجي-قايد-السبسي"}
    history = overrides.with_name("entity_overrides.history.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["who"] for line in history] == ["هدى", "هدى"]

    driver.get(base + "/search")  # the label at once,
    assert people(driver) == {"الباجي قايد السبسي": 2, "السبسي": 2, "جون فوربس كيري": 2}
    assert "updated 2, unchanged 4" in cli_index(archive, index_dir)  # the merge at the next run
    driver.get(base + "/search")
    assert_page_ok(driver)
    assert people(driver) == {"الباجي قايد السبسي": 4, "جون فوربس كيري": 2}
    screenshot(driver, "editors-merged-facet")


def test_the_editors_page_is_off_without_a_token(driver, editors_server, monkeypatch):
    base = editors_server[0]
    driver.get(base + "/editors/login")
    assert css(driver, ".ed-login form")  # on with the token
    monkeypatch.delenv("ARSHIF_EDITOR_TOKEN")
    with serving(editors_server[2]) as other:
        driver.get(other + "/editors/login")
        assert one(driver, "section.error h1").text == "404"
