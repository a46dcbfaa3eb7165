"""The web app over a real-corpus slice, through the Flask test client."""

import csv
import io
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest

from conftest import needs_corpus

pytestmark = needs_corpus


def api(client, qs: str) -> dict:
    response = client.get("/api/search?" + qs)
    assert response.status_code == 200, response.data[:300]
    return response.get_json()


def facet(data, name):
    return {v["key"]: v for v in data["facets"][name]}


def test_api_shape_and_canonical_url(client):
    data = api(client, "q=" + quote("السعودية"))
    assert data["total"] > 20 and len(data["hits"]) == 20
    hit = data["hits"][0]
    assert {"id", "title", "source", "date", "url", "snippet"} <= hit.keys()
    assert "<mark>" in data["hits"][0]["snippet"] or "<mark>" in data["hits"][1]["snippet"]
    assert data["url"] == "/search?q=" + quote("السعودية")
    assert {"key", "label", "count", "selected", "excluded"} <= data["facets"]["source"][0].keys()
    assert isinstance(data["took_ms"], float)


def test_empty_query_browses_everything_newest_first(client):
    data = api(client, "")
    assert data["total"] >= 2000 and data["sort"] == "newest"
    dates = [h["date"] for h in data["hits"] if h["date"]]
    assert dates == sorted(dates, reverse=True)
    assert sum(v["count"] for v in data["facets"]["source"]) >= data["total"] - 10


def test_short_query_means_all_words(client):
    both = api(client, "q=" + quote("الرياض الهلال"))["total"]
    one = api(client, "q=" + quote("الهلال"))["total"]
    assert 0 < both < one


def test_stemmed_and_normalized_forms_match(client):
    plain = api(client, "q=" + quote("السعوديين"))
    assert plain["total"] > api(client, "q=" + quote('"السعوديين"'))["total"]
    # alef and teh-marbuta variants find the same articles
    assert api(client, "q=" + quote("أمريكا"))["total"] == api(client, "q=" + quote("امريكا"))["total"]


def test_phrase_exclusion_or_and_title(client):
    phrase = api(client, "q=" + quote('"ولي العهد"'))["total"]
    words = api(client, "q=" + quote("ولي العهد"))["total"]
    assert 0 < phrase <= words
    excluded = api(client, "q=" + quote("ولي العهد -الأمير"))["total"]
    assert excluded < words
    either = api(client, "q=" + quote("الهلال OR النصر"))["total"]
    assert either >= max(api(client, "q=" + quote("الهلال"))["total"], api(client, "q=" + quote("النصر"))["total"])
    titles = api(client, "q=" + quote("title:الهلال") + "&size=100")
    assert titles["total"] > 0 and all("الهلال" in h["title"] or "هلال" in h["title"] for h in titles["hits"])


def test_long_query_does_not_come_back_empty(client):
    data = api(client, "q=" + quote("وزير الخارجية السعودي يلتقي نظيره الياباني في طوكيو لبحث العلاقات xyzzyq"))
    assert data["total"] > 0


def test_multi_select_facets(client):
    base = api(client, "q=" + quote("الرياض"))
    sources = sorted(facet(base, "source").values(), key=lambda v: -v["count"])
    a, b = sources[0], sources[1]
    one = api(client, "q=" + quote("الرياض") + "&source=" + quote(a["key"]))
    assert one["total"] == a["count"]
    # a facet's own counts ignore its own selection: b is still offered with its count
    assert facet(one, "source")[b["key"]]["count"] == b["count"]
    assert facet(one, "source")[a["key"]]["selected"] is True
    two = api(client, "q=" + quote("الرياض") + "&source=" + quote(a["key"]) + "&source=" + quote(b["key"]))
    assert two["total"] == a["count"] + b["count"]
    # other facets' counts do follow the selection
    assert sum(v["count"] for v in one["facets"]["year"]) <= one["total"]


def test_exclusion_of_a_facet_value(client):
    base = api(client, "")
    top = max(base["facets"]["source"], key=lambda v: v["count"])
    data = api(client, "not_source=" + quote(top["key"]) + "&size=100")
    assert data["total"] == base["total"] - top["count"]
    assert all(h["source"] != top["key"] for h in data["hits"])
    assert facet(data, "source")[top["key"]]["excluded"] is True


def test_date_range_and_year_month_facets(client):
    data = api(client, "from=2015-07-15&to=2015-07-31&size=100")
    assert data["total"] > 0 and all("2015-07-15" <= h["date"] <= "2015-07-31" for h in data["hits"])
    year = api(client, "year=2015")
    months = facet(year, "month")
    assert months and all(key.startswith("2015-") for key in months)


def test_sort_and_paging(client):
    page1 = api(client, "q=" + quote("الرياض"))
    page2 = api(client, "q=" + quote("الرياض") + "&page=2")
    assert not {h["id"] for h in page1["hits"]} & {h["id"] for h in page2["hits"]}
    oldest = api(client, "q=" + quote("الرياض") + "&sort=oldest")
    dates = [h["date"] for h in oldest["hits"] if h["date"]]
    assert dates == sorted(dates)
    big = api(client, "size=100000")
    assert len(big["hits"]) == 200 and big["notes"]


def test_same_url_same_results(client):
    url = "q=" + quote("الرياض") + "&source=Al-Riyadh&sort=newest"
    assert [h["id"] for h in api(client, url)["hits"]] == [h["id"] for h in api(client, url)["hits"]]


def test_html_page_is_arabic_first_and_escapes_input(client):
    response = client.get("/search?q=" + quote('<script>alert("x")</script> الرياض'))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html and "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "https://" not in html.split("<body>")[0]  # no asset from the internet


@pytest.mark.parametrize(
    "qs",
    [
        "q=%22",
        "q=-",
        "q=OR",
        "q=title:",
        "page=abc",
        "page=-1",
        "page=10000000000000000000000",
        "size=-5",
        "sort=%3Cb%3E",
        "from=2015-13-45",
        "to=99999",
        "year=<x>",
        "country=" + "A" * 5000,
        "q=" + "ب" * 1300,
        "q=%00%01%02",
        "q=%ff%fe",
        "not_source=",
        "month=2015-99",
        "q=((((",
        "q=*:*",
        "q=title:%22",
        "foo=bar&baz",
    ],
)
def test_hostile_parameters_never_500(client, qs):
    for path in ("/search", "/api/search", "/search.csv", "/search.atom"):
        response = client.get(f"{path}?{qs}")
        assert response.status_code == 200, (path, qs, response.status_code)


def test_unknown_pages_and_methods(client):
    assert client.get("/doc/does-not-exist").status_code == 404
    assert client.get("/nowhere").status_code == 404
    assert client.post("/search").status_code == 405


def test_article_page_highlights_and_shows_metadata(client):
    hit = api(client, "q=" + quote("الرياض"))["hits"][0]
    response = client.get(f"/doc/{hit['id']}?q=" + quote("الرياض"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<mark>" in html and hit["id"] in html
    assert "العودة إلى النتائج" in html


def test_csv_and_atom_mirror_the_search(client):
    data = api(client, "q=" + quote("الرياض"))
    text = client.get("/search.csv?q=" + quote("الرياض")).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["id", "title", "date"] and [r[0] for r in rows[1:]] == [h["id"] for h in data["hits"]]
    feed = ET.fromstring(client.get("/search.atom?q=" + quote("الرياض")).data)
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 20
    dates = [e.find("{http://www.w3.org/2005/Atom}updated").text for e in entries]
    assert dates == sorted(dates, reverse=True)


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["ok"] and response.get_json()["docs"] >= 2000


def test_facet_search_finds_values_beyond_the_page_in_arabic_or_english(client):
    for match in ("Saudi", "السعودية", "سعودي"):
        data = client.get("/api/facet/country?match=" + quote(match)).get_json()
        assert "SA" in [v["key"] for v in data["values"]], match
    data = client.get("/api/facet/country?q=" + quote("الرياض") + "&match=Saudi").get_json()
    sa = next(v for v in data["values"] if v["key"] == "SA")
    assert sa["count"] == facet(api(client, "q=" + quote("الرياض")), "country")["SA"]["count"]
    assert sa["url"].startswith("/search?country=SA&q=")
    assert client.get("/api/facet/nope").status_code == 404
    assert client.get("/api/facet/source?match=" + quote("<script>")).get_json()["values"] == []


def test_a_dead_end_query_shows_partial_matches_apart_and_marked(client):
    """No article holds all three words: the count says 0, and the page still offers the articles
    with two of them, each marked with the word it lacks, escaped like everything typed."""
    qs = "q=" + quote("الرياض الهلال زحل<b>")
    data = api(client, qs)
    assert data["total"] == 0 and not data["hits"]
    partial = data["partial"]["hits"]
    assert partial and data["partial"]["total"] >= len(partial)
    assert all(hit["missing"] and "زحل<b>" in hit["missing"] for hit in partial)
    page = client.get("/search?" + qs).get_data(as_text=True)
    assert 'class="partial"' in page and "ينقصه" in page and "<s><bdi>زحل&lt;b&gt;</bdi></s>" in page
    assert "لا توجد نتائج" not in page
