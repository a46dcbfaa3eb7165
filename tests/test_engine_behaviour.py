"""One behaviour suite for every engine: the same searches must give the same hits.

The embedded engine (tantivy) is always tested. Elasticsearch is tested when ARSHIF_ES_URL points
at a node: `make test-es` starts a real one (scripts/es_node.py) and lets none of these skip. Any
cluster will do (with ARSHIF_ES_API_KEY or ARSHIF_ES_USERNAME/ARSHIF_ES_PASSWORD and
ARSHIF_ES_CA_CERTS as needed); each run uses a throwaway alias `arshif-test-<random>` and deletes
its indices afterwards.

The `engine` fixture and its twelve articles (short sentences written for these tests, not corpus
text; every date different, one undated) are in tests/engines.py.
"""

from __future__ import annotations

import pytest

from engines import ALL_IDS, ARTICLES, BY_DATE, UNDATED, article, extractor, ids, idset, open_tantivy, search
from search.document import build_document
from search.engines.base import SearchRequest
from search.model import Article
from search.query.parser import parse

# --- text search ---------------------------------------------------------------------------------


def test_short_query_needs_every_word(engine):
    assert idset(search(engine, "الانتخابات البرلمانية")) == {"a02", "a03"}
    result = search(engine, "الانتخابات تونس")
    assert ids(result) == ["a02"] and result.total == 1


def test_stem_matches_inflected_forms_and_exact_form_ranks_first(engine):
    result = search(engine, "المفاوضون")  # stem مفاوض: المفاوضات, المفاوضون
    assert idset(result) == {"a01", "a08", "a12"}
    assert ids(result)[0] == "a12"  # the exact form, in title and body


def test_phrase_needs_adjacent_words(engine):
    assert idset(search(engine, "وزير الخارجية")) == {"a01", "a08", "a10"}  # both words, anywhere
    assert idset(search(engine, '"وزير الخارجية"')) == {"a01", "a08"}  # next to each other
    assert idset(search(engine, "«وزير الخارجية»")) == {"a01", "a08"}


def test_or(engine):
    assert idset(search(engine, "زلزال OR فيضانات")) == {"a06", "a07"}


def test_excluded_word(engine):
    assert ids(search(engine, "الانتخابات -تونس")) == ["a03"]
    assert ids(search(engine, 'الانتخابات -"في مصر"')) == ["a02"]


def test_title_field(engine):
    assert idset(search(engine, "المفاوضات")) == {"a01", "a08", "a12"}
    assert idset(search(engine, "title:المفاوضات")) == {"a01", "a12"}  # a08 has it in its body only


def test_stopwords_only_rank(engine):
    assert ids(search(engine, "في الدوحة")) == ["a01"]


def test_long_query_matches_most_words_not_all(engine):
    query = "أسعار النفط ترتفع مع تراجع السياحة في مصر"  # 6 content words: at least 2 must match
    parsed = parse(query)
    assert parsed.should and parsed.minimum_should_match == 2
    result = search(engine, query)
    assert idset(result) == {"a04", "a05"}  # a04: أسعار النفط; a05: تراجع السياحة (+ المصري)
    assert "a03" not in idset(result)  # only مصر: one word is not enough


def test_expansion_terms_reorder_but_never_add_hits(engine):
    plain = search(engine, "الانتخابات")
    expanded = search(engine, "الانتخابات", expansion=(("مصر", 3.0), ("نفط", 3.0)))
    assert idset(plain) == idset(expanded) == {"a02", "a03"}
    assert expanded.total == plain.total == 2
    assert ids(expanded)[0] == "a03"  # the one that mentions مصر
    assert "a04" not in idset(expanded)  # نفط alone does not make a hit


def test_only_exclusions_browse_everything_else(engine):
    result = search(engine, "-تونس")
    assert idset(result) == ALL_IDS - {"a02"}


# --- facets --------------------------------------------------------------------------------------


def counts(result, facet) -> dict[str, int]:
    return dict(result.facets[facet])


def test_facet_counts_when_browsing(engine):
    result = search(engine, facets=("country", "source", "year"))
    assert result.total == 12
    assert counts(result, "country") == {"QA": 3, "US": 3, "EG": 2, "JO": 2, "TN": 1, "SA": 1, "TR": 1, "PK": 1}
    assert counts(result, "source") == {"الصباح": 4, "المساء": 4, "الأفق": 4}
    assert counts(result, "year") == {"2020": 3, "2021": 3, "2022": 3, "2023": 2}
    assert result.facets["country"][:2] == [("QA", 3), ("US", 3)]  # by count, then key


def test_size_zero_gives_counts_and_facets_without_hits(engine):
    """`arshif entities --top` asks for facets only."""
    for q in (None, "تونس"):
        result = search(engine, q, size=0, facets=("country",))
        assert result.hits == [] and result.total == search(engine, q).total > 0
        assert result.facets["country"]


def test_multi_select_facets(engine):
    facets = ("country", "source")
    result = search(engine, filters=(("country", ("EG",)),), facets=facets)
    assert idset(result) == {"a03", "a05"}
    # the country counts ignore the country selection (so other countries can be added) ...
    assert counts(result, "country")["QA"] == 3 and counts(result, "country")["EG"] == 2
    # ... while the other facets count within it
    assert counts(result, "source") == {"المساء": 1, "الصباح": 1}

    result = search(engine, filters=(("country", ("EG", "TN")),), facets=facets)  # OR within a facet
    assert idset(result) == {"a02", "a03", "a05"}

    result = search(engine, filters=(("country", ("EG",)), ("source", ("الصباح",))), facets=facets)
    assert ids(result) == ["a05"]  # AND across facets
    assert counts(result, "country") == {"US": 2, "QA": 1, "TN": 1, "EG": 1}  # within source=الصباح
    assert counts(result, "source") == {"المساء": 1, "الصباح": 1}  # within country=EG


def test_facets_follow_the_query(engine):
    result = search(engine, "المفاوضات", facets=("country", "person"))
    assert counts(result, "country") == {"QA": 2, "US": 2, "JO": 1}
    assert counts(result, "person") == {"khalid-nasser": 2}


def test_excluded_facet_value(engine):
    result = search(engine, excludes=(("country", ("QA",)),), facets=("country",))
    assert result.total == 9
    assert idset(result) == ALL_IDS - {"a01", "a08", "a09"}
    # the excluded value's own row says how many documents it would bring back
    everything = counts(search(engine, facets=("country",)), "country")
    assert counts(result, "country") == everything and counts(result, "country")["QA"] == 3


def test_entity_filters(engine):
    assert idset(search(engine, filters=(("country", ("QA",)),))) == {"a01", "a08", "a09"}
    assert idset(search(engine, filters=(("person", ("khalid-nasser",)),))) == {"a01", "a08"}
    assert idset(search(engine, filters=(("org", ("un",)),))) == {"a01", "a10"}
    assert idset(search(engine, "الخارجية", filters=(("org", ("un",)),))) == {"a01", "a10"}


# --- dates, sort, paging -------------------------------------------------------------------------


def test_date_range(engine):
    result = search(engine, date_from="2021-01-01", date_to="2021-12-31", facets=("year",))
    assert idset(result) == {"a04", "a05", "a06"}
    assert counts(result, "year") == {"2021": 3}
    assert ids(search(engine, date_from="2023-03-14")) == ["a11", "a10"]  # inclusive bounds
    assert ids(search(engine, date_to="2020-01-15")) == ["a01"]


def test_sort_newest_and_oldest_put_undated_last(engine):
    newest = ids(search(engine, sort="newest"))
    oldest = ids(search(engine, sort="oldest"))
    assert newest == list(reversed(BY_DATE)) + [UNDATED]
    assert oldest == BY_DATE + [UNDATED]
    assert ids(search(engine, "المفاوضات", sort="newest")) == ["a08", "a01", "a12"]
    assert ids(search(engine, "المفاوضات", sort="oldest")) == ["a01", "a08", "a12"]


def test_browsing_with_relevance_sort_is_newest_first(engine):
    assert ids(search(engine, sort="relevance")) == ids(search(engine, sort="newest"))


def test_paging_is_stable_and_never_overlaps(engine):
    everything = ids(search(engine, size=12))
    pages = [ids(search(engine, offset=offset, size=5)) for offset in (0, 5, 10)]
    assert [len(p) for p in pages] == [5, 5, 2]
    assert sum(pages, []) == everything
    assert len(set(everything)) == 12
    assert ids(search(engine, offset=5, size=5)) == pages[1]  # the same page twice
    assert search(engine, offset=5, size=5).total == 12
    assert ids(search(engine, offset=20, size=5)) == []


# --- writing -------------------------------------------------------------------------------------


def test_upsert_replaces_a_document(engine):
    assert engine.count() == 12
    changed = build_document(article(ARTICLES[8], title="المنتخب يتأهل إلى النهائي"), extractor)
    assert engine.upsert([changed]) == []
    engine.commit()
    assert engine.count() == 12  # replaced, not added
    assert ids(search(engine, "النهائي")) == ["a09"]
    assert ids(search(engine, "title:الافتتاحية")) == []
    assert engine.get("a09")["title"] == "المنتخب يتأهل إلى النهائي"
    assert search(engine, filters=(("country", ("QA",)),)).total == 3


def test_delete(engine):
    engine.delete(["a07", "does-not-exist"])
    engine.commit()
    assert engine.count() == 11
    assert ids(search(engine, "فيضانات")) == []
    assert engine.get("a07") is None
    assert "PK" not in counts(search(engine, facets=("country",)), "country")


def test_get(engine):
    doc = engine.get("a04")
    assert doc["id"] == "a04"
    assert doc["title"] == "ارتفاع أسعار النفط"  # the original text, untouched
    assert doc["date"] == "2021-02-11" and doc["source"] == "المساء"
    assert doc["country"] == ["SA"] and doc["org"] == ["opec"] and doc["person"] == []
    assert doc["url"] == "https://example.org/a04"
    assert "body_stem" not in doc and "title_exact" not in doc
    assert engine.get("nope") is None
    assert engine.get(UNDATED)["date"] is None


def test_hits_carry_the_stored_document(engine):
    hit = search(engine, "زلزال").hits[0]
    assert hit.id == "a06" and hit.doc["title"] == "زلزال قوي يضرب جنوب تركيا"
    assert hit.score is not None and hit.score > 0
    assert search(engine, sort="newest").hits[0].score is None


def test_existing_hashes(engine):
    expected = build_document(article(ARTICLES[0]), extractor)["hash"]
    assert engine.existing_hashes(["a01", "nope"]) == {"a01": expected}
    assert engine.existing_hashes([]) == {}


def test_feedback_terms(engine):
    terms = engine.feedback_terms("a04")
    assert terms["نفط"] == (2, 1)  # title + body; one body has it
    assert terms["اسعار"] == (2, 1)
    assert terms["ارتفاع"] == (1, 0)  # title only: no body has this stem
    assert engine.feedback_terms("nope") == {}


def test_entity_labels_are_merged_and_kept(engine):
    engine.save_entity_labels({"person:khalid-nasser": "خالد ناصر", "org:un": "الأمم المتحدة"})
    engine.save_entity_labels({"org:un": "منظمة الأمم المتحدة"})
    labels = engine.entity_labels()
    assert labels["person:khalid-nasser"] == "خالد ناصر" and labels["org:un"] == "منظمة الأمم المتحدة"


def test_health(engine):
    health = engine.health()
    assert health["ok"] is True and health["docs"] == 12 and health["engine"] == engine.name


def test_same_document_twice_in_one_batch_keeps_the_last(engine):
    first = build_document(article(ARTICLES[0], title="عنوان أول"), extractor)
    second = build_document(article(ARTICLES[0], title="عنوان ثان"), extractor)
    assert engine.upsert([first, second]) == []
    engine.commit()
    assert engine.count() == 12
    assert engine.get("a01")["title"] == "عنوان ثان"


def crowded_document(doc_id: str) -> dict:
    """One article naming 40,000 people and 40,000 organizations: together over the 65,000
    buckets one tantivy aggregation may hold, each alone under it."""
    many = {
        "country": [],
        "person": [f"p{i}" for i in range(40_000)],
        "org": [f"o{i}" for i in range(40_000)],
        "mentions": [],
    }
    return build_document(article(ARTICLES[1], id=doc_id), lambda a: many)


def test_top_entities_beyond_one_aggregations_bucket_limit(engine):
    """`arshif entities --top N` with N above the whole archive's count of values: 40,000 people
    and 40,000 organizations (together over the 65,000 buckets one tantivy aggregation may hold)
    are all listed, one facet at a time."""
    import io

    from search.entities.cli import print_top

    assert engine.upsert([crowded_document("crowd")]) == []
    engine.commit()
    out = io.StringIO()
    assert print_top(engine, 100_000, out) == 0
    rows = out.getvalue().splitlines()
    assert sum("\tperson:" in r for r in rows) == 40_001  # and khalid-nasser
    assert sum("\torg:" in r for r in rows) == 40_003  # and un, opec, red-crescent


def test_too_many_facet_values_at_once_is_a_clear_engine_error(tmp_path, monkeypatch):
    from search.engines.base import EngineError

    engine, close = open_tantivy(tmp_path, monkeypatch)
    try:
        engine.upsert([crowded_document("crowd")])
        engine.commit()
        with pytest.raises(EngineError, match="facet values"):
            engine.search(SearchRequest(size=0, facets=("person", "org"), facet_size=100_000))
    finally:
        close()


# --- query understanding ---------------------------------------------------------------------------


def test_words_standing_together_rank_first_without_quotes(engine):
    """a10 is shorter, but there «وزير» and «الخارجية» are far apart: the two articles where they
    stand together come first, as if the name had been quoted."""
    result = search(engine, "وزير الخارجية")
    assert idset(result) == {"a01", "a08", "a10"}  # proximity ranks, it never filters
    assert ids(result)[-1] == "a10"


def test_a_question_finds_the_passage_that_lacks_one_of_its_words(engine):
    result = search(engine, "ما موعد الانتخابات البرلمانية في تونس؟")
    assert {"a02", "a03"} <= idset(result)  # neither holds every word
    assert ids(result)[0] in {"a02", "a03"}


def test_few_matches_of_every_word_come_with_partial_matches_marked(engine):
    from search.query.state import SearchState
    from search.web.results import run_search

    results = run_search(engine, SearchState(q="الانتخابات البرلمانية تونس مصر"), with_facets=False)
    assert results.total == 0 and not results.hits  # the count stays that of all the words
    missing = {hit.id: hit.missing for hit in results.partial}
    assert missing == {
        "a02": ["مصر"],
        "a03": ["تونس"],  # three words of four, each marked
        "a05": ["الانتخابات", "البرلمانية", "تونس"],
    }  # «المصري»: one word of four
    assert [hit.id for hit in results.partial][-1] == "a05"  # those lacking fewer words first
    assert results.partial_total == 3
    # an article holding every word comes first and is not repeated among the partial ones
    results = run_search(engine, SearchState(q="الانتخابات تونس"), with_facets=False)
    assert [h.id for h in results.hits] == ["a02"] and [h.id for h in results.partial] == ["a03"]
    assert results.partial[0].missing == ["تونس"]


def test_feedback_only_from_a_first_hit_that_holds_most_of_the_pasted_text(engine):
    from search.query.feedback import with_feedback

    def request(q):
        return SearchRequest(query=parse(q), size=10, sort="relevance")

    # a04 holds every word of its own sentence: its terms join the ranking
    assert with_feedback(engine, request("ارتفعت أسعار النفط في الأسواق العالمية بعد قرار خفض الإنتاج")).expansion
    # the best hit holds two or three of six words: feeding back from it would add noise
    assert not with_feedback(engine, request("أسعار النفط ترتفع مع تراجع السياحة في مصر")).expansion
    # a question wants the passage that answers it, not more like the first hit
    assert not with_feedback(engine, request("لماذا ارتفعت أسعار النفط في الأسواق العالمية؟")).expansion


def test_a_name_ranks_the_articles_tagged_with_it_first(engine):
    """a01 and a08 name the minister (tagged khalid-nasser): a query carrying that key as a name
    ranks them above the articles that only share its words, and adds nothing."""
    from dataclasses import replace as with_

    def search_as_name(q):
        parsed = with_(parse(q), entities=(("person", "khalid-nasser"),))
        return engine.search(SearchRequest(query=parsed, size=10, sort="relevance"))

    assert ids(search_as_name("جولة")) == ["a01", "a12"]  # a12 alone would rank first
    assert ids(search_as_name("وزير")) == ["a08", "a01", "a10"]  # a10 names another minister


def test_facet_counts_are_exact_when_a_value_is_rare_in_one_segment(engine):
    """Each commit writes a segment, and tantivy keeps only each segment's most frequent values:
    «x», one of 30 values in one segment and the only one of the next, was counted 5 for 6 —
    and choosing it would then have given 6 hits for a facet that said 5."""

    def doc(i, people):
        return build_document(
            Article(id=f"s{i:03d}", title="خبر قصير", body="نص خبر قصير", date="2019-05-05", source="الصباح"),
            lambda a: {"person": people, "mentions": []},
        )

    assert engine.upsert([doc(i, [f"p{i:02d}"] + (["x"] if i == 29 else [])) for i in range(30)]) == []
    engine.commit()
    assert engine.upsert([doc(100 + i, ["x"]) for i in range(5)]) == []
    engine.commit()
    result = engine.search(SearchRequest(facets=("person",), facet_size=1, size=0, sort="newest"))
    assert result.facets["person"] == [("x", 6)]
    assert search(engine, None, filters=(("person", ("x",)),)).total == 6


# --- the whole result set (export) ----------------------------------------------------------------


@pytest.mark.parametrize(
    "q, kwargs",
    [
        (None, {"sort": "newest"}),
        (None, {"sort": "oldest"}),
        ("المفاوضات", {}),
        ("الانتخابات OR النفط", {}),
        (None, {"filters": (("country", ("QA", "US")),), "sort": "oldest"}),
        (None, {"excludes": (("country", ("JO",)),), "date_from": "2021-01-01"}),
    ],
)
def test_iter_all_walks_every_hit_once_in_the_search_order(engine, q, kwargs):
    """Small pages (2 hits) cross every page boundary: the walk is the pages of `search`, joined."""
    paged = ids(search(engine, q, **kwargs))
    request = SearchRequest(
        query=parse(q) if q else None,
        sort=kwargs.pop("sort", "relevance" if q else "newest"),
        offset=3,
        size=1,
        **kwargs,
    )  # offset and size are ignored
    walked = [hit.id for hit in engine.iter_all(request, page_size=2)]
    assert walked == paged and len(set(walked)) == len(walked) > 0
    assert all(hit.doc["id"] == hit.id and hit.doc.get("title") for hit in engine.iter_all(request, page_size=2))
