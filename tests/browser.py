"""Headless Chromium for the browser tests: the `driver` and `page` fixtures (conftest.py registers
this module as a plugin, so every test module gets them without importing them) and the helpers the
browser test modules share.

One real browser (Debian chromium + chromedriver, driven by selenium) per test module. Screenshots
are saved to tests/artifacts/ (gitignored) for a human to look at. `MISSING` says why the browser
tests must skip here (no browser, no selenium, no ../shared/corpus), or is None.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from conftest import CORPUS, corpus_files

CHROMIUM = os.environ.get("ARSHIF_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("ARSHIF_CHROMEDRIVER", "/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def _missing() -> str | None:
    for name, path in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER)):
        if not (shutil.which(path) or shutil.which(name)):
            return f"needs {name} (apt-get install chromium chromium-driver); not found at {path}"
    if importlib.util.find_spec("selenium") is None:
        return "needs selenium (pip install -e '.[test]')"
    if not corpus_files():
        return f"needs ../shared/corpus (looked in {CORPUS})"
    return None


MISSING = _missing()

if MISSING is None:
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

DESKTOP = (1280, 900)
PHONE = (390, 844)


# --- fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which(CHROMIUM) or shutil.which("chromium")
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--disable-dev-shm-usage",
        "--lang=ar",
    ):
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_argument("--window-size={},{}".format(*DESKTOP))
    service = Service(shutil.which(CHROMEDRIVER) or shutil.which("chromedriver"))
    browser = webdriver.Chrome(service=service, options=options)
    try:
        browser.set_window_size(*DESKTOP)
        browser.set_page_load_timeout(30)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        yield browser
    finally:
        browser.quit()


@pytest.fixture
def page(driver, live_server):
    """The browser at desktop size, with a `go(path)` helper bound to the live server."""
    driver.set_window_size(*DESKTOP)

    class Page:
        base = live_server

        @staticmethod
        def go(path: str) -> None:
            driver.get(live_server + path)
            assert_page_ok(driver)

    return Page


def search_path(**params) -> str:
    pairs = [(k, v) for k, vs in params.items() for v in (vs if isinstance(vs, list) else [vs])]
    return "/search?" + urlencode(pairs)


def css(driver, selector: str):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def one(driver, selector: str):
    return driver.find_element(By.CSS_SELECTOR, selector)


def status(driver) -> int:
    """HTTP status of the page now shown (Navigation Timing; 0 if the browser does not say)."""
    return driver.execute_script(
        "var n = performance.getEntriesByType('navigation')[0]; return n ? (n.responseStatus || 0) : 0;"
    )


def assert_page_ok(driver) -> None:
    code = status(driver)
    assert code in (0, 200), f"HTTP {code} for {driver.current_url}: {driver.title}"
    assert not css(driver, "section.error"), f"error page for {driver.current_url}: {driver.title}"


def wait_for_new_page(driver, act) -> None:
    """Run `act` (a click, Enter) and wait until another page has loaded. The old page is marked
    with a window property, which only a navigation clears; while the browser navigates, any
    WebDriver error (Chromium may report "Node ... does not belong to the document" instead of a
    stale element) just means "not yet"."""
    driver.execute_script("window.__arshifOldPage = true;")
    act()
    WebDriverWait(driver, 15, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script("return !window.__arshifOldPage && document.readyState === 'complete';")
    )


def follow(driver, element) -> None:
    """Click a link (or press Enter in a form) and wait for the new page to load."""
    wait_for_new_page(driver, element.click)
    assert_page_ok(driver)


def submit_query(driver, text: str, *, type_it: bool = True) -> None:
    box = one(driver, "input#q")
    box.clear()
    if type_it:
        box.send_keys(text)
    else:  # very long input: set it at once instead of 2,000 key events
        driver.execute_script("arguments[0].value = arguments[1];", box, text)
    wait_for_new_page(driver, lambda: box.send_keys(Keys.ENTER))


def params(driver) -> dict[str, list[str]]:
    return parse_qs(urlsplit(driver.current_url).query)


def total(driver) -> int:
    return int(re.sub(r"[^\d]", "", one(driver, ".summary .total strong").text))


def hit_ids(driver) -> list[str]:
    ids = []
    for link in css(driver, ".hit h3 a"):
        path = urlsplit(link.get_attribute("href")).path
        assert path.startswith("/doc/"), path
        ids.append(path[len("/doc/") :])
    return ids


def hit_dates(driver) -> list[str]:
    return [t.get_attribute("datetime") for t in css(driver, ".hit .meta time")]


def facet_values(driver, facet: str):
    return css(driver, f'.facet[data-facet="{facet}"] li.fv')


def facet_count(li) -> int:
    return int(re.sub(r"[^\d]", "", li.find_element(By.CSS_SELECTOR, ".count").text))


def screenshot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def assert_arabic_page(driver) -> None:
    html = driver.find_element(By.TAG_NAME, "html")
    assert html.get_attribute("lang") == "ar"
    assert html.get_attribute("dir") == "rtl"
