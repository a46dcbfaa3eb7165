"""Stories in headless Chromium (fixtures of tests/browser.py): a grouped story expands in
place, and the article page lists who else carried it. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import quote

import pytest

from browser import MISSING, assert_page_ok, css, follow, one, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.corpus, pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]

if MISSING is None:
    from selenium.webdriver.common.by import By


def shared_story(base: str) -> dict:
    """A grouped hit of the live server's index carried by three articles or more, not all on one
    day (so that a first publisher is known)."""
    for page_number in range(1, 30):
        with urllib.request.urlopen(f"{base}/api/search?stories=group&size=100&page={page_number}") as response:
            hits = json.loads(response.read())["hits"]
        for hit in hits:
            dates = {hit["date"]} | {v["date"] for v in hit.get("also", ())}
            if hit["story_size"] >= 3 and len(dates - {None}) > 1:
                return hit
    pytest.fail("the corpus slice has no story carried three times over several days")


def test_a_grouped_story_expands_in_place(driver, page):
    story = shared_story(page.base)
    page.go("/search?q=" + quote(f'title:"{story["title"]}"'))
    hits = css(driver, ".hit")
    assert hits and css(driver, ".summary .total .stories"), "the total says articles and stories"
    hit = next(h for h in hits if h.find_elements(By.CSS_SELECTOR, "details.also"))
    also = hit.find_element(By.CSS_SELECTOR, "details.also")
    summary = also.find_element(By.TAG_NAME, "summary")
    assert "نشرته أيضًا" in summary.text
    versions = also.find_elements(By.CSS_SELECTOR, "ul li")
    assert versions and not any(v.is_displayed() for v in versions), "collapsed at first"
    summary.click()
    assert also.get_attribute("open") is not None
    assert all(v.is_displayed() for v in versions), "expanded in place"
    assert len(versions) >= len(story["also"])
    assert all(v.find_element(By.CSS_SELECTOR, ".source").text.strip() for v in versions)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", also)
    screenshot(driver, "story-expanded")

    follow(driver, versions[0].find_element(By.TAG_NAME, "a"))  # open another outlet's version
    assert driver.current_url.split("?")[0].split("/doc/")[1] != story["id"]
    coverage = one(driver, "section.coverage")
    rows = coverage.find_elements(By.CSS_SELECTOR, "li")
    assert len(rows) == story["story_size"], "every version of the story, this one included"
    assert coverage.find_elements(By.CSS_SELECTOR, "li.self .badge.self")
    dates = sorted(r.find_element(By.TAG_NAME, "time").get_attribute("datetime") for r in rows)
    marked = [r for r in rows if "الأسبق نشرًا" in r.text]
    assert marked, "the first publisher is marked"
    assert all(r.find_element(By.TAG_NAME, "time").get_attribute("datetime") == dates[0] for r in marked)
    links = coverage.find_elements(By.CSS_SELECTOR, "li a")
    assert len(links) == len(rows) - 1 and all(link.get_attribute("href").count("/doc/") for link in links)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", coverage)
    screenshot(driver, "story-coverage")
    assert_page_ok(driver)


def test_the_toggle_shows_every_article(driver, page):
    page.go("/search")
    grouped_hits = len(css(driver, ".hit"))
    follow(driver, one(driver, ".grouping a.show-all"))
    assert "stories=all" in driver.current_url
    assert not css(driver, "details.also") and len(css(driver, ".hit")) == grouped_hits
    follow(driver, one(driver, ".grouping a.group"))
    assert "stories=" not in driver.current_url and css(driver, ".summary .total .stories")
