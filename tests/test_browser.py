"""End-to-end tests in headless Chromium: what a journalist sees and clicks.

Against `arshif serve` (gunicorn) on an index of a slice of ../shared/corpus (see conftest.py), with
the browser and helpers of tests/browser.py. Every test starts from a URL of its own, so any of them
can run alone. Screenshots of the main pages are saved to tests/artifacts/ for a human to look at.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from browser import (
    DESKTOP,
    MISSING,
    PHONE,
    assert_arabic_page,
    assert_page_ok,
    css,
    facet_count,
    facet_values,
    follow,
    hit_dates,
    hit_ids,
    one,
    params,
    screenshot,
    search_path,
    status,
    submit_query,
    total,
)
from search.query.state import SearchState

pytestmark = [pytest.mark.browser, pytest.mark.corpus, pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]

if MISSING is None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

QUERY = "الرياض"  # frequent in the slice (~270 hits in every outlet): paging, facets, marks


# --- the tests --------------------------------------------------------------------------------


def test_type_an_arabic_query(driver, page):
    page.go("/")
    assert_arabic_page(driver)
    browse_total = total(driver)
    submit_query(driver, QUERY)
    assert_page_ok(driver)

    assert params(driver).get("q") == [QUERY]
    assert one(driver, "input#q").get_attribute("value") == QUERY
    summary = one(driver, ".summary .total").text
    assert QUERY in summary
    assert 20 < total(driver) < browse_total

    hits = css(driver, ".hit")
    assert len(hits) == 20, "20 hits per page"
    for hit in hits:
        assert hit.find_element(By.CSS_SELECTOR, "h3 a").text.strip(), "every hit has a visible title"
        assert hit.find_element(By.CSS_SELECTOR, ".meta .source").text.strip()
    marks = css(driver, ".hit .snippet mark")
    assert marks, "snippets highlight the matched words"
    assert any("رياض" in m.text for m in marks)
    assert sum(1 for hit in hits if hit.find_elements(By.CSS_SELECTOR, ".snippet mark, h3 mark")) >= 15
    screenshot(driver, "search")


def test_click_a_facet_value(driver, page):
    page.go(search_path(q=QUERY))
    before = total(driver)
    values = facet_values(driver, "source")
    assert len(values) >= 3, "the outlet facet lists the outlets"
    target = values[1]  # not the biggest: the total must drop
    key, label, count = target.get_attribute("data-key"), target.get_attribute("data-label"), facet_count(target)
    assert 0 < count < before

    follow(driver, target.find_element(By.CSS_SELECTOR, "a.toggle"))

    assert params(driver).get("source") == [key]
    assert params(driver).get("q") == [QUERY]
    chips = css(driver, '.chip[data-facet="source"]:not(.excluded)')
    assert len(chips) == 1 and label in chips[0].text
    assert total(driver) == count, "the total is the count the facet showed before the click"
    selected = css(driver, '.facet[data-facet="source"] li.fv.selected')
    assert [li.get_attribute("data-key") for li in selected] == [key]
    assert facet_count(selected[0]) == count
    assert {s.text for s in css(driver, ".hit .meta .source")} <= {key, label}
    screenshot(driver, "facet-selected")


def test_exclude_a_value(driver, page):
    page.go(search_path(q=QUERY))
    before = total(driver)
    target = facet_values(driver, "source")[0]
    key, label, count = target.get_attribute("data-key"), target.get_attribute("data-label"), facet_count(target)

    follow(driver, target.find_element(By.CSS_SELECTOR, "a.exclude"))

    assert params(driver).get("not_source") == [key]
    assert "source" not in params(driver)
    struck = css(driver, '.chip.excluded[data-facet="source"] s')
    assert len(struck) == 1 and label in struck[0].text, "an excluded value shows as a struck-through chip"
    assert struck[0].value_of_css_property("text-decoration-line") == "line-through"
    assert total(driver) == before - count, "every article has one outlet: the excluded ones are gone"
    shown = [s.text for s in css(driver, ".hit .meta .source")]
    assert shown and key not in shown and label not in shown
    excluded = css(driver, '.facet[data-facet="source"] li.fv.excluded')
    assert [li.get_attribute("data-key") for li in excluded] == [key]
    screenshot(driver, "facet-excluded")


def test_reload_and_bookmark_show_the_same_results(driver, page):
    page.go(search_path(q=QUERY))
    follow(driver, facet_values(driver, "source")[0].find_element(By.CSS_SELECTOR, "a.exclude"))
    follow(driver, max(facet_values(driver, "year"), key=facet_count).find_element(By.CSS_SELECTOR, "a.toggle"))
    follow(driver, one(driver, ".pages a[rel=next]"))
    url, ids, count = driver.current_url, hit_ids(driver), total(driver)
    assert {"q", "not_source", "year", "page"} <= set(params(driver))
    assert ids and count > 20

    driver.refresh()
    assert_page_ok(driver)
    assert (driver.current_url, hit_ids(driver), total(driver)) == (url, ids, count)

    driver.get(url)  # the same URL loaded again
    assert_page_ok(driver)
    assert (hit_ids(driver), total(driver)) == (ids, count)

    bookmark = str(url)  # a copied string, opened after leaving the site and forgetting everything
    driver.get("about:blank")
    driver.delete_all_cookies()
    driver.get(bookmark)
    assert_page_ok(driver)
    assert (hit_ids(driver), total(driver)) == (ids, count)
    assert one(driver, "input#q").get_attribute("value") == QUERY
    assert css(driver, ".chip.excluded s") and css(driver, '.chip[data-facet="year"]')

    # the same search typed with its parameters in another order is the same search
    query = urlsplit(url).query.split("&")
    driver.get(page.base + "/search?" + "&".join(reversed(query)))
    assert_page_ok(driver)
    assert (hit_ids(driver), total(driver)) == (ids, count)


def test_remove_a_chip(driver, page):
    page.go(search_path(q=QUERY))
    start_url, start_ids, start_total = driver.current_url, hit_ids(driver), total(driver)

    follow(driver, facet_values(driver, "source")[1].find_element(By.CSS_SELECTOR, "a.toggle"))
    assert "source" in params(driver)
    middle_url, middle_ids, middle_total = driver.current_url, hit_ids(driver), total(driver)
    follow(driver, facet_values(driver, "year")[0].find_element(By.CSS_SELECTOR, "a.exclude"))
    assert "not_year" in params(driver) and "source" in params(driver)

    follow(driver, one(driver, '.chip.excluded[data-facet="year"]'))  # back to the outlet only
    assert "not_year" not in params(driver)
    assert (driver.current_url, hit_ids(driver), total(driver)) == (middle_url, middle_ids, middle_total)

    follow(driver, one(driver, '.chip[data-facet="source"]'))  # back to the bare query
    assert "source" not in params(driver)
    assert not css(driver, ".chip:not(.clear)")
    assert (driver.current_url, hit_ids(driver), total(driver)) == (start_url, start_ids, start_total)
    assert params(driver) == {"q": [QUERY]}


def test_sort_newest_and_pagination(driver, page):
    page.go(search_path(q=QUERY))
    newest = [a for a in css(driver, ".sort a") if "sort=newest" in a.get_attribute("href")]
    assert len(newest) == 1
    follow(driver, newest[0])
    assert params(driver).get("sort") == ["newest"]
    assert one(driver, ".sort a.current").text.strip() == "الأحدث"
    first_ids, first_dates = hit_ids(driver), hit_dates(driver)
    assert first_dates == sorted(first_dates, reverse=True), "newest first"
    assert one(driver, ".pages .current").text.strip() == "1"

    follow(driver, one(driver, ".pages a[rel=next]"))
    assert params(driver).get("page") == ["2"]
    assert params(driver).get("sort") == ["newest"] and params(driver).get("q") == [QUERY]
    assert one(driver, ".pages .current").text.strip() == "2"
    assert one(driver, "ol.hits").get_attribute("start") == "21"
    second_ids, second_dates = hit_ids(driver), hit_dates(driver)
    assert len(second_ids) == 20 and not set(second_ids) & set(first_ids), "page 2 shows other hits"
    assert second_dates == sorted(second_dates, reverse=True)
    assert second_dates[0] <= first_dates[-1], "page 2 continues where page 1 stopped"

    follow(driver, one(driver, ".pages a[rel=prev]"))
    assert "page" not in params(driver)
    assert hit_ids(driver) == first_ids


def test_open_an_article(driver, page):
    page.go(search_path(q=QUERY))
    hit = css(driver, ".hit")[0]
    link = hit.find_element(By.CSS_SELECTOR, "h3 a")
    title = link.text.strip()
    source = hit.find_element(By.CSS_SELECTOR, ".meta .source").text.strip()
    date = hit.find_element(By.CSS_SELECTOR, ".meta time").get_attribute("datetime")
    snippet = hit.find_element(By.CSS_SELECTOR, ".snippet").text
    doc_id = hit_ids(driver)[0]

    follow(driver, link)
    assert urlsplit(driver.current_url).path == f"/doc/{doc_id}"
    assert_arabic_page(driver)
    assert one(driver, "article.doc h1").text.strip() == title
    meta = one(driver, "dl.docmeta").text
    assert source in meta and date in meta and doc_id in meta
    body = one(driver, "article.doc .body")
    marks = body.find_elements(By.CSS_SELECTOR, "mark")
    assert marks and any("رياض" in m.text for m in marks), "the matched words are highlighted in the text"
    text = " ".join(body.text.split())
    core = " ".join(snippet.replace("…", " ").split())
    assert len(text) > len(core), "the full text, not the snippet"
    assert core in text, "the snippet was cut from this text"
    assert driver.execute_script("return getComputedStyle(arguments[0]).direction", body) == "rtl"
    screenshot(driver, "article")

    follow(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "العودة إلى النتائج"))
    assert params(driver) == {"q": [QUERY]} and hit_ids(driver)[0] == doc_id


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '"',
        "-",
        '"><img src=x onerror=alert(2)>',
        ("الرياض <b>«السعودية»</b> ' \" - OR title: " * 60)[:2000],
    ],
    ids=["script", "quote", "minus", "attribute", "2000-chars"],
)
def test_hostile_queries_render_escaped(driver, page, hostile):
    page.go("/")
    submit_query(driver, hostile, type_it=len(hostile) < 100)
    try:
        alert = driver.switch_to.alert
    except NoAlertPresentException:
        alert = None
    assert alert is None, f"the query ran as script: {alert.text if alert else ''}"
    code = status(driver)
    assert code in (0, 200), f"HTTP {code} for a {len(hostile)}-character query: {driver.title}"
    assert not css(driver, "section.error")
    assert css(driver, ".summary .total"), "the results page renders"
    typed = " ".join(hostile.split())
    expected = SearchState.from_args({"q": [hostile]}).q  # cut to 1,000 characters when longer
    assert one(driver, "input#q").get_attribute("value") == expected, "the query is shown back as kept"
    if expected != typed:
        assert "the query was cut" in one(driver, ".notes").text, "a cut query says so"
    assert not css(driver, "main script, main img"), "no markup from the query reached the page"


def test_phone_width(driver, page):
    driver.set_window_size(*PHONE)
    try:
        for path, name in (
            (search_path(q=QUERY, source="Sabq", not_year="2017"), "phone-search"),
            (None, "phone-article"),
        ):
            if path:
                page.go(path)
            else:
                follow(driver, css(driver, ".hit h3 a")[0])
            width, inner = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
            assert width <= inner + 1, f"{name}: horizontal scroll ({width}px wide in a {inner}px window)"
            box, button = one(driver, "input#q"), one(driver, ".searchbox button")
            assert box.is_displayed() and button.is_displayed()
            for element in (box, button):
                left, right = driver.execute_script(
                    "var r = arguments[0].getBoundingClientRect(); return [r.left, r.right];", element
                )
                assert left >= 0 and right <= inner, f"{name}: the search box is cut off ({left}..{right})"
            assert box.size["width"] >= 150, "the search box is wide enough to type in"
            screenshot(driver, name)
        # the filters are still reachable on a phone, below the results
        page.go(search_path(q=QUERY))
        assert one(driver, '.facet[data-facet="source"]').is_displayed()
    finally:
        driver.set_window_size(*DESKTOP)


def test_facet_more_button_and_filter_box(driver, page):
    page.go("/")
    years = facet_values(driver, "year")
    biggest = max(years, key=facet_count)
    follow(driver, biggest.find_element(By.CSS_SELECTOR, "a.toggle"))  # drill into a year
    follow(driver, facet_values(driver, "month")[0].find_element(By.CSS_SELECTOR, "a.toggle"))
    follow(driver, one(driver, '.chip[data-facet="year"]'))  # keep the month only
    assert "month" in params(driver) and "year" not in params(driver)

    facet = one(driver, '.facet[data-facet="month"]')
    values = facet_values(driver, "month")
    shown = [li for li in values if li.is_displayed()]
    assert len(values) > 24 and len(shown) < len(values), "long facets start collapsed"
    more = facet.find_element(By.CSS_SELECTOR, "button.more")
    more_label = more.text
    more.click()
    assert all(li.is_displayed() for li in values), "“more” shows every value"
    assert more.text == "أقل"
    more.click()
    assert len([li for li in values if li.is_displayed()]) == len(shown) and more.text == more_label

    box = facet.find_element(By.CSS_SELECTOR, "input.facet-filter")
    month = next(li for li in values if re.search("[أإآ]", li.get_attribute("data-label")))
    word = next(w for w in month.get_attribute("data-label").split() if re.search("[أإآ]", w))
    box.send_keys(re.sub("[أإآ]", "ا", word))  # typed without the hamza: matches all the same
    visible = [li for li in values if li.is_displayed()]
    assert month in visible
    assert all(word in li.get_attribute("data-label") for li in visible), "non-matching values are hidden"
    assert len(visible) < len(shown)
    assert not more.is_displayed(), "no “more” while filtering"
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    assert [li for li in values if li.is_displayed()] == shown, "clearing the filter brings the short list back"
    assert more.is_displayed() and more.text == more_label

    year = values[-1].get_attribute("data-key")[:4]
    box.send_keys(year)  # the key and the English label match too
    visible = [li for li in values if li.is_displayed()]
    assert visible and all(li.get_attribute("data-key").startswith(year + "-") for li in visible)
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'}); window.scrollBy(0, -90);", facet)
    screenshot(driver, "facet-filter")


def test_facet_filter_box_finds_values_beyond_the_page(driver, page):
    """A facet holding more values than the page shows asks the server: "Kuwait" finds الكويت."""
    page.go("/")
    facet = one(driver, '.facet[data-facet="country"]')
    if facet.get_attribute("data-complete") != "0":
        pytest.skip("the country facet of this slice fits on the page")
    assert "KW" not in [li.get_attribute("data-key") for li in facet_values(driver, "country")][:10]
    box = facet.find_element(By.CSS_SELECTOR, "input.facet-filter")
    box.send_keys("Kuwait")
    remote = facet.find_element(By.CSS_SELECTOR, "ul.remote")
    WebDriverWait(driver, 10).until(lambda d: remote.is_displayed() and remote.find_elements(By.CSS_SELECTOR, "li.fv"))
    found = remote.find_element(By.CSS_SELECTOR, "li.fv a.toggle")
    assert "الكويت" in found.text and "Kuwait" in found.text
    follow(driver, found)
    assert params(driver).get("country") == ["KW"]
    assert one(driver, ".chip").text.startswith("الكويت")
