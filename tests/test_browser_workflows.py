"""The journalist workflows in headless Chromium: the timeline narrows the search, a pasted list
comes back as a table, a name typed in English offers its entity. Fixtures and helpers are those
of tests/browser.py (one browser per module, `arshif serve` on a corpus slice)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from browser import MISSING, assert_page_ok, css, follow, one, params, screenshot, total, wait_for_new_page

pytestmark = [pytest.mark.browser, pytest.mark.corpus, pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]

if MISSING is None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

QUERY = "الرياض"


def test_a_timeline_bar_narrows_the_search_to_its_period(driver, page):
    page.go("/search?q=" + quote(QUERY))
    bars = css(driver, "figure.timeline svg a")
    assert len(bars) >= 2
    screenshot(driver, "timeline")
    tallest = max(bars, key=lambda a: float(a.find_element(By.CSS_SELECTOR, "rect.tl-bar").get_attribute("height")))
    words = tallest.get_attribute("aria-label")  # «يوليو 2015: 1,234 مقالة» for screen readers
    count = int(re.sub(r"[^\d]", "", words.split(":")[1]))
    follow(driver, tallest)
    period = params(driver).get("month") or params(driver).get("year")
    assert period and params(driver)["q"] == [QUERY] and total(driver) == count
    assert one(driver, "figure.timeline g.current")  # the chosen period is marked


def test_a_pasted_list_comes_back_as_a_table(driver, page):
    page.go("/search?q=" + quote(QUERY) + "&country=SA")
    follow(driver, one(driver, "nav.workflows a[href^='/batch']"))
    lines = ["داعش", "John Kerry", "", '"ولي العهد', "!!!"]
    one(driver, "#batch-lines").send_keys("\n".join(lines))
    wait_for_new_page(driver, one(driver, ".batch-form button[type=submit]").click)
    assert_page_ok(driver)
    rows = css(driver, ".batch-table tbody tr")
    assert [r.find_elements(By.TAG_NAME, "td")[1].text for r in rows] == lines
    isis = rows[0].find_elements(By.TAG_NAME, "td")
    assert int(isis[2].text.replace(",", "")) > 0 and "داعش" in isis[7].text
    assert "empty line" in rows[2].text and "nothing to search" in rows[4].text
    one(driver, ".batch-table").location_once_scrolled_into_view  # noqa: B018 - reading it scrolls the table into view
    screenshot(driver, "batch")
    found = int(isis[2].text.replace(",", ""))
    follow(driver, isis[2].find_element(By.TAG_NAME, "a"))  # the row's link is the same search
    assert params(driver) == {"q": ["داعش"], "country": ["SA"]} and total(driver) == found


def test_typing_kuwait_offers_the_country_and_a_click_filters(driver, page):
    page.go("/")
    box = one(driver, "input#q")
    box.send_keys("Kuwait")
    offers = WebDriverWait(driver, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".suggest-list a[data-key='KW']")
    )
    offer = offers[0]
    assert "الكويت" in offer.text and "دولة" in offer.text
    screenshot(driver, "suggest-kuwait")
    follow(driver, offer)
    assert params(driver) == {"country": ["KW"]} and total(driver) > 0
    assert "الكويت" in one(driver, ".chips").text
