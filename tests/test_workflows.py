"""What a journalist does after a search, over a real-corpus slice (Flask test client and the CLI):
export every hit, search a list, the timeline, entities from the search box, OpenSearch."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from conftest import REPO, needs_corpus
from search.web.labels import articles_ar

pytestmark = [needs_corpus, pytest.mark.corpus]
QUERY = "الرياض"


def api(client, qs: str) -> dict:
    response = client.get("/api/search?" + qs)
    assert response.status_code == 200
    return response.get_json()


def paged_ids(client, qs: str) -> list[str]:
    """Every hit id of a search, page by page through /api/search (200 a page)."""
    out, page = [], 1
    while True:
        data = api(client, f"{qs}&size=200&page={page}")
        out += [h["id"] for h in data["hits"]]
        if len(out) >= data["total"] or not data["hits"]:
            return out
        page += 1


def csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff"), "a spreadsheet needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(text[1:])))


# --- export ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "qs", ["q=" + quote(QUERY), "q=" + quote(QUERY) + "&sort=oldest", "country=SA&not_source=Okaz", ""]
)
def test_export_csv_holds_every_hit_in_the_search_order(client, qs):
    response = client.get("/export.csv?" + qs)
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = csv_rows(response.get_data(as_text=True))
    assert rows[0][:3] == ["id", "title", "date"] and "person_label" in rows[0]
    assert [r[0] for r in rows[1:]] == paged_ids(client, qs)  # past the 200-a-page cap, same order


def test_export_jsonl_carries_entity_keys_and_labels(client):
    qs = "q=" + quote(QUERY) + "&country=SA"
    lines = client.get("/export.jsonl?" + qs).get_data(as_text=True).splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == api(client, qs)["total"] > 20
    first = records[0]
    assert "SA" in first["country"]
    assert first["country_label"][first["country"].index("SA")] == "المملكة العربية السعودية"
    assert len(first["person"]) == len(first["person_label"]) and first["snippet"]


def test_export_of_an_unknown_format_or_hostile_parameters(client):
    assert client.get("/export.xlsx").status_code == 404
    for qs in ("q=%22", "page=99999&size=-3", "year=<x>", "q=" + "ب" * 3000, "q=%00%01"):
        assert client.get("/export.csv?" + qs).status_code == 200, qs


def test_cli_export_writes_the_same_rows_to_stdout(corpus_index, client):
    qs = "q=" + QUERY + "&country=SA"
    for search in (qs, "https://arshif.example.org/search?" + qs):
        result = subprocess.run(
            [sys.executable, "-m", "search", "export", "--index", str(corpus_index), search, "--format", "jsonl"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
        assert ids == paged_ids(client, "q=" + quote(QUERY) + "&country=SA")


# --- batch -----------------------------------------------------------------------------------------

BATCH = ["الرياض", "Kuwait", "", '"ولي العهد', "!!!", "ب" * 400, "داعش", '=HYPERLINK("http://x")', "  النفط  "]


def test_batch_rows_follow_the_lines_with_the_api_totals(client):
    response = client.post("/batch.csv?country=SA", data={"lines": "\n".join(BATCH)})
    assert response.status_code == 200
    rows = csv_rows(response.get_data(as_text=True))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["line", "total", "first_date"]
    assert [r[0] for r in body] == [
        "الرياض",
        "Kuwait",
        "",
        '"ولي العهد',
        "!!!",
        "ب" * 400,
        "داعش",
        '\'=HYPERLINK("http://x")',
        "  النفط  ",
    ]
    by_line = {r[0]: dict(zip(header, r, strict=True)) for r in body}
    for line in ("الرياض", '"ولي العهد', "داعش", "  النفط  ", "Kuwait"):
        assert int(by_line[line]["total"]) == api(client, "country=SA&q=" + quote(line))["total"], line
    assert by_line[""]["note"] == "empty line" and by_line[""]["total"] == ""
    assert "nothing to search" in by_line["!!!"]["note"] and "too long" in by_line["ب" * 400]["note"]
    assert "unbalanced quote" in by_line['"ولي العهد']["note"]
    riyadh = by_line["الرياض"]
    assert riyadh["first_date"] <= riyadh["last_date"] and riyadh["top_outlets"]
    assert sum(int(riyadh[y] or 0) for y in header if y.isdigit()) <= int(riyadh["total"])
    assert by_line["داعش"]["entity_key"] == "داعش" and by_line["Kuwait"]["entity_key"] == "KW"
    assert parse_qs(urlsplit(by_line["داعش"]["url"]).query) == {"country": ["SA"], "q": ["داعش"]}


def test_batch_page_shows_a_table_and_keeps_going_past_bad_lines(client):
    page = client.get("/batch?country=SA&q=x&page=3")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'action="/batch?country=SA"' in html  # the filters, not the words
    response = client.post("/batch?country=SA", data={"lines": "\n".join(BATCH)})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.count("<tr") == len(BATCH) + 1
    assert "empty line" in html and "<script" not in html.split("<main>")[1].split("</main>")[0]


def test_batch_caps_the_list_and_takes_a_file(client):
    many = "\n".join(["النفط"] * 1005)
    html = client.post("/batch", data={"lines": many}).get_data(as_text=True)
    assert "only the first 1,000 of 1,005 lines" in html
    upload = {"file": (io.BytesIO("\ufeffالنفط\nداعش\n".encode("utf-8")), "names.txt")}
    response = client.post("/batch.csv", data=upload, content_type="multipart/form-data")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert [r[0] for r in csv_rows(response.get_data(as_text=True))[1:]] == ["النفط", "داعش"]
    not_text = {"file": (io.BytesIO(b"\xff\xfe\x00\xd8"), "names.txt")}
    refused = client.post("/batch.csv", data=not_text, content_type="multipart/form-data")
    assert refused.status_code == 400 and "not UTF-8 text" in refused.get_data(as_text=True)


def test_cli_batch(corpus_index, tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("داعش\n\nKuwait\n", encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "search",
            "batch",
            "--index",
            str(corpus_index),
            str(names),
            "--search",
            "year=2015",
            "--base-url",
            "https://arshif.example.org/",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    rows = csv_rows(result.stdout)
    assert [r[0] for r in rows[1:]] == ["داعش", "", "Kuwait"]
    assert rows[1][rows[0].index("url")] == "https://arshif.example.org/search?q=%D8%AF%D8%A7%D8%B9%D8%B4&year=2015"


# --- entities from the search box ------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, facet, key",
    [
        ("Kuwait", "country", "KW"),
        ("الكويت", "country", "KW"),
        ("ISIS", "org", "داعش"),
        ("داعش", "org", "داعش"),
        ("John Kerry", "person", "جون-كيري"),
        ("Obama", "person", "باراك-اوباما"),
        ("جون كيري", "person", "جون-كيري"),
    ],
)
def test_suggest_offers_the_entity_a_name_stands_for(client, typed, facet, key):
    data = client.get("/api/suggest?q=" + quote(typed)).get_json()
    first = data["suggestions"][0]
    assert (first["facet"], first["key"]) == (facet, key)
    assert set(first) == {"facet", "key", "label", "label_en", "count", "url"}
    assert first["count"] == api(client, urlsplit(first["url"]).query)["total"] > 0


def test_suggest_counts_under_the_current_filters_and_drops_the_words(client):
    first = client.get("/api/suggest?q=Kuwait&year=2015").get_json()["suggestions"][0]
    assert parse_qs(urlsplit(first["url"]).query) == {"country": ["KW"], "year": ["2015"]}
    assert first["count"] == api(client, "country=KW&year=2015")["total"]
    assert client.get("/api/suggest?q=").get_json()["suggestions"] == []
    assert client.get("/api/suggest?q=" + quote("<script>")).get_json()["suggestions"] == []


def test_results_page_offers_the_entity_above_the_results(client):
    html = client.get("/search?q=Kuwait").get_data(as_text=True)
    block = html.split('class="suggestions"')[1].split("</aside>")[0]
    assert 'href="/search?country=KW"' in block and "الكويت" in block
    assert 'class="suggestions"' not in client.get("/search?q=" + quote("وزارة")).get_data(as_text=True)


# --- timeline --------------------------------------------------------------------------------------


def bars(html: str) -> list[tuple[str | None, str | None, str | None]]:
    """(period key, link, screen-reader text) of every bar with articles, in document order."""
    svg = ET.fromstring(
        html.split('<figure class="timeline">')[1]
        .split("<figcaption>")[1]
        .split("</figcaption>")[1]
        .split("</figure>")[0]
        .replace("&nbsp;", " ")
    )
    ns = "{http://www.w3.org/2000/svg}"
    out = []
    for slot in svg.iter(ns + "g"):
        link = slot.find(ns + "a")
        if link is not None:
            out.append((slot.get("data-key"), link.get("href"), link.get("aria-label")))
    return out


def test_timeline_bars_narrow_the_search_to_their_period(client):
    data = api(client, "q=" + quote(QUERY))
    found = bars(client.get("/search?q=" + quote(QUERY)).get_data(as_text=True))
    unit = "month" if len(found[0][0]) == 7 else "year"  # the slice spans two years: by month
    counts = {v["key"]: v["count"] for v in data["facets"][unit] if v["count"]}
    assert [key for key, _, _ in found] == sorted(counts)  # oldest first in the document…
    for key, href, words in found:
        assert parse_qs(urlsplit(href).query) == {"q": [QUERY], unit: [key]}
        assert words.endswith(articles_ar(counts[key]))


def test_timeline_by_month_within_a_year_runs_right_to_left(client):
    html = client.get("/search?year=2015&month=2015-07").get_data(as_text=True)
    found = bars(html)
    assert found and all(key.startswith("2015-") for key, _, _ in found)
    assert "يوليو 2015" in html
    for key, href, _ in found:
        assert parse_qs(urlsplit(href).query) == {"month": [key], "year": ["2015"]}  # replaces the month
    xs = [float(x) for x in __import__("re").findall(r'class="tl-bar" x="([\d.]+)"', html)]
    assert xs == sorted(xs, reverse=True)  # …and drawn from the right, as the page reads


def test_no_timeline_without_dated_hits(client):
    assert '<figure class="timeline">' not in client.get("/search?q=Kuwait").get_data(as_text=True)


# --- following a search ----------------------------------------------------------------------------


def test_opensearch_description(client):
    response = client.get("/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    root = ET.fromstring(response.data)
    urls = {u.get("type"): u.get("template") for u in root.iter("{http://a9.com/-/spec/opensearch/1.1/}Url")}
    assert urls["text/html"].endswith("/search?q={searchTerms}")
    assert urls["application/atom+xml"].endswith("/search.atom?q={searchTerms}")
    assert 'rel="search" type="application/opensearchdescription+xml"' in client.get("/search").get_data(as_text=True)


def test_links_leaving_the_site_use_the_public_url_never_the_host_header(corpus_index):
    from search.config import Settings
    from search.web import create_app

    app = create_app(Settings(index=str(corpus_index), public_url="https://arshif.example.org/"))
    client = app.test_client()
    evil = {"Host": "evil.example"}
    root = ET.fromstring(client.get("/opensearch.xml", headers=evil).data)
    templates = [u.get("template") for u in root.iter("{http://a9.com/-/spec/opensearch/1.1/}Url")]
    assert templates and all(t.startswith("https://arshif.example.org/") for t in templates)
    rows = csv_rows(client.post("/batch.csv", data={"lines": "داعش"}, headers=evil).get_data(as_text=True))
    assert rows[1][rows[0].index("url")].startswith("https://arshif.example.org/search?q=")
