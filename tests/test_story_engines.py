"""Stories in every engine: grouping a result list by story and the lookups story detection uses.

Runs on the embedded engine always, and on Elasticsearch when ARSHIF_ES_URL is set (the `engine`
fixture of tests/engines.py, whose twelve articles are reused here).
"""

from __future__ import annotations

import pytest

from engines import BY_DATE, documents, ids, search
from search.stories import StoryAssigner, story_key

# a01, a08 and a10 are given one story (as if they were versions of one news item); a02 another
SHARED, OTHER = story_key("a01"), story_key("a02")
GROUPS = {"a01": SHARED, "a08": SHARED, "a10": SHARED, "a02": OTHER, "a05": OTHER}


@pytest.fixture
def storied(engine):
    docs = [dict(d, story=GROUPS.get(d["id"], d["story"])) for d in documents()]
    assert engine.upsert(docs) == []
    engine.commit()
    return engine


def first_of_each_story(result) -> list[str]:
    firsts, seen = [], set()
    for hit in result.hits:
        if hit.doc["story"] not in seen:
            seen.add(hit.doc["story"])
            firsts.append(hit.id)
    return firsts


def test_a_grouped_list_shows_each_story_once_in_order(storied):
    every = search(storied, size=50)
    grouped = search(storied, size=50, collapse=True)
    assert grouped.total == every.total == 12 and grouped.stories == 12 - 3
    assert ids(grouped) == first_of_each_story(every)
    assert every.stories is None


def test_grouped_pages_follow_each_other(storied):
    pages = [search(storied, size=4, offset=offset, collapse=True) for offset in (0, 4, 8)]
    shown = [h.id for p in pages for h in p.hits]
    assert len(shown) == 9 and len({h.doc["story"] for p in pages for h in p.hits}) == 9


def test_a_query_groups_its_matches(storied):
    every = search(storied, "المفاوضات")  # a01 and a08 (one story), a12 (its own)
    result = search(storied, "المفاوضات", collapse=True)
    assert every.total == result.total == 3 and result.stories == 2
    assert ids(result) == first_of_each_story(every)


def test_story_lookups(storied):
    assert {d["id"] for d in storied.story_docs("story", [SHARED])} == {"a01", "a08", "a10"}
    rows = storied.story_docs("story", [SHARED, OTHER], sketches=True)
    assert {r["id"] for r in rows} == {"a01", "a08", "a10", "a02", "a05"}
    assert all(r["story_sketch"] for r in rows)
    band = [d for d in documents() if d["id"] == rows[0]["id"]][0]["story_band"][0]
    assert rows[0]["id"] in {d["id"] for d in storied.story_docs("story_band", [band], sketches=True)}
    assert storied.story_sizes([SHARED, OTHER, story_key("a03")]) == {SHARED: 3, OTHER: 2, story_key("a03"): 1}
    counts = storied.doc_freqs("story_lead", ["المفاوضات", "الطلاب", "غير-موجودة"])
    assert counts == {"المفاوضات": 2, "الطلاب": 1, "غير-موجودة": 0}
    assert BY_DATE  # the suite's articles are the ones expected here


def test_an_article_indexed_later_joins_its_story_through_the_engine(engine):
    from test_stories import UNRELATED, WIRE, WIRE_EDITED, doc

    first = [doc("w1", WIRE), doc("x1", UNRELATED)]
    StoryAssigner(engine).assign(first)  # a first run
    assert engine.upsert(first) == []
    engine.commit()
    later = [doc("w2", WIRE_EDITED, date="2020-05-05", source="صحيفة ب"), doc("x2", UNRELATED + " وأكثر")]
    StoryAssigner(engine).assign(later)  # a later run: its candidates come from the engine
    assert later[0]["story"] == story_key("w1")
    assert later[1]["story"] == story_key("x1")
