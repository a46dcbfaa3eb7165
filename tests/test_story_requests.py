"""Stories on Elasticsearch without a server: the collapse, the story lookups and counts the engine
sends, checked against index_config/mappings.json, and its use of the client through the recording
fake node of tests/test_es_requests.py."""

from __future__ import annotations

import base64

from search.engines.es_requests import (
    STORY_TOTAL_AGG,
    build_search_body,
    bulk_actions,
    hit_doc,
    parse_story_total,
    story_docs_body,
    term_counts_body,
)
from search.stories import story_key
from test_es_requests import PROPS, body_of, live_cluster, open_engine, req, sample_doc


def test_story_fields_are_mapped_for_what_they_do():
    assert PROPS["story"]["type"] == "keyword" and PROPS["story"].get("doc_values", True)  # collapse, counts
    assert PROPS["story_band"] == {"type": "keyword", "doc_values": False}  # lookups only
    assert PROPS["story_lead"]["type"] == "keyword" and PROPS["story_lead"].get("doc_values", True)
    assert PROPS["story_sketch"]["type"] == "binary"  # read back, never searched


def test_a_grouped_search_collapses_on_the_story_and_counts_stories():
    body = body_of("النفط", collapse=True, facets=("source",), filters=(("source", ("عكاظ",)),))
    assert body["collapse"] == {"field": "story"}
    total = body["aggs"][STORY_TOTAL_AGG]
    assert total["filter"] == body["post_filter"]  # the stories of the hits shown, selections included
    assert total["aggs"]["count"]["cardinality"]["field"] == "story"
    assert "source" in body["aggs"]  # facets still count articles
    assert parse_story_total(req("النفط", collapse=True), {STORY_TOTAL_AGG: {"count": {"value": 7}}}) == 7


def test_every_article_unless_grouped_and_never_in_an_export_walk():
    assert "collapse" not in body_of("النفط")
    assert parse_story_total(req("النفط"), {}) is None
    deep = build_search_body(req("النفط", collapse=True), search_after=[1.0, "a"], page_size=100)
    assert "collapse" not in deep and "aggs" not in deep


def test_story_lookups_and_counts():
    lookup = story_docs_body("story_band", ["0a00000001", "0100000002", "0a00000001"], 50, sketches=True)
    assert lookup["query"] == {"bool": {"filter": [{"terms": {"story_band": ["0100000002", "0a00000001"]}}]}}
    assert lookup["size"] == 50 and lookup["_source"] == {"includes": ["id", "story", "story_sketch"]}
    counts = term_counts_body("story", ["k2", "k1"])
    assert counts["size"] == 0 and counts["query"]["bool"]["filter"] == [{"terms": {"story": ["k1", "k2"]}}]
    assert counts["aggs"]["counts"]["terms"] == {"field": "story", "include": ["k1", "k2"], "size": 2}


def test_the_sketch_travels_as_base64_and_comes_back_as_bytes():
    doc = sample_doc()
    (action,) = bulk_actions([doc], "i")
    source = action["_source"]
    assert base64.b64decode(source["story_sketch"]) == doc["story_sketch"]
    assert source["story"] == doc["story"] and source["story_band"] == doc["story_band"]
    back = hit_doc({"id": doc["id"], "story": doc["story"], "story_sketch": source["story_sketch"]})
    assert back["story_sketch"] == doc["story_sketch"]
    assert "story_sketch" not in hit_doc({"id": "x", "story": "k"})  # ordinary hits stay light


def test_the_engine_asks_the_cluster_for_stories():
    cluster = live_cluster()
    key = story_key("a1")
    cluster.route(
        "POST",
        "/arshif/_search",
        lambda q, b: (
            200,
            {
                "hits": {
                    "total": {"value": 2},
                    "hits": [{"_id": i, "_source": {"id": i, "title": i, "story": key}} for i in ("a1", "a2")],
                },
                "aggregations": {
                    "counts": {"buckets": [{"key": key, "doc_count": 2}, {"key": "قصير", "doc_count": 9}]}
                },
            },
        ),
    )
    engine = open_engine(cluster)
    assert [d["id"] for d in engine.story_docs("story", [key])] == ["a1", "a2"]
    assert engine.story_sizes([key]) == {key: 2, "قصير": 9}
    assert engine.doc_freqs("story_lead", ["قصير", "نادر"]) == {"قصير": 9, "نادر": 0}
    sent = [r["body"] for r in cluster.requests if r["path"] == "/arshif/_search"]
    assert sent[0] == story_docs_body("story", [key], 1000, sketches=False)
    assert sent[1] == term_counts_body("story", [key]) and sent[2] == term_counts_body("story_lead", ["قصير", "نادر"])


def test_a_grouped_search_reads_the_story_count():
    cluster = live_cluster()
    cluster.route(
        "POST",
        "/arshif/_search",
        lambda q, b: (
            200,
            {
                "hits": {
                    "total": {"value": 5},
                    "hits": [{"_id": "a1", "_score": 1.0, "_source": {"id": "a1", "story": "k"}}],
                },
                "aggregations": {STORY_TOTAL_AGG: {"doc_count": 5, "count": {"value": 3}}},
            },
        ),
    )
    result = open_engine(cluster).search(req("نفط", collapse=True))
    assert result.total == 5 and result.stories == 3 and result.hits[0].doc["story"] == "k"
    assert cluster.requests[-1]["body"]["collapse"] == {"field": "story"}
