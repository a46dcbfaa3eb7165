"""The Elasticsearch engine without a server: the request bodies it builds, checked against
index_config/, and its use of the official client (through a recording fake node), including the
errors a person sees.

What these prove is that the engine sends the intended requests and understands the documented
answers, including errors a real node is hard to make give. A real node answers the same requests
in tests/test_engine_behaviour.py and tests/test_es_cluster.py under `make test-es`.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport._node import NodeApiResponse

from search.config import Settings
from search.engines import elasticsearch_engine as es_module
from search.engines.base import EngineError, SearchRequest
from search.engines.elasticsearch_engine import ElasticsearchEngine, make_client, safe_url
from search.engines.es_requests import (
    DOC_FIELDS,
    RETURNED_FIELDS,
    IndexConfig,
    alias_swap_actions,
    build_facet_aggs,
    build_search_body,
    bulk_actions,
    create_index_body,
)
from search.query import ranking
from search.query.parser import Term, parse
from search.query.ranking import EXACT_BOOST, PHRASE_BOOST, STEM_BOOST
from search.schema import FACETS
from search.stories import story_key

pytestmark = pytest.mark.elasticsearch  # also run by `make test-es` (cheap: no node needed)

ROOT = Path(__file__).resolve().parents[1]
CONFIG_DIR = ROOT / "index_config"
CONFIG = IndexConfig.load(CONFIG_DIR)
PROPS = CONFIG.mappings["properties"]


def req(q: str | None = None, **kwargs) -> SearchRequest:
    kwargs.setdefault("sort", "relevance" if q else "newest")
    return SearchRequest(query=parse(q) if q else None, **kwargs)


def body_of(q=None, **kwargs) -> dict:
    return build_search_body(req(q, **kwargs))


def word_query(word: str, fields=("title", "body")) -> dict:
    """What a single query word must become: exact and stem terms, in each field, with the boosts."""
    term = parse(word).must[0]
    assert isinstance(term, Term)
    parts = []
    for name in fields:
        parts.append({"term": {f"{name}_exact": {"value": term.exact, "boost": EXACT_BOOST[name]}}})
        parts += [{"term": {f"{name}_stem": {"value": s, "boost": STEM_BOOST[name]}}} for s in term.stems]
    if len(parts) == 1:
        return parts[0]
    return {"dis_max": {"queries": parts, "tie_breaker": ranking.TIE_BREAKER}}


def phrase_query(words: str, slop: int = 0, boost: float = 1.0) -> dict:
    """A phrase on the exact fields of title and body (a proximity clause when boosted)."""

    def one(name):
        body = {"query": words, "boost": EXACT_BOOST[name] * PHRASE_BOOST}
        return {"match_phrase": {f"{name}_exact": {**body, **({"slop": slop} if slop else {})}}}

    query = {"bool": {"should": [one("title"), one("body")]}}
    return query if boost == 1.0 else {"bool": {"should": [query], "boost": boost}}


# --- index_config/ -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["settings.json", "mappings.json"])
def test_config_files_are_readable_diffable_json(name):
    text = (CONFIG_DIR / name).read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_comments_never_reach_elasticsearch():
    body = json.dumps(create_index_body(CONFIG, alias="arshif"))
    assert "_comment" not in body
    assert "_comment" in (CONFIG_DIR / "settings.json").read_text()  # but people can read them


def test_index_settings():
    index = CONFIG.settings["index"]
    assert index["number_of_shards"] >= 1 and index["number_of_replicas"] >= 0
    assert index["similarity"]["default"] == {"type": "BM25", "k1": 1.2, "b": 0.75}
    # pre-analyzed tokens: split on whitespace, change nothing. The built-in analyzer, which every
    # Elasticsearch has (a custom one would need the analysis-common module)
    assert {p["analyzer"] for p in PROPS.values() if "analyzer" in p} == {"whitespace"}
    assert "analysis" not in index
    # the web app's deepest page (page 500 x 200 results) must be reachable with from/size
    from search.query.state import MAX_PAGE, MAX_SIZE

    assert index["max_result_window"] >= MAX_PAGE * MAX_SIZE


def test_mappings():
    assert CONFIG.mappings["dynamic"] == "strict"
    assert CONFIG.mapping_version == CONFIG.mappings["_meta"]["mapping_version"]
    for name in ("title_exact", "body_exact"):
        assert PROPS[name]["type"] == "text" and PROPS[name]["index_options"] == "positions"
    for name in ("title_stem", "body_stem"):
        assert PROPS[name]["type"] == "text" and PROPS[name]["index_options"] == "freqs"
    for name in ("title", "body"):  # the original text: stored, shown, never searched
        assert PROPS[name] == {"type": "text", "index": False}
    for name in ("id", "source", "category", "year", "month", "country", "person", "org", "lang", "hash"):
        assert PROPS[name]["type"] == "keyword" and PROPS[name].get("index", True)
    assert PROPS["date"]["type"] == "date"
    assert PROPS["truncated"]["type"] == "boolean"
    assert PROPS["entities"]["index"] is False and PROPS["url"]["index"] is False
    for facet in FACETS:
        assert PROPS[facet.field]["type"] == "keyword"
    assert set(PROPS) == set(DOC_FIELDS)


def test_create_index_body_puts_the_first_version_behind_the_alias():
    body = create_index_body(CONFIG, alias="arshif", shards=3, replicas=0)
    assert body["aliases"] == {"arshif": {}}
    assert body["settings"]["index"]["number_of_shards"] == 3
    assert body["settings"]["index"]["number_of_replicas"] == 0
    assert body["mappings"]["_meta"]["mapping_version"] == CONFIG.mapping_version
    assert "aliases" not in create_index_body(CONFIG)  # a re-index version: no alias yet


# --- queries -------------------------------------------------------------------------------------


def entity_boosts(q: str) -> list[dict]:
    return [
        {"constant_score": {"filter": {"term": {facet: key}}, "boost": ranking.ENTITY_BOOST}}
        for facet, key in parse(q).entities
    ]


def test_short_query_needs_every_word_and_ranks_them_together_first():
    body = body_of("الانتخابات تونس")
    query = body["query"]
    assert query == {
        "bool": {
            "must": [word_query("الانتخابات"), word_query("تونس")],
            "should": [
                phrase_query("الانتخابات تونس", boost=ranking.PROXIMITY_BOOST),
                *entity_boosts("الانتخابات تونس"),
            ],
        }
    }
    clause = query["bool"]["must"][0]["dis_max"]["queries"]
    assert {"term": {"title_exact": {"value": "الانتخابات", "boost": EXACT_BOOST["title"]}}} in clause
    assert {"term": {"body_stem": {"value": "انتخاب", "boost": STEM_BOOST["body"]}}} in clause
    assert body["sort"] == [{"_score": {"order": "desc"}}, {"id": {"order": "asc"}}]


def test_long_query_needs_minimum_should_match():
    q = "ارتفاع أسعار النفط في الأسواق العالمية بعد قرار خفض الإنتاج"
    parsed = parse(q)
    query = body_of(q)["query"]["bool"]
    group = query["must"][0]["bool"]
    assert len(group["should"]) == len(parsed.should) == 8
    assert group["minimum_should_match"] == parsed.minimum_should_match == 2
    # stopwords (في, بعد) only add score
    assert query["should"] == [word_query("في"), word_query("بعد")]
    assert word_query("في") == {
        "dis_max": {
            "tie_breaker": ranking.TIE_BREAKER,
            "queries": [
                {"term": {"title_exact": {"value": "في", "boost": EXACT_BOOST["title"]}}},
                {"term": {"body_exact": {"value": "في", "boost": EXACT_BOOST["body"]}}},
            ],
        }
    }
    assert "match_phrase" not in json.dumps(query)  # no proximity in pasted text (measured)


def test_long_query_with_a_quoted_phrase_ranks_the_phrase_first():
    q = 'قال المتحدث إن "وقف إطلاق النار" سيبدأ غدا في المدينة'
    query = body_of(q)["query"]["bool"]
    group = query["must"][0]["bool"]  # the words (phrase words included): at least a third
    assert "minimum_should_match" in group and len(group["should"]) == len(parse(q).should)
    boost = EXACT_BOOST["title"] * PHRASE_BOOST
    phrase = {"match_phrase": {"title_exact": {"query": "وقف اطلاق النار", "boost": boost}}}
    assert any(clause.get("bool", {}).get("should", [None])[0] == phrase for clause in query["should"])


def test_phrase():
    query = body_of('"وزير الخارجية"')["query"]
    assert query == {
        "bool": {
            "must": [
                {
                    "bool": {
                        "should": [
                            {
                                "match_phrase": {
                                    "title_exact": {
                                        "query": "وزير الخارجيه",
                                        "boost": EXACT_BOOST["title"] * PHRASE_BOOST,
                                    }
                                }
                            },
                            {
                                "match_phrase": {
                                    "body_exact": {
                                        "query": "وزير الخارجيه",
                                        "boost": EXACT_BOOST["body"] * PHRASE_BOOST,
                                    }
                                }
                            },
                        ]
                    }
                }
            ]
        }
    }


def test_or():
    query = body_of("زلزال OR فيضانات")["query"]
    assert query == {"bool": {"must": [{"bool": {"should": [word_query("زلزال"), word_query("فيضانات")]}}]}}


def test_excluded_words():
    query = body_of('الانتخابات -تونس -"في مصر"')["query"]["bool"]
    assert query["must"] == [word_query("الانتخابات")]
    assert query["must_not"][0] == word_query("تونس")
    assert query["must_not"][1]["bool"]["should"][1] == {
        "match_phrase": {"body_exact": {"query": "في مصر", "boost": EXACT_BOOST["body"] * PHRASE_BOOST}}
    }


def test_only_exclusions_match_everything_else():
    query = body_of("-تونس")["query"]
    assert query == {"bool": {"must": [{"match_all": {}}], "must_not": [word_query("تونس")]}}


def test_title_field():
    query = body_of("title:المفاوضات")["query"]
    assert query == {"bool": {"must": [word_query("المفاوضات", fields=("title",))]}}
    assert "body_exact" not in json.dumps(query)


def test_stopwords_only_query_requires_them():
    query = body_of("في")["query"]
    assert query == {"bool": {"must": [word_query("في")]}}


def test_a_name_ranks_the_articles_tagged_with_it_first():
    should = body_of("الوزير جون كيري")["query"]["bool"]["should"]
    assert {"constant_score": {"filter": {"term": {"person": "جون-كيري"}}, "boost": ranking.ENTITY_BOOST}} in should
    assert "constant_score" not in json.dumps(body_of("من هو جون كيري؟"))  # not in a question


def test_browse_matches_all_sorted_newest():
    body = body_of()
    assert body["query"] == {"match_all": {}}
    assert body["sort"] == [{"date": {"order": "desc", "missing": "_last"}}, {"id": {"order": "asc"}}]
    assert body_of(sort="relevance")["sort"] == body["sort"]  # nothing to rank by: newest first


def test_sorts_put_undated_last_both_ways():
    assert body_of("نفط", sort="newest")["sort"][0] == {"date": {"order": "desc", "missing": "_last"}}
    assert body_of("نفط", sort="oldest")["sort"][0] == {"date": {"order": "asc", "missing": "_last"}}
    for sort in ("relevance", "newest", "oldest"):
        assert body_of("نفط", sort=sort)["sort"][-1] == {"id": {"order": "asc"}}  # stable pages


def test_paging_source_and_totals():
    body = body_of("نفط", offset=40, size=20)
    assert body["from"] == 40 and body["size"] == 20
    assert body["track_total_hits"] is True
    assert body["_source"] == {"includes": list(RETURNED_FIELDS)}
    assert not any(f.endswith(("_exact", "_stem")) for f in body["_source"]["includes"])
    assert "highlight" not in body  # Arshif highlights from the original text itself


def test_selected_facets_go_in_post_filter_and_other_facets_aggregations():
    request = req(
        "نفط", filters=(("country", ("EG", "SA")), ("source", ("الصباح",))), facets=("country", "source", "year")
    )
    body = build_search_body(request)
    assert body["post_filter"] == {
        "bool": {"filter": [{"terms": {"country": ["EG", "SA"]}}, {"terms": {"source": ["الصباح"]}}]}
    }
    assert "country" not in json.dumps(body["query"])  # selections never narrow the counts' base
    aggs = body["aggs"]
    # the country counts ignore the country selection but follow the source selection ...
    assert aggs["country"]["filter"] == {"bool": {"filter": [{"terms": {"source": ["الصباح"]}}]}}
    # ... the source counts the other way round ...
    assert aggs["source"]["filter"] == {"bool": {"filter": [{"terms": {"country": ["EG", "SA"]}}]}}
    # ... and an unselected facet follows both
    assert aggs["year"]["filter"] == body["post_filter"]
    assert aggs["country"]["aggs"]["values"]["terms"] == {
        "field": "country",
        "size": 200,
        "order": [{"_count": "desc"}, {"_key": "asc"}],
    }


def test_facets_without_selection():
    aggs = build_facet_aggs(req(facets=("country", "org"), facet_size=50))
    assert aggs["country"]["filter"] == {"match_all": {}}
    assert aggs["org"]["aggs"]["values"]["terms"]["size"] == 50
    assert "aggs" not in body_of()  # no facets asked, none counted
    assert "post_filter" not in body_of()


def test_excluded_facet_values_apply_to_hits_and_counts():
    body = body_of("نفط", excludes=(("country", ("IQ", "QA")),), facets=("country", "source"))
    assert body["query"] == build_search_body(req("نفط"))["query"]
    assert body["post_filter"] == {"bool": {"must_not": [{"terms": {"country": ["IQ", "QA"]}}]}}
    # the country facet ignores its own exclusions (an excluded row says what it would bring back) ...
    assert body["aggs"]["country"]["filter"] == {"match_all": {}}
    # ... while every other facet counts without the excluded countries
    assert body["aggs"]["source"]["filter"] == {"bool": {"must_not": [{"terms": {"country": ["IQ", "QA"]}}]}}


def test_date_range():
    body = body_of("نفط", date_from="2015-07-01", date_to="2015-12-31")
    assert body["query"]["bool"]["filter"] == [
        {"range": {"date": {"gte": "2015-07-01", "lte": "2015-12-31", "format": "yyyy-MM-dd"}}}
    ]
    assert body["query"]["bool"]["must"] == [build_search_body(req("نفط"))["query"]]
    only_from = body_of(date_from="2015-07-01")["query"]
    assert only_from == {
        "bool": {
            "must": [{"match_all": {}}],
            "filter": [{"range": {"date": {"gte": "2015-07-01", "format": "yyyy-MM-dd"}}}],
        }
    }
    assert body_of(date_from="not a date")["query"] == {"match_all": {}}  # ignored, as in tantivy


def test_expansion_terms_only_add_score():
    plain = body_of("الانتخابات")["query"]
    body = body_of("الانتخابات", expansion=(("مصر", 3.0), ("تونس", 1.5)))
    assert body["query"] == {
        "bool": {
            "must": [plain],
            "should": [
                {"term": {"body_stem": {"value": "مصر", "boost": 3.0}}},
                {"term": {"body_stem": {"value": "تونس", "boost": 1.5}}},
            ],
        }
    }
    assert body_of(expansion=(("مصر", 3.0),))["query"] == {"match_all": {}}  # browsing: nothing to reorder


def test_search_after_for_deep_paging():
    request = req("نفط", filters=(("country", ("EG",)),), facets=("country",), offset=40)
    body = build_search_body(request, search_after=[1.5, "a09"], page_size=500, pit={"id": "PIT", "keep_alive": "2m"})
    assert body["search_after"] == [1.5, "a09"] and body["size"] == 500
    assert "from" not in body and "aggs" not in body
    assert body["pit"] == {"id": "PIT", "keep_alive": "2m"}
    assert body["post_filter"] == {"bool": {"filter": [{"terms": {"country": ["EG"]}}]}}
    assert body["track_total_hits"] is False


# --- documents and aliases -----------------------------------------------------------------------


def sample_doc(**changes) -> dict:
    from search.document import build_document
    from search.model import Article

    art = Article(
        id="a1",
        title="ارتفاع أسعار النفط",
        body="ارتفعت أسعار النفط في الأسواق.",
        date="2021-02-11",
        source="المساء",
        category="اقتصاد",
        url="https://example.org/a1",
    )
    doc = build_document(
        art,
        lambda a: {"country": ["SA"], "person": [], "org": ["opec"], "mentions": [{"key": "SA", "start": 0, "end": 3}]},
    )
    doc.update(changes)
    return doc


def test_bulk_actions_index_by_id_with_every_mapped_field():
    doc = sample_doc()
    (action,) = bulk_actions([doc], "arshif-v1-20240101000000")
    assert action["_op_type"] == "index"  # index = create or replace: upsert by id
    assert action["_id"] == "a1" and action["_index"] == "arshif-v1-20240101000000"
    source = action["_source"]
    assert set(source) == set(PROPS)
    for name in ("title", "body", "title_exact", "body_stem", "hash", "url", "year", "month"):
        assert source[name] == doc[name]
    assert source["country"] == ["SA"] and source["org"] == ["opec"] and source["person"] == []
    assert json.loads(source["entities"]) == [{"key": "SA", "start": 0, "end": 3}]
    assert source["truncated"] is False and source["date"] == "2021-02-11"


def test_bulk_actions_leave_out_what_tantivy_leaves_out():
    (action,) = bulk_actions([sample_doc(source="", date="sometime", country=["", "EG"], extra="x")], "i")
    source = action["_source"]
    assert source["source"] is None  # an empty outlet is not a facet value
    assert source["date"] is None  # not a date: undated
    assert source["country"] == ["EG"]
    assert "extra" not in source  # the mapping is strict: only mapped fields go


def test_alias_swap_is_one_atomic_call():
    body = alias_swap_actions(
        "arshif", "arshif-v3-20240301000000", ["arshif-v2-20240201000000", "arshif-v1-20240101000000"]
    )
    assert body == {
        "actions": [
            {"remove": {"index": "arshif-v1-20240101000000", "alias": "arshif"}},
            {"remove": {"index": "arshif-v2-20240201000000", "alias": "arshif"}},
            {"add": {"index": "arshif-v3-20240301000000", "alias": "arshif"}},
        ]
    }
    assert alias_swap_actions("arshif", "arshif-v1-x", []) == {
        "actions": [{"add": {"index": "arshif-v1-x", "alias": "arshif"}}]
    }


# --- request bodies against the mappings ---------------------------------------------------------

QUERY_LEAVES = {"term", "terms", "match_phrase", "range", "match", "prefix", "wildcard", "exists"}
MANY_REQUESTS = [
    req(),
    req(sort="oldest"),
    req("نفط"),
    req("الانتخابات تونس"),
    req('"وزير الخارجية"'),
    req("زلزال OR فيضانات"),
    req("الانتخابات -تونس"),
    req("title:المفاوضات"),
    req("في الدوحة"),
    req("ارتفاع أسعار النفط في الأسواق العالمية بعد قرار خفض الإنتاج"),
    req("نفط", expansion=(("مصر", 2.0),)),
    req(
        "نفط",
        filters=tuple((f.name, ("x",)) for f in FACETS),
        excludes=(("country", ("IQ",)),),
        facets=tuple(f.name for f in FACETS),
        date_from="2015-01-01",
        date_to="2016-01-01",
        sort="oldest",
    ),
]


def used_fields(node, context="query", out=None) -> list[tuple[str, str]]:
    """Every (field, how it is used) in a request body: query leaves, aggregation fields, sorts."""
    out = [] if out is None else out
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "aggs":
                for agg in value.values():
                    for kind in ("terms", "histogram", "date_histogram", "cardinality"):
                        if kind in agg:
                            out.append((agg[kind]["field"], f"agg:{kind}"))
                    used_fields(agg.get("filter"), "query", out)
                    used_fields({"aggs": agg.get("aggs", {})}, context, out)
            elif key == "sort":
                for item in value:
                    name = item if isinstance(item, str) else next(iter(item))
                    if name != "_score":
                        out.append((name, "sort"))
            elif key == "_source":
                out += [(name, "source") for name in value.get("includes", [])]
            elif key in QUERY_LEAVES and isinstance(value, dict):
                out += [(name, f"query:{key}") for name in value if name not in ("boost", "_name")]
            else:
                used_fields(value, context, out)
    elif isinstance(node, list):
        for item in node:
            used_fields(item, context, out)
    return out


def test_every_field_a_request_uses_exists_in_the_mapping_with_the_right_type():
    seen = set()
    for request in MANY_REQUESTS:
        body = build_search_body(request)
        deep = build_search_body(request, search_after=["x"], page_size=10)
        for name, use in used_fields(body) + used_fields(deep):
            seen.add((name, use))
            assert name in PROPS, f"{name} ({use}) is not in index_config/mappings.json"
            mapping = PROPS[name]
            if use == "query:term" and mapping["type"] == "keyword":  # an entity key ranking a name
                assert name in ("person", "org") and mapping.get("index", True), name
            elif use in ("query:term", "query:match_phrase"):
                assert mapping["type"] == "text" and mapping.get("index", True), name
                assert name.endswith(("_exact", "_stem")), name
            if use == "query:match_phrase":
                assert mapping["index_options"] == "positions", name
            if use == "query:terms":
                assert mapping["type"] == "keyword" and mapping.get("index", True), name
            if use == "query:range":
                assert mapping["type"] == "date", name
            if use.startswith("agg:") or use == "sort":
                assert mapping["type"] in ("keyword", "date") and mapping.get("doc_values", True), name
    # the walk did see each kind of use, so the checks above are not vacuous
    uses = {use for _, use in seen}
    assert {"query:term", "query:match_phrase", "query:terms", "query:range", "agg:terms", "sort", "source"} <= uses
    assert {name for name, use in seen if use == "agg:terms"} == {f.field for f in FACETS}


def test_bulk_source_fields_are_the_mapped_fields_with_matching_values():
    (action,) = bulk_actions([sample_doc()], "i")
    for name, value in action["_source"].items():
        kind = PROPS[name]["type"]
        lists = ("country", "person", "org", "story_band", "story_lead")
        if kind in ("text", "binary") or (kind == "keyword" and name not in lists):
            assert value is None or isinstance(value, str), name
        if name in lists:
            assert isinstance(value, list), name
        if kind == "boolean":
            assert isinstance(value, bool)
        if kind == "date":
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)


# --- the client, through a recording fake node ---------------------------------------------------


class FakeCluster:
    """Answers requests from `routes`: (METHOD, path regex) -> handler(query, body) -> (status, json).
    Records every request; anything unrouted is a 404 with an Elasticsearch-shaped error."""

    def __init__(self):
        self.routes: list[tuple[str, re.Pattern, object]] = []
        self.requests: list[dict] = []

    def route(self, method, pattern, handler):
        self.routes.insert(0, (method, re.compile(pattern + r"$"), handler))
        return self

    def answer(self, method, target, body, headers):
        parts = urlsplit(target)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if body and headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        text = body.decode("utf-8") if body else ""
        if "ndjson" in (headers.get("content-type") or ""):
            parsed = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            parsed = json.loads(text) if text else None
        self.requests.append(
            {"method": method, "path": parts.path, "query": query, "body": parsed, "headers": dict(headers)}
        )
        for m, pattern, handler in self.routes:
            if m == method and pattern.match(parts.path):
                return handler(query, parsed)
        return 404, {
            "error": {"type": "resource_not_found_exception", "reason": f"no route {method} {parts.path}"},
            "status": 404,
        }

    def paths(self, method=None):
        return [r["path"] for r in self.requests if method is None or r["method"] == method]


def fake_node_class(cluster: FakeCluster):
    class FakeNode(BaseNode):
        def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
            status, payload = cluster.answer(method, target, body, headers or {})
            meta = ApiResponseMeta(
                status=status,
                http_version="1.1",
                duration=0.0,
                node=self.config,
                headers=HttpHeaders({"content-type": "application/json", "x-elastic-product": "Elasticsearch"}),
            )
            data = b"" if method == "HEAD" else json.dumps(payload).encode("utf-8")
            return NodeApiResponse(meta, data)

    return FakeNode


LIVE = "arshif-v1-20240101000000"


def mapping_answer(version):
    return lambda q, b: (200, {LIVE: {"mappings": {"_meta": {"mapping_version": version}, "properties": {}}}})


def live_cluster(version=None) -> FakeCluster:
    """A cluster where the alias `arshif` points to one version with the current mapping."""
    cluster = FakeCluster()
    cluster.route("HEAD", "/_alias/arshif", lambda q, b: (200, {}))
    cluster.route("GET", "/_alias/arshif", lambda q, b: (200, {LIVE: {"aliases": {"arshif": {}}}}))
    cluster.route("GET", f"/{LIVE}/_mapping", mapping_answer(version or CONFIG.mapping_version))
    return cluster


def open_engine(cluster, writable=False, settings=None, **kwargs) -> ElasticsearchEngine:
    settings = settings or Settings(engine="elasticsearch", es_url="http://es.example:9200")
    client, url = make_client(settings, node_class=fake_node_class(cluster), max_retries=0)
    return ElasticsearchEngine(client, alias=settings.es_index, writable=writable, url=url, **kwargs)


def test_every_request_asks_for_the_8x_rest_api_so_es8_and_es9_both_answer():
    cluster = live_cluster()
    cluster.route("POST", "/arshif/_count", lambda q, b: (200, {"count": 7}))
    cluster.route("GET", "/arshif/_count", lambda q, b: (200, {"count": 7}))
    assert open_engine(cluster).count() == 7
    assert len(cluster.requests) >= 4
    for request in cluster.requests:
        assert request["headers"]["accept"] == "application/vnd.elasticsearch+json; compatible-with=8"


def test_credentials_go_in_headers_and_never_in_messages():
    cluster = live_cluster()
    settings = Settings(engine="elasticsearch", es_url="https://elastic:s3cret@es.example:9200")
    engine = open_engine(cluster, settings=settings)
    assert engine.url == "https://es.example:9200"
    auth = cluster.requests[0]["headers"]["authorization"]
    assert auth.startswith("Basic ") and "s3cret" not in auth
    assert safe_url("https://elastic:s3cret@es.example:9200/x") == "https://es.example:9200/x"
    keyed = live_cluster()
    open_engine(keyed, settings=Settings(es_url="http://es.example:9200", es_api_key="id:key"))
    assert keyed.requests[0]["headers"]["authorization"].startswith("ApiKey ")


def test_unreachable_cluster_gives_a_clear_error_quickly():
    settings = Settings(engine="elasticsearch", es_url="http://elastic:s3cret@127.0.0.1:9")
    started = time.monotonic()
    with pytest.raises(EngineError) as caught:
        ElasticsearchEngine.from_settings(settings)
    assert time.monotonic() - started < 10
    message = str(caught.value)
    assert message.startswith("cannot reach Elasticsearch at http://127.0.0.1:9")
    assert "s3cret" not in message and "Traceback" not in message


def test_health_of_an_unreachable_cluster_says_why_in_one_line():
    engine = ElasticsearchEngine.from_settings(
        Settings(engine="elasticsearch", es_url="http://127.0.0.1:9"), open_index=False
    )
    health = engine.health()  # no retries here: the transport's error then reads "Connection error"
    assert health["ok"] is False
    assert health["error"] == (
        "cannot reach Elasticsearch at http://127.0.0.1:9 (connection refused): is it "
        "running, and is ARSHIF_ES_URL right?"
    )


@pytest.mark.parametrize(
    "status, kind, expected",
    [
        (401, "security_exception", "refused the credentials (401)"),
        (403, "security_exception", "not allowed to do this (403)"),
        (500, "illegal_state_exception", "answered 500"),
    ],
)
def test_http_errors_become_clear_messages(status, kind, expected):
    cluster = FakeCluster()
    cluster.route("HEAD", "/_alias/arshif", lambda q, b: (status, {}))
    error = {"error": {"type": kind, "reason": "nope"}, "status": status}
    cluster.route("GET", "/_alias/arshif", lambda q, b: (status, error))
    with pytest.raises(EngineError, match=re.escape(expected)) as caught:
        open_engine(cluster)
    assert "http://es.example:9200" in str(caught.value)


def test_missing_index_when_reading():
    cluster = FakeCluster()  # no alias, no index
    with pytest.raises(
        EngineError, match=r"no Elasticsearch index 'arshif' at http://es.example:9200: run `arshif index"
    ):
        open_engine(cluster)


def test_a_plain_index_with_the_alias_name_is_refused():
    cluster = FakeCluster().route("HEAD", "/arshif", lambda q, b: (200, {}))
    with pytest.raises(EngineError, match="is an index, not an alias"):
        open_engine(cluster, writable=True)


def test_incompatible_mapping_version_is_refused():
    with pytest.raises(EngineError, match=r"mapping version '0'.*arshif reindex"):
        open_engine(live_cluster(version="0"))
    with pytest.raises(EngineError, match="mapping version None"):
        open_engine(
            live_cluster(version=None).route("GET", f"/{LIVE}/_mapping", lambda q, b: (200, {LIVE: {"mappings": {}}}))
        )


def test_first_index_creates_version_one_behind_the_alias():
    cluster = FakeCluster()
    cluster.route("GET", r"/arshif-v\*/_alias", lambda q, b: (200, {}))
    cluster.route("PUT", r"/arshif-v1-\d{14}", lambda q, b: (200, {"acknowledged": True}))
    engine = open_engine(cluster, writable=True)
    (create,) = [r for r in cluster.requests if r["method"] == "PUT"]
    assert re.fullmatch(r"/arshif-v1-\d{14}", create["path"])
    assert create["body"]["aliases"] == {"arshif": {}}
    assert create["body"]["mappings"]["dynamic"] == "strict"
    assert "_comment" not in json.dumps(create["body"])
    assert engine._write_index == create["path"][1:]


def test_upsert_reports_refused_documents_and_retries_busy_ones(monkeypatch):
    monkeypatch.setattr(es_module, "BULK_INITIAL_BACKOFF", 0.01)
    cluster = live_cluster()
    attempts = []

    def bulk(q, lines):
        actions = lines[0::2]
        attempts.append([a["index"]["_id"] for a in actions])
        items = []
        for action in actions:
            doc_id = action["index"]["_id"]
            if doc_id == "bad":
                items.append(
                    {
                        "index": {
                            "_id": doc_id,
                            "status": 400,
                            "error": {
                                "type": "document_parsing_exception",
                                "reason": "failed to parse field [date]",
                                "caused_by": {"type": "illegal_argument_exception", "reason": "bad date"},
                            },
                        }
                    }
                )
            elif doc_id == "busy" and len(attempts) == 1:
                items.append(
                    {
                        "index": {
                            "_id": doc_id,
                            "status": 429,
                            "error": {"type": "es_rejected_execution_exception", "reason": "queue full"},
                        }
                    }
                )
            else:
                items.append({"index": {"_id": doc_id, "status": 201, "result": "created"}})
        return 200, {"errors": True, "took": 1, "items": items}

    cluster.route("PUT", "/_bulk", bulk).route("POST", "/_bulk", bulk)
    engine = open_engine(cluster, writable=True)
    docs = [sample_doc(id="ok"), sample_doc(id="bad"), sample_doc(id="busy"), {"title": "no id"}]
    failures = engine.upsert(docs)
    assert attempts == [["ok", "bad", "busy"], ["busy"]]  # the 429 was retried, alone
    ids = [doc_id for doc_id, _ in failures]
    assert sorted(ids) == ["None", "bad"]  # nothing silently dropped
    reason = dict(failures)["bad"]
    assert "status 400" in reason and "failed to parse field [date]" in reason and "bad date" in reason


def test_commit_refreshes_and_delete_ignores_missing_documents():
    cluster = live_cluster()
    cluster.route("POST", f"/{LIVE}/_refresh", lambda q, b: (200, {}))
    cluster.route(
        "PUT",
        "/_bulk",
        lambda q, lines: (
            200,
            {"errors": True, "items": [{"delete": {"_id": "gone", "status": 404, "result": "not_found"}}]},
        ),
    )
    engine = open_engine(cluster, writable=True)
    engine.delete(["gone"])
    engine.commit()
    assert f"/{LIVE}/_refresh" in cluster.paths("POST")
    bulk = [r for r in cluster.requests if r["path"] == "/_bulk"][0]
    assert bulk["body"] == [{"delete": {"_index": LIVE, "_id": "gone"}}]


def test_read_only_engine_cannot_write():
    engine = open_engine(live_cluster())
    with pytest.raises(EngineError, match="read-only"):
        engine.upsert([sample_doc()])


def test_search_sends_the_built_body_and_reads_the_answer():
    cluster = live_cluster()
    answer = {
        "took": 3,
        "hits": {
            "total": {"value": 42, "relation": "eq"},
            "hits": [
                {
                    "_id": "a1",
                    "_score": 2.5,
                    "_source": {"id": "a1", "title": "t", "country": ["EG"]},
                    "sort": [2.5, "a1"],
                }
            ],
        },
        "aggregations": {
            "country": {
                "doc_count": 42,
                "values": {"buckets": [{"key": "EG", "doc_count": 30}, {"key": "SA", "doc_count": 12}]},
            }
        },
    }
    cluster.route("POST", "/arshif/_search", lambda q, b: (200, answer))
    request = req("نفط", filters=(("country", ("EG",)),), facets=("country",))
    result = open_engine(cluster).search(request)
    sent = [r for r in cluster.requests if r["path"] == "/arshif/_search"][0]
    assert sent["body"] == build_search_body(request)
    assert result.total == 42 and [h.id for h in result.hits] == ["a1"] and result.hits[0].score == 2.5
    assert result.hits[0].doc["title"] == "t" and result.hits[0].doc["person"] == []
    assert set(result.hits[0].doc) == set(RETURNED_FIELDS)
    assert result.facets == {"country": [("EG", 30), ("SA", 12)]}


def test_missing_index_while_searching():
    cluster = live_cluster()
    cluster.route(
        "POST",
        "/arshif/_search",
        lambda q, b: (
            404,
            {
                "error": {
                    "type": "index_not_found_exception",
                    "reason": "no such index [arshif]",
                    "root_cause": [{"type": "index_not_found_exception", "reason": "no such index [arshif]"}],
                },
                "status": 404,
            },
        ),
    )
    with pytest.raises(EngineError, match="no Elasticsearch index 'arshif'"):
        open_engine(cluster).search(req("نفط"))


def test_too_deep_page_is_refused_before_asking():
    with pytest.raises(EngineError, match="page too deep"):
        open_engine(live_cluster()).search(req("نفط", offset=200_000, size=20))


def test_iter_all_walks_with_search_after_over_a_point_in_time():
    cluster = live_cluster()
    pages = [
        [
            {"_id": f"d{i}", "_score": None, "_source": {"id": f"d{i}"}, "sort": ["2020-01-01", f"d{i}"]}
            for i in range(start, stop)
        ]
        for start, stop in ((0, 2), (2, 4), (4, 5))
    ]
    cluster.route("POST", "/arshif/_pit", lambda q, b: (200, {"id": "PIT1"}))
    cluster.route("POST", "/_search", lambda q, b: (200, {"pit_id": "PIT2", "hits": {"hits": pages.pop(0)}}))
    cluster.route("DELETE", "/_pit", lambda q, b: (200, {"succeeded": True}))
    hits = list(open_engine(cluster).iter_all(req(sort="newest"), page_size=2))
    assert [h.id for h in hits] == ["d0", "d1", "d2", "d3", "d4"]
    searches = [r["body"] for r in cluster.requests if r["path"] == "/_search"]
    assert "search_after" not in searches[0]
    assert searches[1]["search_after"] == ["2020-01-01", "d1"] and searches[2]["search_after"] == ["2020-01-01", "d3"]
    assert searches[1]["pit"]["id"] == "PIT2"
    assert [r for r in cluster.requests if r["path"] == "/_pit"][0]["body"] == {"id": "PIT2"}  # closed


def test_get_and_existing_hashes():
    cluster = live_cluster()
    cluster.route(
        "GET",
        "/arshif/_doc/a1",
        lambda q, b: (200, {"_id": "a1", "found": True, "_source": {"id": "a1", "title": "t"}}),
    )
    cluster.route("GET", "/arshif/_doc/nope", lambda q, b: (404, {"_id": "nope", "found": False}))
    cluster.route(
        "POST",
        "/arshif/_mget",
        lambda q, b: (
            200,
            {"docs": [{"_id": "a1", "found": True, "_source": {"hash": "h1"}}, {"_id": "x", "found": False}]},
        ),
    )
    engine = open_engine(cluster)
    assert engine.get("a1")["title"] == "t"
    assert engine.get("nope") is None
    assert engine.existing_hashes(["a1", "x"]) == {"a1": "h1"}
    get = [r for r in cluster.requests if r["path"] == "/arshif/_doc/a1"][0]
    assert get["query"]["realtime"] == "false"  # like tantivy: what was committed


def test_feedback_terms_from_term_vectors():
    cluster = live_cluster()

    def termvectors(q, body):
        if body and "doc" in body:  # title-only stems: their document frequency in bodies
            assert body["doc"] == {"body_stem": "ارتفاع"}
            return 200, {"found": True, "term_vectors": {"body_stem": {"terms": {"ارتفاع": {"term_freq": 1}}}}}
        return 200, {
            "found": True,
            "term_vectors": {
                "title_stem": {
                    "terms": {"نفط": {"term_freq": 1, "doc_freq": 1}, "ارتفاع": {"term_freq": 1, "doc_freq": 1}}
                },
                "body_stem": {"terms": {"نفط": {"term_freq": 2, "doc_freq": 5}}},
            },
        }

    cluster.route("POST", "/arshif/_termvectors/a1", termvectors)
    cluster.route("POST", "/arshif/_termvectors", termvectors)
    terms = open_engine(cluster).feedback_terms("a1")
    assert terms == {"نفط": (3, 5), "ارتفاع": (1, 0)}
    first = [r for r in cluster.requests if r["path"] == "/arshif/_termvectors/a1"][0]
    assert first["body"]["term_statistics"] is True or first["query"].get("term_statistics") == "true"


def test_health_never_raises():
    cluster = live_cluster()
    cluster.route("GET", f"/_cluster/health/{LIVE}", lambda q, b: (200, {"status": "yellow"}))
    cluster.route("POST", "/arshif/_count", lambda q, b: (200, {"count": 12}))
    cluster.route("GET", "/arshif/_count", lambda q, b: (200, {"count": 12}))
    engine = open_engine(cluster)
    assert engine.health() == {
        "engine": "elasticsearch",
        "ok": True,
        "docs": 12,
        "cluster_status": "yellow",
        "index": LIVE,
        "alias": "arshif",
        "url": "http://es.example:9200",
    }
    cluster.route("GET", f"/_cluster/health/{LIVE}", lambda q, b: (200, {"status": "red"}))
    assert engine.health()["ok"] is False
    cluster.route("GET", f"/_cluster/health/{LIVE}", lambda q, b: (401, {"error": {"type": "security_exception"}}))
    health = engine.health()
    assert health["ok"] is False and "401" in health["error"]
    cluster.route("GET", "/_alias/arshif", lambda q, b: (404, {"error": "alias [arshif] missing", "status": 404}))
    health = engine.health()
    assert health["ok"] is False and "no Elasticsearch index 'arshif'" in health["error"]
    engine.client = make_client(Settings(es_url="http://127.0.0.1:9"), max_retries=0)[0]
    health = engine.health()
    assert health["ok"] is False and "cannot reach" in health["error"]


def test_the_engine_follows_the_protocol_and_open_engine_reaches_it():
    from search.engines import open_engine as open_configured
    from search.engines.base import Engine

    assert isinstance(open_engine(live_cluster()), Engine)
    with pytest.raises(EngineError, match="cannot reach Elasticsearch at http://127.0.0.1:9"):
        open_configured(Settings(engine="elasticsearch", es_url="http://127.0.0.1:9"), writable=True)


# --- versions: reindex, swap, drop ---------------------------------------------------------------


def versioned_cluster(aliased: dict[str, bool]) -> FakeCluster:
    cluster = FakeCluster()
    state = dict(aliased)

    def versions(q, b):
        return 200, {name: {"aliases": {"arshif": {}} if live else {}} for name, live in state.items()}

    def alias(q, b):
        return 200, {name: {"aliases": {"arshif": {}}} for name, live in state.items() if live}

    def swap(q, body):
        for action in body["actions"]:
            ((kind, spec),) = action.items()
            state[spec["index"]] = kind == "add"
        return 200, {"acknowledged": True}

    def create(q, body):
        return 200, {"acknowledged": True}

    cluster.route("GET", r"/arshif-v\*/_alias", versions)
    cluster.route("HEAD", "/_alias/arshif", lambda q, b: (200 if any(state.values()) else 404, {}))
    cluster.route("GET", "/_alias/arshif", alias)
    cluster.route("POST", "/_aliases", swap)
    cluster.route("PUT", r"/arshif-v\d+-\d{14}", create)
    cluster.route("POST", r"/arshif-v\d+-\d{14}/_refresh", lambda q, b: (200, {}))
    cluster.route("POST", r"/arshif-v\d+-\d{14}/_count", lambda q, b: (200, {"count": 3}))
    cluster.route("GET", r"/arshif-v\d+-\d{14}/_count", lambda q, b: (200, {"count": 3}))
    cluster.route("DELETE", r"/arshif-v[^/]+", lambda q, b: (200, {"acknowledged": True}))
    return cluster


def test_reindex_builds_a_new_version_and_swaps_the_alias_in_one_call():
    cluster = versioned_cluster({"arshif-v1-20240101000000": False, "arshif-v2-20240201000000": True})
    engine = open_engine(cluster, writable=True, open_index=False)
    filled = []
    result = engine.reindex(lambda target: filled.append(target._write_index))
    assert re.fullmatch(r"arshif-v3-\d{14}", result.new_index)
    assert filled == [result.new_index]  # writes went to the new version
    create = [r for r in cluster.requests if r["method"] == "PUT"][0]
    assert "aliases" not in create["body"]  # invisible until it is complete
    swaps = [r for r in cluster.requests if r["path"] == "/_aliases"]
    assert len(swaps) == 1  # one atomic call ...
    assert swaps[0]["body"] == alias_swap_actions("arshif", result.new_index, ["arshif-v2-20240201000000"])
    assert result.previous == ["arshif-v2-20240201000000"]  # ... and the old version is kept
    assert not any(r["method"] == "DELETE" for r in cluster.requests)
    # the refresh (commit) happened before the swap
    order = [r["path"] for r in cluster.requests]
    assert order.index(f"/{result.new_index}/_refresh") < order.index("/_aliases")


def test_failed_reindex_deletes_the_new_version_and_keeps_the_live_one():
    cluster = versioned_cluster({"arshif-v1-20240101000000": True})
    engine = open_engine(cluster, writable=True, open_index=False)

    def fill(target):
        raise RuntimeError("archive unreadable")

    with pytest.raises(RuntimeError):
        engine.reindex(fill)
    deleted = [r["path"] for r in cluster.requests if r["method"] == "DELETE"]
    assert len(deleted) == 1 and re.fullmatch(r"/arshif-v2-\d{14}", deleted[0])
    assert not any(r["path"] == "/_aliases" for r in cluster.requests)


def test_empty_new_version_is_not_swapped_in():
    cluster = versioned_cluster({"arshif-v1-20240101000000": True})
    cluster.route("POST", r"/arshif-v2-\d{14}/_count", lambda q, b: (200, {"count": 0}))
    cluster.route("GET", r"/arshif-v2-\d{14}/_count", lambda q, b: (200, {"count": 0}))
    engine = open_engine(cluster, writable=True, open_index=False)
    with pytest.raises(EngineError, match="is empty"):
        engine.reindex(lambda target: None)
    assert not any(r["path"] == "/_aliases" for r in cluster.requests)


def test_drop_old_deletes_only_versions_older_than_the_live_one():
    cluster = versioned_cluster(
        {
            "arshif-v1-20240101000000": False,
            "arshif-v2-20240201000000": False,
            "arshif-v3-20240301000000": True,
            "arshif-v4-20240401000000": False,
            "arshif-other-v1-20240101000000": False,
        }
    )
    engine = open_engine(cluster, writable=True, open_index=False)
    assert engine.drop_old() == ["arshif-v1-20240101000000", "arshif-v2-20240201000000"]
    (delete,) = [r for r in cluster.requests if r["method"] == "DELETE"]
    assert delete["path"] == "/arshif-v1-20240101000000,arshif-v2-20240201000000"  # named, no wildcard


def test_cli_commands_are_wired():
    import argparse

    from search.engines.es_cli import add_parsers, cmd_drop_old, cmd_reindex

    parser = argparse.ArgumentParser(prog="arshif")
    add_parsers(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["reindex", "archive/", "--workers", "2", "-q"])
    assert args.func is cmd_reindex and args.paths == ["archive/"] and args.workers == 2
    assert parser.parse_args(["drop-old", "--dry-run"]).func is cmd_drop_old


def test_the_indexer_writes_through_the_engine_and_reports_refused_documents(tmp_path):
    from search.indexer import run_index

    archive = tmp_path / "archive.jsonl"
    rows = [
        {
            "id": f"n{i}",
            "title": f"خبر رقم {i}",
            "body": "ارتفعت أسعار النفط في الأسواق العالمية.",
            "date": "2021-02-11",
            "source": "المساء",
        }
        for i in range(3)
    ]
    archive.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    cluster = live_cluster()
    cluster.route(
        "POST", f"/{LIVE}/_mget", lambda q, b: (200, {"docs": [{"_id": i, "found": False} for i in b["ids"]]})
    )
    cluster.route("POST", f"/{LIVE}/_refresh", lambda q, b: (200, {}))
    cluster.route("POST", f"/{LIVE}/_count", lambda q, b: (200, {"count": 0}))  # story detection asks

    def bulk(q, lines):
        return 200, {
            "errors": True,
            "items": [
                {
                    "index": {
                        "_id": a["index"]["_id"],
                        "status": 400 if a["index"]["_id"] == "n1" else 201,
                        **(
                            {"error": {"type": "document_parsing_exception", "reason": "boom"}}
                            if a["index"]["_id"] == "n1"
                            else {}
                        ),
                    }
                }
                for a in lines[0::2]
            ],
        }

    cluster.route("PUT", "/_bulk", bulk)
    engine = open_engine(cluster, writable=True)
    summary = run_index(
        engine, [str(archive)], workers=1, with_entities=False, report_dir=tmp_path / "reports", progress=False
    )
    assert summary.indexed == 3 and summary.rejected == 1
    assert summary.problems == [("rejected", "n1", summary.problems[0][2])]
    assert "boom" in summary.problems[0][2]
    assert "n1" in Path(summary.report_path).read_text(encoding="utf-8")
    sent = [r for r in cluster.requests if r["path"] == "/_bulk"][0]["body"]
    assert [a["index"]["_id"] for a in sent[0::2]] == ["n0", "n1", "n2"]
    assert all(set(doc) == set(PROPS) for doc in sent[1::2])
    assert {doc["story"] for doc in sent[1::2]} == {story_key("n0")}  # one body three times: one story
    assert f"/{LIVE}/_refresh" in cluster.paths("POST")
