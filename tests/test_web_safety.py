"""Hostile requests and hostile stored data: limits, links, XML, the Host header, error bodies.

Most tests run on a tiny index written here with documents an old or careless import could hold
(a `javascript:` URL, a title with U+FFFE); the page-size test uses the real-corpus slice.
"""

import time
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest

from conftest import needs_corpus
from search.config import Settings
from search.document import build_document
from search.engines.tantivy_engine import TantivyEngine
from search.model import Article
from search.web import create_app

ATOM = "{http://www.w3.org/2005/Atom}"
BODY = "قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل في العاصمة."
STORED = [
    Article(id="js", title="رابط خبيث", body=BODY, url="javascript:alert(document.cookie)", date="2015-07-01"),
    Article(id="data", title="رابط بيانات", body=BODY, url=" data:text/html,<script>alert(1)</script>"),
    Article(id="tab", title="رابط بمسافة", body=BODY, url="java\tscript:alert(1)"),
    Article(id="web", title="رابط سليم", body=BODY, url="https://example.com/news/1?a=1&b=2"),
    Article(id="nonchar", title="عنوان \ufffe فيه \uffff حرفان", body=BODY + " \ufffe", source="مصدر\uffff"),
]


@pytest.fixture(scope="module")
def stored_index(tmp_path_factory):
    """Documents written straight to the engine, as an index built before ingest cleaned them."""
    path = tmp_path_factory.mktemp("safety") / "index"
    engine = TantivyEngine(path, writable=True)
    engine.upsert([build_document(article) for article in STORED])
    engine.close()
    return path


@pytest.fixture(scope="module")
def app(stored_index):
    return create_app(Settings(index=str(stored_index)))


@pytest.fixture
def client(app):
    return app.test_client()


def public_app(stored_index, url: str):
    return create_app(Settings(index=str(stored_index), public_url=url))


# --- 1. URL limits ---------------------------------------------------------------------------


def test_an_over_long_url_is_refused_with_414_in_the_right_format(client):
    qs = "q=" + quote("ب") * 2000  # 12,002 bytes of query string
    html = client.get("/search?" + qs)
    assert html.status_code == 414 and html.mimetype == "text/html"
    assert "أطول من" in html.get_data(as_text=True)
    api = client.get("/api/search?" + qs)
    assert api.status_code == 414 and "too long" in api.get_json()["error"]
    assert client.get("/search.atom?" + qs).status_code == 414


def test_a_long_query_is_cut_with_a_visible_note(client):
    latin = " ".join(["talks"] * 600)  # 3,599 characters, 3.6 KB in a URL
    data = client.get("/api/search?q=" + quote(latin)).get_json()
    assert "the query was cut to its first 995 of 3,599 characters (at most 1,000)" in data["notes"]
    assert data["url"] == "/search?q=" + "+".join(["talks"] * 166)
    arabic = " ".join(["المحادثات"] * 130)  # 1,299 characters, 7.1 KB in a URL
    page = client.get("/search?q=" + quote(arabic))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "the query was cut to its first 999 of 1,299 characters" in html
    assert 'maxlength="1000"' in html  # a browser never sends more from the search box


@needs_corpus
def test_page_size_stays_bounded_whatever_the_url(corpus_app):
    """The longest query accepted (1,000 Arabic characters, 7 KB of URL) gives a 1.3 MB page, not
    the 24 MB a 100 KB query string used to build (one copy of it in each of ~250 links)."""
    client = corpus_app.test_client()
    normal = len(client.get("/search?q=" + quote("وزير الخارجية")).data)
    words = ("وزير الخارجية السعودي يلتقي نظيره في الرياض لبحث العلاقات " * 200).split()
    q = ""
    while len(quote(q + " " + words[len(q.split())])) < 7_990:
        q = (q + " " + words[len(q.split())]).strip()
    started = time.perf_counter()
    response = client.get("/search?q=" + quote(q))
    seconds = time.perf_counter() - started
    assert response.status_code == 200
    assert len(response.data) < 1_500_000, (len(response.data), normal)
    assert seconds < 5
    assert client.get("/search?q=" + quote(q * 20)).status_code == 414


# --- 4. only http(s) URLs are links ----------------------------------------------------------


@pytest.mark.parametrize(
    "doc_id, shown",
    [
        ("js", "javascript:alert(document.cookie)"),
        ("data", "data:text<bdi>/</bdi>html,&lt;script&gt;"),
        ("tab", "java\tscript:alert(1)"),
    ],
)
def test_a_stored_script_or_data_url_is_shown_but_not_a_link(client, doc_id, shown):
    html = client.get(f"/doc/{doc_id}").get_data(as_text=True)
    assert '<a class="srcurl"' not in html and "script:alert" not in "".join(html.split("href=")[1:])[:0]
    assert '<span class="srcurl" dir="ltr">' in html and shown.replace("<bdi>/</bdi>", "</bdi>/<bdi>") in html


def test_a_stored_web_url_is_a_link(client):
    html = client.get("/doc/web").get_data(as_text=True)
    assert '<a class="srcurl" href="https://example.com/news/1?a=1&amp;b=2"' in html


def test_json_keeps_the_stored_url_as_it_is(client):
    hits = {h["id"]: h for h in client.get("/api/search?size=50").get_json()["hits"]}
    assert hits["js"]["url"] == "javascript:alert(document.cookie)"


# --- 5. Atom is well-formed ------------------------------------------------------------------


@pytest.mark.parametrize("qs", ["q=%01", "q=a%00b", "q=%EF%BF%BE", "q=%EF%BF%BF%0B", "", "q=" + quote("حرفان")])
def test_atom_is_well_formed_for_forbidden_characters_in_queries_and_titles(client, qs):
    response = client.get("/search.atom?" + qs)
    assert response.status_code == 200
    feed = ET.fromstring(response.data)  # raises on a character XML forbids
    titles = [e.find(ATOM + "title").text for e in feed.findall(ATOM + "entry")]
    if "حرفان" in qs or not qs:
        assert "عنوان  فيه  حرفان" in titles


# --- 6. the Host header is not trusted -------------------------------------------------------


def test_atom_links_are_relative_without_a_public_url(client):
    data = client.get("/search.atom?q=" + quote("رابط"), headers={"Host": "evil.example"}).data
    assert b"evil.example" not in data
    feed = ET.fromstring(data)
    assert feed.find(ATOM + "link[@rel='self']").get("href") == "/search.atom?q=" + quote("رابط") + "&sort=newest"
    assert feed.find(ATOM + "entry/" + ATOM + "link").get("href").startswith("/doc/")
    assert feed.find(ATOM + "id").text.startswith("urn:arshif:search:")


def test_atom_links_use_the_configured_public_url(stored_index):
    client = public_app(stored_index, "https://arshif.example.org/").test_client()
    feed = ET.fromstring(client.get("/search.atom", headers={"Host": "evil.example"}).data)
    assert feed.find(ATOM + "link[@rel='alternate']").get("href") == "https://arshif.example.org/search"
    assert feed.find(ATOM + "entry/" + ATOM + "link").get("href").startswith("https://arshif.example.org/doc/")


@pytest.mark.parametrize("path", ["/doc//web", "/static//arshif.css"])
def test_redirects_do_not_echo_the_host_header(client, stored_index, path):
    response = client.get(path, headers={"Host": "evil.example"})
    assert response.status_code == 308 and response.headers["Location"].startswith("/")
    public = public_app(stored_index, "https://arshif.example.org").test_client()
    location = public.get(path, headers={"Host": "evil.example"}).headers["Location"]
    assert location.startswith("https://arshif.example.org/")


# --- 7. frames, error bodies, /healthz -------------------------------------------------------


def test_pages_cannot_be_framed(client):
    response = client.get("/search")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_405_says_which_methods_are_allowed_and_api_errors_are_json(client):
    page = client.post("/search")
    assert page.status_code == 405 and page.mimetype == "text/html" and "GET" in page.headers["Allow"]
    api = client.post("/api/search")
    assert api.status_code == 405 and "GET" in api.headers["Allow"]
    assert api.get_json() == {"error": "method not allowed", "status": 405}
    missing = client.get("/api/nowhere")
    assert missing.status_code == 404 and missing.get_json()["status"] == 404
    assert client.get("/nowhere").mimetype == "text/html"


class BrokenEngine:
    """An engine with a bug: every search raises something that is not an EngineError."""

    def entity_labels(self):
        return {}

    def search(self, request):
        raise RuntimeError("a bug")


def test_500_is_json_under_api_and_html_elsewhere():
    app = create_app(Settings(index="unused"), engine=BrokenEngine())
    client = app.test_client()
    api = client.get("/api/search?q=x")
    assert api.status_code == 500 and api.get_json()["error"] == "internal server error"
    page = client.get("/search?q=x")
    assert page.status_code == 500 and page.mimetype == "text/html" and "a bug" not in page.get_data(as_text=True)


def test_healthz_and_engine_errors_show_no_filesystem_path(client, stored_index, tmp_path):
    health = client.get("/healthz")
    assert health.status_code == 200 and health.get_json()["ok"]
    assert str(stored_index) not in health.get_data(as_text=True)
    missing = tmp_path / "no-index-here"
    broken = create_app(Settings(index=str(missing))).test_client()
    for path in ("/healthz", "/api/search", "/search"):
        response = broken.get(path)
        assert response.status_code == 503, path
        assert str(tmp_path) not in response.get_data(as_text=True), path
    # the engine's message is often English: its own direction, not the page's right-to-left
    assert '<p dir="auto">' in broken.get("/search").get_data(as_text=True)


def test_gunicorn_bounds_the_request_line_and_headers(stored_index):
    """Under `arshif serve`: the app's own 414 page up to gunicorn's largest request line, gunicorn's
    414 past it (it used to read a request line of any length), and a bound on header size."""
    import urllib.error
    import urllib.request

    from conftest import serving

    def status(url: str, headers=None) -> int:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as r:
                return r.status
        except urllib.error.HTTPError as error:
            return error.code

    with serving(stored_index) as base:
        assert status(base + "/search?q=" + "x" * 7990) == 200
        assert status(base + "/search?q=" + "x" * 8100) == 414  # the app's page
        assert status(base + "/search?q=" + "x" * 100_000) == 414  # gunicorn's
        assert status(base + "/search", {"X-Big": "x" * 9000}) in (400, 431)


def test_every_setting_comes_from_the_one_settings_module(monkeypatch, tmp_path):
    """ARSHIF_* variables are read in search/config.py only; a bad number is a clear usage error."""
    import re
    from pathlib import Path

    from search.config import Settings, SettingsError

    package = Path(__file__).resolve().parents[1] / "search"
    readers = [
        str(p.relative_to(package))
        for p in package.rglob("*.py")
        if re.search(r"os\.environ|os\.getenv|from_prefixed_env", p.read_text("utf-8"))
    ]
    assert readers == ["config.py"]
    monkeypatch.setenv("ARSHIF_ES_SHARDS", "3")
    monkeypatch.setenv("ARSHIF_ENTITY_OVERRIDES", str(tmp_path / "o.json"))
    settings = Settings.from_env()
    assert settings.es_shards == 3 and settings.entity_overrides == str(tmp_path / "o.json")
    monkeypatch.setenv("ARSHIF_ES_REPLICAS", "two")
    with pytest.raises(SettingsError, match="ARSHIF_ES_REPLICAS must be a whole number"):
        Settings.from_env()
    from search.cli import main

    assert main(["serve", "--index", str(tmp_path)]) == 2
