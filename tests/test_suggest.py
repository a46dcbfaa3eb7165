"""Entities from the search box, without a corpus: a small fake engine with labels and counts."""

from __future__ import annotations

import pytest

from search.engines.base import SearchResult
from search.entities.canonical import entity_key
from search.entities.countries import country_keys_named, search_country_keys
from search.query.state import SearchState
from search.web import suggest as S

PEOPLE = {
    "جون آلن": 3,
    "جون ألين": 1,
    "جون كيري": 240,
    "سعود كريري": 60,
    "أحمد كرار": 2,
    "باراك أوباما": 480,
    "محمد بن سلمان": 570,
}
ORGS = {"داعش": 1900, "اتحاد الكرة": 160}


class FakeEngine:
    """Labels and per-entity counts, answering the two kinds of search suggest makes."""

    def __init__(self):
        self.labels = {f"person:{entity_key(n, 'person')}": n for n in PEOPLE}
        self.labels.update({f"org:{entity_key(n, 'org')}": n for n in ORGS})
        self.counts = {("person", entity_key(n, "person")): c for n, c in PEOPLE.items()}
        self.counts.update({("org", entity_key(n, "org")): c for n, c in ORGS.items()})
        self.counts[("country", "KW")] = 1047
        self.searches = 0
        self.articles = 5000

    def count(self):
        return self.articles

    def entity_labels(self):
        return self.labels

    def search(self, request):
        self.searches += 1
        if request.facets:  # the ranking's aggregation
            name = request.facets[0]
            return SearchResult(0, [], {name: [(k, c) for (f, k), c in self.counts.items() if f == name]})
        (facet, keys), *_ = request.filters
        return SearchResult(self.counts.get((facet, keys[0]), 0) // (2 if request.date_from else 1), [])


@pytest.fixture
def engine():
    S._cache.clear()
    S._counts.clear()
    return FakeEngine()


def offered(engine, text, **kwargs):
    return [(s.facet, s.label, s.count) for s in S.suggest(engine, SearchState(), text, **kwargs)]


@pytest.mark.parametrize("text", ["Kuwait", "kuwait", "الكويت", "كويت", "كويتي", "KW", "دولة الكويت"])
def test_a_country_named_in_any_script(text):
    assert country_keys_named(text) == ["KW"] and search_country_keys(text)[0] == "KW"
    assert country_keys_named("Kuw") == [] and "KW" in search_country_keys("Kuw")


def test_names_in_english_and_other_spellings(engine):
    assert offered(engine, "John Allen", exact_only=True)[:2] == [("person", "جون آلن", 3), ("person", "جون ألين", 1)]
    assert offered(engine, "جون آلان", exact_only=True) == [("person", "جون آلن", 3)]  # the canonical key
    assert offered(engine, "وزير الخارجية جون كيري", exact_only=True) == [("person", "جون كيري", 240)]  # a title
    assert offered(engine, "ISIS", exact_only=True) == [("org", "داعش", 1900)]  # an editors' alias
    assert offered(engine, "Obama")[0] == ("person", "باراك أوباما", 480)  # a last name
    assert offered(engine, "Kuwait", exact_only=True) == [("country", "الكويت", 1047)]


def test_sound_alikes_near_the_best_one_only(engine):
    kerry = offered(engine, "Kerry")
    assert kerry[:2] == [("person", "جون كيري", 240), ("person", "سعود كريري", 60)]
    assert ("person", "أحمد كرار", 2) not in kerry  # under a tenth of 240
    assert ("org", "اتحاد الكرة", 160) not in kerry  # organizations: first words only


def test_as_you_type_and_exact_only(engine):
    assert ("person", "جون كيري", 240) in offered(engine, "جون")  # a prefix, as you type
    assert offered(engine, "جون", exact_only=True) == []  # not on the results page
    assert offered(engine, "وزارة", exact_only=True) == []  # no Arabic sound-alike


def test_counts_follow_the_filters(engine):
    blank = S.suggest(engine, SearchState(), "داعش")[0]
    engine.searches = 0
    again = S.suggest(engine, SearchState(), "داعش")[0]
    assert engine.searches == 0 and again.count == blank.count == 1900  # the index's count, known
    dated = S.suggest(engine, SearchState.from_args({"from": ["2015"], "q": ["x"]}), "داعش")[0]
    assert dated.count == 950 and dated.url.startswith("/search?from=2015-01-01&org=")  # q dropped


def test_blank_counts_follow_an_index_run_that_adds_articles(engine, monkeypatch):
    monkeypatch.setattr(S, "RECOUNT_AFTER", 0.0)  # look at the article count every time
    assert S.suggest(engine, SearchState(), "داعش")[0].count == 1900
    engine.counts[("org", entity_key("داعش", "org"))] = 1950  # 50 more articles name it
    engine.counts[("country", "KW")] = 1050
    engine.articles += 50  # the labels are the same
    assert S.suggest(engine, SearchState(), "داعش")[0].count == 1950
    assert S.suggest(engine, SearchState(), "الكويت")[0].count == 1050


def test_the_name_index_is_kept_while_the_labels_are_equal(engine, monkeypatch):
    monkeypatch.setattr(S, "RECOUNT_AFTER", 0.0)
    first = S.name_index(engine)
    engine.labels = dict(engine.labels)  # read again: another object, the same labels
    assert S.name_index(engine) is first and S._cache[id(engine)][0] is engine.labels
    engine.articles += 1  # recounted, not rebuilt
    assert S.name_index(engine) is first
    engine.labels = {**engine.labels, "person:new": "اسم جديد"}
    engine.counts[("person", "new")] = 1
    assert S.name_index(engine) is not first


def test_the_article_count_is_asked_at_most_every_few_seconds(engine):
    """On Elasticsearch the count is a request: not one per keystroke."""
    asked = []
    engine.count = lambda: asked.append(1) or 5000
    for _ in range(5):
        S.suggest(engine, SearchState(), "داعش")
    assert len(asked) == 1
