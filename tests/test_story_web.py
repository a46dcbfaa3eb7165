"""Stories in the web app over a real-corpus slice: grouped results, the toggle, the API's story
fields, exports that keep every article, and the article page's coverage (Flask test client)."""

from __future__ import annotations

import csv
import io
import re

import pytest

from conftest import needs_corpus
from search.web.labels import others_ar, stories_ar

pytestmark = [needs_corpus, pytest.mark.corpus]


def get_json(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200, response.data[:300]
    return response.get_json()


@pytest.fixture(scope="module")
def shared_story(client) -> dict:
    """A hit of the slice whose story was carried by more than one article (found through the API)."""
    for page in range(1, 30):
        data = get_json(client, f"/api/search?stories=group&size=100&page={page}")
        for hit in data["hits"]:
            if hit["story_size"] > 1 and hit["also"]:
                return hit
    pytest.fail("no story of two articles or more in the corpus slice")


def test_machine_outputs_list_every_article_with_its_story(client):
    data = get_json(client, "/api/search?size=100")
    assert data["grouped"] is False and data["stories"] is None
    hits = data["hits"]
    assert all(isinstance(h["story"], str) and len(h["story"]) == 15 and h["story_size"] >= 1 for h in hits)
    assert "also" not in hits[0]


def test_grouped_api_results_show_each_story_once(client, shared_story):
    every = get_json(client, "/api/search?size=200")
    grouped = get_json(client, "/api/search?size=200&stories=group")
    assert grouped["grouped"] is True and grouped["total"] == every["total"]
    assert grouped["stories"] < every["total"]
    stories = [h["story"] for h in grouped["hits"]]
    assert len(stories) == len(set(stories))
    assert len({h["story"] for h in every["hits"]}) < len(every["hits"])  # the plain list repeats some
    also = shared_story["also"]
    assert all(v["id"] != shared_story["id"] and {"source", "date", "title", "url", "first"} <= v.keys() for v in also)
    assert len(also) == shared_story["story_size"] - 1


def test_the_results_page_groups_by_default_and_toggles_to_every_article(client, shared_story):
    page = client.get("/search").get_data(as_text=True)
    assert "عرض كل المقالات" in page and 'href="/search?stories=all"' in page
    assert re.search(
        r"<strong>([\d,]+ مقالة|\d+ مقالات|مقالتان|مقالة واحدة)</strong> في "
        r"<strong class=\"stories\">([\d,]+ قصة|\d+ قصص|قصتان|قصة واحدة)</strong>",
        page,
    )
    every = client.get("/search?stories=all").get_data(as_text=True)
    assert "تجميع القصص المكررة" in every and '<details class="also"' not in every
    grouped = client.get("/search?stories=group&size=200").get_data(as_text=True)
    assert grouped.count('<details class="also"') >= 1 and "نشرته أيضًا" in grouped


def test_the_grouped_pager_ends_at_the_last_page_of_stories(client):
    """Pages of the grouped view hold stories: the pager must not run on to the article count's
    pages, which would be empty."""
    counts = get_json(client, "/api/search?size=1&stories=group")
    stories, articles = counts["stories"], counts["total"]
    # a page size where the stories need fewer pages than the articles would
    size = next(s for s in range(200, 9, -1) if -(-stories // s) < -(-articles // s))
    last = -(-stories // size)
    page = client.get(f"/search?size={size}&page={last}").get_data(as_text=True)
    assert '<li class="hit">' in page and 'rel="next"' not in page
    assert get_json(client, f"/api/search?size={size}&stories=group&page={last}")["hits"]
    assert not get_json(client, f"/api/search?size={size}&stories=group&page={last + 1}")["hits"]


@pytest.mark.parametrize("q", ["", "السعودية", "الرياض -الهلال"])
def test_the_count_of_stories_is_the_number_of_distinct_stories(client, q):
    """«N articles in M stories»: M counted, not estimated, at these sizes (an estimate was 1-2 %
    off either way)."""
    grouped = get_json(client, f"/api/search?stories=group&size=1&q={q}")
    stories: set[str] = set()
    for page in range(1, -(-grouped["total"] // 200) + 1):
        hits = get_json(client, f"/api/search?stories=all&size=200&page={page}&q={q}")["hits"]
        stories.update(h["story"] for h in hits)
    assert grouped["stories"] == len(stories) > 0


def test_story_counts_take_the_noun_arabic_wants():
    assert [stories_ar(n) for n in (1, 2, 3, 10, 11, 1047)] == [
        "قصة واحدة",
        "قصتان",
        "3 قصص",
        "10 قصص",
        "11 قصة",
        "1,047 قصة",
    ]
    assert [others_ar(n) for n in (1, 2, 3, 14)] == ["مقالة أخرى", "مقالتان أخريان", "3 مقالات أخرى", "14 مقالة أخرى"]


def test_a_bad_toggle_value_is_a_note_not_an_error(client):
    response = client.get("/search?stories=%3Cb%3E")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "ignored stories=" in text and "<b>" not in text


def test_exports_keep_every_article(client):
    rows = list(
        csv.reader(
            io.StringIO(client.get("/search.csv?size=200&stories=group").get_data(as_text=True).lstrip("\ufeff"))
        )
    )
    every = get_json(client, "/api/search?size=200")
    assert [r[0] for r in rows[1:]] == [h["id"] for h in every["hits"]]


def test_the_article_api_gives_its_story_coverage_and_related_articles(client, shared_story):
    data = get_json(client, f"/api/doc/{shared_story['id']}")
    assert data["id"] == shared_story["id"] and data["story"] == shared_story["story"]
    assert data["story_size"] == shared_story["story_size"]
    others = {v["id"] for v in data["other_coverage"]}
    assert others == {v["id"] for v in shared_story["also"]} and data["id"] not in others
    dates = [v["date"] for v in data["other_coverage"] if v["date"]]
    assert dates == sorted(dates)
    all_dates = dates + ([data["date"]] if data["date"] else [])
    if len(set(all_dates)) > 1:  # the earliest is marked when some came later
        earliest = min(all_dates)
        marked = [v["date"] for v in data["other_coverage"] if v["first"]]
        assert set(marked) <= {earliest} and (marked or data["first_published"])
    assert 1 <= len(data["related"]) <= 5
    assert all(r["id"] not in others | {data["id"]} for r in data["related"])
    assert client.get("/api/doc/no-such-article").status_code == 404


def test_the_article_page_lists_the_other_coverage(client, shared_story):
    page = client.get(f"/doc/{shared_story['id']}").get_data(as_text=True)
    assert 'id="coverage"' in page and "التغطيات الأخرى لهذه القصة" in page
    for version in shared_story["also"]:
        assert f'/doc/{version["id"]}"' in page
    assert "هذا المقال" in page
    assert 'id="related"' in page


def test_a_grouped_page_past_the_grouping_says_so(client):
    """A page number past what grouping reaches (a hand-edited URL) explains its empty list."""
    html = client.get("/search?page=500&size=200").get_data(as_text=True)
    assert '<li class="hit">' not in html and "بعد آخر ما يبلغه التجميع" in html
