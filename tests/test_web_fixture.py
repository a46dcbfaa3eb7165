"""The web app over a dozen articles written for the tests (tests/data/fixture_archive.jsonl),
through the Flask client: runs on any machine, with or without ../shared.

Covers what the corpus tests cover on real text, on a set small enough to know every answer:
highlighting, facets and their links and labels, selections and exclusions, partial matches,
the article page, and the JSON, CSV and Atom outputs of the same search.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from urllib.parse import quote, quote_plus


def api(client, qs: str) -> dict:
    response = client.get("/api/search?" + qs)
    assert response.status_code == 200, response.data[:300]
    return response.get_json()


def facet(data: dict, name: str) -> dict:
    return {v["key"]: v for v in data["facets"][name]}


def page(client, qs: str) -> str:
    response = client.get("/search?" + qs)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_word_finds_its_inflected_forms_with_marks(fixture_client):
    data = api(fixture_client, "q=" + quote("النفط"))
    assert {h["id"] for h in data["hits"]} == {"fx-02", "fx-03"} and data["total"] == 2
    assert all("<mark>النفط</mark>" in h["snippet"] for h in data["hits"])
    # «ارتفاع» (fx-02's title) and «الارتفاع» (fx-03's body): one stem, marked where it is written
    data = api(fixture_client, "q=" + quote("ارتفاع"))
    assert {h["id"] for h in data["hits"]} == {"fx-02", "fx-03"}
    assert "<mark>الارتفاع</mark>" in {h["id"]: h["snippet"] for h in data["hits"]}["fx-03"]


def test_facets_count_entities_with_arabic_and_english_labels(fixture_client):
    data = api(fixture_client, "q=" + quote("النفط"))
    countries = facet(data, "country")
    assert countries["SA"]["count"] == 1 and countries["KW"]["count"] == 1
    assert countries["KW"]["label"] == "الكويت" and countries["KW"]["label_en"] == "Kuwait"
    assert facet(data, "org")["اوبك"]["count"] == 2
    assert facet(data, "source") == {
        "صحيفة الأفق": facet(data, "source")["صحيفة الأفق"],
        "جريدة المساء": facet(data, "source")["جريدة المساء"],
    }


def test_a_selection_filters_and_its_facet_still_offers_the_others(fixture_client):
    data = api(fixture_client, "q=" + quote("النفط") + "&country=KW")
    assert [h["id"] for h in data["hits"]] == ["fx-03"]
    countries = facet(data, "country")
    assert countries["KW"]["selected"] and countries["SA"]["count"] == 1  # multi-select counts
    html = page(fixture_client, "q=" + quote("النفط") + "&country=KW")
    assert 'class="chip"' in html and "الكويت" in html


def test_an_exclusion_is_a_struck_chip(fixture_client):
    data = api(fixture_client, "country=SA&not_country=KW")
    assert {h["id"] for h in data["hits"]} == {"fx-02", "fx-06"}
    html = page(fixture_client, "country=SA&not_country=KW")
    assert 'class="chip excluded"' in html and "<s><bdi>الكويت</bdi></s>" in html


def test_facet_links_are_canonical_urls(fixture_client):
    html = page(fixture_client, "q=" + quote("النفط"))
    # selecting Kuwait keeps the query, in the canonical order (keys sorted); so does excluding it
    assert f'href="/search?country=KW&amp;q={quote_plus("النفط")}"' in html
    assert f'href="/search?not_country=KW&amp;q={quote_plus("النفط")}"' in html


def test_people_found_by_the_extractor_are_facet_values(fixture_client):
    data = api(fixture_client, "")
    people = facet(data, "person")
    assert "جاسم-البديوي" in people and people["جاسم-البديوي"]["label"] == "جاسم البديوي"
    assert api(fixture_client, "person=" + quote("جاسم-البديوي"))["total"] == 1


def test_partial_matches_when_no_article_holds_every_word(fixture_client):
    data = api(fixture_client, "q=" + quote("النفط الزلزال"))
    assert data["total"] == 0
    missing = {h["id"]: h["missing"] for h in data["partial"]["hits"]}
    assert missing == {"fx-02": ["الزلزال"], "fx-03": ["الزلزال"], "fx-07": ["النفط"]}


def test_a_question_is_ranked(fixture_client):
    data = api(fixture_client, "q=" + quote("متى افتتح معرض الكتاب في الرياض؟"))
    assert data["hits"][0]["id"] == "fx-06"


def test_the_article_page_links_its_entities_and_never_a_script_url(fixture_client):
    html = fixture_client.get("/doc/fx-01?q=" + quote("الكويت")).get_data(as_text=True)
    assert "<mark" in html and "/search?country=KW" in html and "سالم العبدالله" in html
    undated = fixture_client.get("/doc/fx-12").get_data(as_text=True)
    assert 'href="javascript' not in undated
    assert fixture_client.get("/doc/nope").status_code == 404


def test_csv_and_atom_carry_the_same_search(fixture_client):
    qs = "q=" + quote("النفط")
    response = fixture_client.get("/search.csv?" + qs)
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert {r["id"] for r in rows} == {"fx-02", "fx-03"}
    feed = ET.fromstring(fixture_client.get("/search.atom?" + qs).data)
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 2


def test_the_facet_filter_box_matches_english_labels(fixture_client):
    response = fixture_client.get("/api/facet/country?match=Kuwait")
    assert [v["key"] for v in response.get_json()["values"]] == ["KW"]


def test_years_months_and_date_range(fixture_client):
    data = api(fixture_client, "year=2021")
    assert {h["id"] for h in data["hits"]} == {"fx-01", "fx-02", "fx-03", "fx-09"}
    assert set(facet(data, "month")) >= {"2021-03", "2021-04", "2021-06"}
    assert {h["id"] for h in api(fixture_client, "from=2021-04&to=2021-04")["hits"]} == {"fx-02", "fx-03"}
    # the undated article is found by words, and sorts last by date
    newest = api(fixture_client, "sort=newest&size=20")
    assert newest["hits"][-1]["id"] == "fx-12" and newest["total"] == 12


def test_json_keys_keep_the_documented_order(fixture_client):
    """Flask 3 ignores JSON_SORT_KEYS: the order is set on app.json (total first, then the page)."""
    body = fixture_client.get("/api/search?q=" + quote("النفط")).get_data(as_text=True)
    assert body.index('"total"') < body.index('"page"') < body.index('"hits"') < body.index('"facets"')


def test_the_count_has_the_noun_arabic_wants(fixture_client):
    assert "مقالتان" in page(fixture_client, "q=" + quote("النفط"))
    assert "لا مقالات" in page(fixture_client, "q=" + quote("زحل"))


def test_every_output_gives_a_hit_the_same_article_fields(fixture_client):
    """The JSON hit, the JSON Lines export and the CSV take a hit's fields from one table
    (search.schema.HIT_FIELDS), in one order: the article's values, the snippet, the entity keys."""
    qs = "q=" + quote("النفط")
    hit = api(fixture_client, qs)["hits"][0]
    assert list(hit)[:9] == ["id", "title", "date", "source", "category", "url", "snippet", "snippet_text", "country"]
    exported = [
        json.loads(line) for line in fixture_client.get("/export.jsonl?" + qs).get_data(as_text=True).splitlines()
    ]
    row = {r["id"]: r for r in exported}[hit["id"]]
    assert [k for k in row if not k.endswith("_label")] == [
        k for k in hit if k not in ("snippet_text", "story", "story_size")
    ]
    assert {k: row[k] for k in ("title", "date", "source", "category", "url", "country", "person", "org")} == {
        k: hit[k] for k in ("title", "date", "source", "category", "url", "country", "person", "org")
    }
    csv_text = fixture_client.get("/search.csv?" + qs).get_data(as_text=True)
    header = next(csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))))
    assert header == list(row)
    article = fixture_client.get(f"/api/doc/{hit['id']}").get_json()
    shared = ("title", "date", "source", "url", "country")
    assert {k: article[k] for k in shared} == {k: hit[k] for k in shared}
    assert article["body"] and article["lang"] == "ar" and article["truncated"] is False


def test_the_settings_choose_the_editors_file(fixture_index, tmp_path):
    """`Settings(entity_overrides=…)` given to create_app is the file the app's labels come from
    (not only the ARSHIF_ENTITY_OVERRIDES variable)."""
    from search.config import Settings
    from search.entities.overrides import use_overrides_file
    from search.web import create_app

    def client(**settings):
        return create_app(Settings(index=str(fixture_index), **settings)).test_client()

    person = next(iter(facet(api(client(), "q="), "person")))
    overrides = tmp_path / "overrides.json"
    overrides.write_text(
        json.dumps({"rename": {f"person:{person}": "اسم من ملف المحررين"}}, ensure_ascii=False), encoding="utf-8"
    )
    try:
        renamed = facet(api(client(entity_overrides=str(overrides)), "q="), "person")[person]
        assert renamed["label"] == "اسم من ملف المحررين"
        assert facet(api(client(), "q="), "person")[person]["label"] != "اسم من ملف المحررين"
    finally:
        use_overrides_file(None)


def test_the_pager_ends_where_the_hits_end(fixture_client):
    """Twelve articles in twelve stories: a last page that is full offers no next page, grouped or
    not, and neither does a short one."""
    for qs in ("stories=all&size=6&page=2", "size=6&page=2", "size=12", "stories=all&size=4&page=3", "size=5&page=3"):
        html = page(fixture_client, qs)
        assert '<li class="hit">' in html and 'rel="next"' not in html, qs
    assert 'rel="next"' in page(fixture_client, "size=6&page=1")
