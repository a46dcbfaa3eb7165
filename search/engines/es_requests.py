"""The request bodies the Elasticsearch engine sends, as pure functions of plain values.

Nothing here talks to a cluster: every function returns a dict (or a list of dicts) so that the
bodies can be unit-tested without a server and checked against `index_config/mappings.json`
(tests/test_es_requests.py). The query mirrors `search.engines.tantivy_engine` clause by clause:
the same fields, the same boosts (`search.query.ranking`), the same operator rules; the
differences are only in how each engine spells them.

Multi-select facets are done the Elasticsearch way, which counts exactly what the embedded engine
counts: the main `query` holds the text, the exclusions and the date range; the selected facet
values go in `post_filter` (they narrow the hits, not the aggregations); each facet's aggregation
is a `filter` aggregation holding the *other* facets' selections, wrapping a `terms` aggregation.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from search.config import Settings
from search.engines.base import SearchRequest
from search.query import ranking
from search.query.parser import AnyOf, Clause, ParsedQuery, Term
from search.query.ranking import EXACT_BOOST, PHRASE_BOOST, STEM_BOOST
from search.schema import FACETS_BY_NAME, FIELDS, RETURNED_FIELDS, SEARCHED_TEXT, Kind, fetch_size
from search.shipped import CHECKOUT, INSTALLED

# Every field a bulk action sends: the properties of index_config/mappings.json. A hit returns
# RETURNED_FIELDS, the keys of the embedded engine's stored `_source`.
DOC_FIELDS = tuple(f.name for f in FIELDS)
LIST_FIELDS = tuple(f.name for f in FIELDS if f.returned and f.many)  # a list in a hit, even empty
KEYWORD_KINDS = (Kind.ID, Kind.FACET, Kind.KEYWORD, Kind.STORY, Kind.LOOKUP, Kind.COUNTED)
# The mapping each kind of field needs: index_config/mappings.json holds these, with comments for
# the people who run the cluster (tests/test_schema.py compares them).
MAPPINGS: dict[Kind, dict[str, Any]] = {
    Kind.ID: {"type": "keyword"},
    Kind.TEXT: {"type": "text", "index": False},
    Kind.EXACT: {"type": "text", "analyzer": "whitespace", "index_options": "positions"},
    Kind.STEMS: {"type": "text", "analyzer": "whitespace", "index_options": "freqs"},
    Kind.DATE: {"type": "date", "format": "strict_date_optional_time"},
    Kind.FACET: {"type": "keyword"},
    Kind.KEYWORD: {"type": "keyword"},
    Kind.STORED: {"type": "keyword", "index": False, "doc_values": False},
    Kind.FLAG: {"type": "boolean"},
    Kind.STORY: {"type": "keyword"},
    Kind.LOOKUP: {"type": "keyword", "doc_values": False},
    Kind.COUNTED: {"type": "keyword"},
    Kind.BINARY: {"type": "binary"},
}
FACET_AGG_TERMS = "values"  # name of the terms aggregation inside each facet's filter aggregation
STORY_TOTAL_AGG = "_stories"  # cardinality of `story` when a request is collapsed (not a facet name)
STORY_INNER_LIMIT = 10_000  # story lookups: documents one request returns at most
CONFIG_ENV = "ARSHIF_ES_CONFIG"  # folder holding settings.json and mappings.json (optional)


# --- index_config/ -------------------------------------------------------------------------------


def _strip_comments(value: Any) -> Any:
    """JSON files in index_config/ carry `_comment` keys for people; Elasticsearch must not see them."""
    if isinstance(value, dict):
        return {k: _strip_comments(v) for k, v in value.items() if not k.startswith("_comment")}
    if isinstance(value, list):
        return [_strip_comments(v) for v in value]
    return value


def config_dir_candidates() -> list[Path]:
    candidates = []
    configured = Settings.from_env().es_config
    if configured:
        candidates.append(Path(configured))
    candidates.append(CHECKOUT / "index_config")
    candidates.append(INSTALLED / "index_config")
    candidates.append(Path.cwd() / "index_config")
    return candidates


@dataclass(frozen=True)
class IndexConfig:
    settings: dict[str, Any]  # comments stripped, ready for `indices.create`
    mappings: dict[str, Any]
    mapping_version: str
    path: Path

    @classmethod
    def load(cls, folder: str | Path | None = None) -> IndexConfig:
        from search.engines.base import EngineError

        folders = [Path(folder)] if folder else config_dir_candidates()
        for candidate in folders:
            if (candidate / "mappings.json").is_file() and (candidate / "settings.json").is_file():
                try:
                    settings = json.loads((candidate / "settings.json").read_text(encoding="utf-8"))
                    mappings = json.loads((candidate / "mappings.json").read_text(encoding="utf-8"))
                except (OSError, ValueError) as error:
                    raise EngineError(
                        f"cannot read the Elasticsearch index configuration in {candidate}: {error}"
                    ) from error
                version = str(mappings.get("_meta", {}).get("mapping_version", ""))
                if not version:
                    raise EngineError(f"{candidate / 'mappings.json'} has no _meta.mapping_version")
                return cls(_strip_comments(settings), _strip_comments(mappings), version, candidate)
        where = ", ".join(str(p) for p in folders)
        raise EngineError(
            f"cannot find the Elasticsearch index configuration (settings.json, mappings.json) "
            f"in {where}: set {CONFIG_ENV} to the index_config folder"
        )


def create_index_body(
    config: IndexConfig, *, alias: str | None = None, shards: int | None = None, replicas: int | None = None
) -> dict[str, Any]:
    """Body of `PUT /<index>`: settings and mappings from index_config/, and the read alias when
    the index is the first version (so the index and its alias appear in one atomic step)."""
    settings = json.loads(json.dumps(config.settings))
    index_settings = settings.setdefault("index", {})
    if shards is not None:
        index_settings["number_of_shards"] = shards
    if replicas is not None:
        index_settings["number_of_replicas"] = replicas
    body: dict[str, Any] = {"settings": settings, "mappings": config.mappings}
    if alias:
        body["aliases"] = {alias: {}}
    return body


def mapping_properties() -> dict[str, dict[str, Any]]:
    """The `properties` index_config/mappings.json must hold for search.schema.FIELDS (its
    `_comment` keys aside)."""
    return {f.name: dict(MAPPINGS[f.kind]) for f in FIELDS}


# --- documents -----------------------------------------------------------------------------------


def day_of(iso_date: Any) -> str | None:
    """The date as the index stores it: `YYYY-MM-DD`, or None when missing or not a date.
    Same rule as the embedded engine (`tantivy_engine._day_number`): the first ten characters."""
    if not iso_date or not isinstance(iso_date, str):
        return None
    try:
        return dt.date.fromisoformat(iso_date[:10]).isoformat()
    except ValueError:
        return None


def _keyword(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def es_source(doc: dict[str, Any]) -> dict[str, Any]:
    """The `_source` of a document: exactly the mapped fields (the mapping is `dynamic: strict`).
    Empty keyword values are left out of the index, as the embedded engine leaves them out."""
    source: dict[str, Any] = {}
    for field in FIELDS:
        value = doc.get(field.name)
        if field.kind in KEYWORD_KINDS and field.many:
            items = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
            value = [str(v) for v in items if v]
        elif field.kind in KEYWORD_KINDS:
            value = _keyword(value)
        elif field.kind in (Kind.TEXT, Kind.EXACT, Kind.STEMS):
            value = value or ""
        elif field.kind == Kind.DATE:
            value = day_of(value)
        elif field.kind == Kind.FLAG:
            value = bool(value)
        elif field.kind == Kind.BINARY:
            value = base64.b64encode(bytes(value)).decode("ascii") if value else None
        source[field.name] = value
    source["id"] = str(doc["id"])
    entities = doc.get("entities")
    source["entities"] = entities if isinstance(entities, str) else json.dumps(entities or [], ensure_ascii=False)
    return source


def bulk_actions(docs: Iterable[dict[str, Any]], index: str) -> list[dict[str, Any]]:
    """`index` operations for `elasticsearch.helpers.streaming_bulk`: one per document, `_id` = the
    document id, so indexing again replaces (never duplicates) a document."""
    return [{"_op_type": "index", "_index": index, "_id": str(doc["id"]), "_source": es_source(doc)} for doc in docs]


def delete_actions(ids: Iterable[str], index: str) -> list[dict[str, Any]]:
    return [{"_op_type": "delete", "_index": index, "_id": str(doc_id)} for doc_id in ids]


# --- entity labels -------------------------------------------------------------------------------


def labels_index_body(*, replicas: int | None = None) -> dict[str, Any]:
    """Body of `PUT /<alias>-entity-labels`: display names of person/org facet keys, beside the
    versions (a re-index keeps them). One shard; the replicas of the versions."""
    settings: dict[str, Any] = {"number_of_shards": 1}
    if replicas is not None:
        settings["number_of_replicas"] = replicas
    return {
        "settings": {"index": settings},
        "mappings": {"dynamic": "strict", "properties": {"label": {"type": "keyword", "index": False}}},
    }


def label_actions(labels: dict[str, str], index: str) -> list[dict[str, Any]]:
    """One `index` operation per label, `_id` = the facet key ("person:slug"): saving again replaces."""
    return [
        {"_op_type": "index", "_index": index, "_id": ref, "_source": {"label": label}} for ref, label in labels.items()
    ]


# --- aliases -------------------------------------------------------------------------------------


def alias_swap_actions(alias: str, new_index: str, old_indices: Iterable[str]) -> dict[str, Any]:
    """Body of one `POST /_aliases` call: remove the alias from the old versions and add it to the
    new one. Elasticsearch applies all actions atomically: searches see either the old or the new
    version, never none."""
    actions: list[dict[str, Any]] = [
        {"remove": {"index": old, "alias": alias}} for old in sorted(set(old_indices)) if old != new_index
    ]
    actions.append({"add": {"index": new_index, "alias": alias}})
    return {"actions": actions}


# --- queries -------------------------------------------------------------------------------------


def _term(field: str, value: str, boost: float) -> dict[str, Any]:
    return {"term": {field: {"value": value, "boost": boost}}}


def clause_query(clause: Clause) -> dict[str, Any]:
    """One parsed clause: a word matches its exact form or any of its stems, in title or body
    (or the field it names); a phrase matches consecutive exact forms."""
    if isinstance(clause, AnyOf):
        return {"bool": {"should": [clause_query(option) for option in clause.options]}}
    fields = (clause.field,) if clause.field else SEARCHED_TEXT
    parts: list[dict[str, Any]] = []
    for name in fields:
        if isinstance(clause, Term):
            parts.append(_term(f"{name}_exact", clause.exact, EXACT_BOOST[name]))
            parts += [_term(f"{name}_stem", stem, STEM_BOOST[name]) for stem in clause.stems]
        elif len(clause.words) == 1:
            parts.append(_term(f"{name}_exact", clause.words[0], EXACT_BOOST[name]))
        else:
            phrase: dict[str, Any] = {"query": " ".join(clause.words), "boost": EXACT_BOOST[name] * PHRASE_BOOST}
            if clause.slop:
                phrase["slop"] = clause.slop
            parts.append({"match_phrase": {f"{name}_exact": phrase}})
    if len(parts) == 1:
        return parts[0]
    if ranking.TIE_BREAKER is not None and isinstance(clause, Term):
        return {"dis_max": {"queries": parts, "tie_breaker": ranking.TIE_BREAKER}}
    return {"bool": {"should": parts}}


def _boosted(query: dict[str, Any], boost: float) -> dict[str, Any]:
    return query if boost == 1.0 else {"bool": {"should": [query], "boost": boost}}


def text_query(parsed: ParsedQuery | None) -> dict[str, Any] | None:
    """The scored part of the query; None when there is nothing to match (browse).

    Same structure as `TantivyEngine._text_query`: `must` clauses are required; the `should`
    group needs `minimum_should_match` of its clauses and is itself required when nothing else is;
    stopwords (`optional`) only add score; `must_not` excludes. A query with only exclusions
    matches everything else."""
    if parsed is None:
        return None
    must = [clause_query(c) for c in parsed.must]
    should: list[dict[str, Any]] = []
    if parsed.should:
        group: dict[str, Any] = {"should": [clause_query(c) for c in parsed.should]}
        if parsed.minimum_should_match:
            group["minimum_should_match"] = parsed.minimum_should_match
        (should if must else must).append({"bool": group})
    positive = bool(must)
    if positive:
        should += [clause_query(c) for c in parsed.optional]
        if ranking.PROXIMITY_BOOST:
            should += [_boosted(clause_query(c), ranking.PROXIMITY_BOOST) for c in parsed.proximity]
        if ranking.ENTITY_BOOST:
            should += [
                {"constant_score": {"filter": {"term": {facet: key}}, "boost": ranking.ENTITY_BOOST}}
                for facet, key in parsed.entities
            ]
    must_not = [clause_query(c) for c in parsed.must_not]
    if not (must or must_not):
        return None
    if not positive:
        must.append({"match_all": {}})
    body: dict[str, Any] = {"must": must}
    if should:
        body["should"] = should
    if must_not:
        body["must_not"] = must_not
    return {"bool": body}


def with_expansion(query: dict[str, Any] | None, expansion: Iterable[tuple[str, float]]) -> dict[str, Any] | None:
    """Feedback terms add score on `body_stem` to what the query matches; they never add hits
    (the query is a `must`, the terms are `should` beside it)."""
    expansion = list(expansion)
    if query is None or not expansion:
        return query
    return {"bool": {"must": [query], "should": [_term("body_stem", term, boost) for term, boost in expansion]}}


def facet_filter(facet: str, keys: Iterable[str]) -> dict[str, Any]:
    return {"terms": {FACETS_BY_NAME[facet].field: sorted(set(keys))}}


def selection_filters(request: SearchRequest, skip_facet: str | None = None) -> list[dict[str, Any]]:
    """Selected facet values: OR within a facet (`terms`), AND across facets (one filter each)."""
    return [facet_filter(facet, keys) for facet, keys in request.filters if keys and facet != skip_facet]


def exclusion_filters(request: SearchRequest, skip_facet: str | None = None) -> list[dict[str, Any]]:
    """Excluded facet values (`not_source=…`): in `post_filter` and in the other facets' counts, so
    that an excluded value's own row still says how many documents it would bring back."""
    return [facet_filter(facet, keys) for facet, keys in request.excludes if keys and facet != skip_facet]


def _bool_filter(filters: list[dict[str, Any]], must_not: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not filters and not must_not:
        return None
    body: dict[str, Any] = {}
    if filters:
        body["filter"] = filters
    if must_not:
        body["must_not"] = must_not
    return {"bool": body}


def date_range(request: SearchRequest) -> dict[str, Any] | None:
    low, high = day_of(request.date_from), day_of(request.date_to)
    if low is None and high is None:
        return None
    bounds: dict[str, Any] = {}
    if low is not None:
        bounds["gte"] = low
    if high is not None:
        bounds["lte"] = high
    bounds["format"] = "yyyy-MM-dd"
    return {"range": {"date": bounds}}


def main_query(request: SearchRequest) -> dict[str, Any]:
    """Text (with feedback terms) and the date range: what both the hits and every facet count
    start from. Facet selections and exclusions are not here (see `post_filter`)."""
    scored = with_expansion(text_query(request.query), request.expansion)
    rng = date_range(request)
    if rng is None:
        return scored if scored is not None else {"match_all": {}}
    return {"bool": {"must": [scored if scored is not None else {"match_all": {}}], "filter": [rng]}}


def post_filter(request: SearchRequest) -> dict[str, Any] | None:
    return _bool_filter(selection_filters(request), exclusion_filters(request))


def build_facet_aggs(request: SearchRequest) -> dict[str, Any]:
    """One aggregation per requested facet: a `filter` aggregation holding the other facets'
    selections and exclusions (multi-select: a facet's counts ignore its own), wrapping a `terms`
    aggregation ordered by count, then key (the embedded engine's order)."""
    aggs: dict[str, Any] = {}
    for name in request.facets:
        others = _bool_filter(selection_filters(request, skip_facet=name), exclusion_filters(request, skip_facet=name))
        aggs[name] = {
            "filter": others or {"match_all": {}},
            "aggs": {
                FACET_AGG_TERMS: {
                    "terms": {
                        "field": FACETS_BY_NAME[name].field,
                        "size": fetch_size(name, request.facet_size),
                        "order": [{"_count": "desc"}, {"_key": "asc"}],
                    }
                }
            },
        }
    return aggs


def effective_sort(request: SearchRequest) -> str:
    """Relevance only means something for a query; browsing is sorted by date (as in tantivy)."""
    if request.sort == "relevance" and not request.browsing:
        return "relevance"
    return "oldest" if request.sort == "oldest" else "newest"


def sort_clause(request: SearchRequest) -> list[Any]:
    """Undated articles come last in both date orders; the id breaks ties so that pages are
    stable and `search_after` can resume exactly."""
    sort = effective_sort(request)
    if sort == "relevance":
        return [{"_score": {"order": "desc"}}, {"id": {"order": "asc"}}]
    order = "asc" if sort == "oldest" else "desc"
    return [{"date": {"order": order, "missing": "_last"}}, {"id": {"order": "asc"}}]


def build_search_body(
    request: SearchRequest,
    *,
    search_after: list[Any] | None = None,
    pit: dict[str, Any] | None = None,
    page_size: int | None = None,
    aggregations: bool = True,
) -> dict[str, Any]:
    """The body of `POST /<alias>/_search` for `request`.

    Paging is `from`/`size`; for deep paging and export give `search_after` (the `sort` values of
    the last hit seen) and, ideally, a point in time (`pit`), and no aggregations."""
    body: dict[str, Any] = {
        "query": main_query(request),
        "sort": sort_clause(request),
        "_source": {"includes": list(RETURNED_FIELDS)},
        "track_total_hits": True,
    }
    deep = search_after is not None or pit is not None or page_size is not None
    if deep:
        body["size"] = page_size or request.size
        body["track_total_hits"] = False
        if search_after is not None:
            body["search_after"] = list(search_after)
    else:
        body["from"] = request.offset
        body["size"] = request.size
    if pit is not None:
        body["pit"] = pit
    pf = post_filter(request)
    if pf is not None:
        body["post_filter"] = pf
    if aggregations and not deep and request.facets:
        body["aggs"] = build_facet_aggs(request)
    if request.collapse and not deep:
        # one hit per story, the first in the sort order; the cardinality counts the stories of
        # every match (precise far beyond a page: 40,000 is the highest precision threshold)
        body["collapse"] = {"field": "story"}
        body.setdefault("aggs", {})[STORY_TOTAL_AGG] = {
            "filter": pf or {"match_all": {}},
            "aggs": {"count": {"cardinality": {"field": "story", "precision_threshold": 40_000}}},
        }
    return body


def parse_story_total(request: SearchRequest, aggregations: dict[str, Any] | None) -> int | None:
    if not request.collapse:
        return None
    found = ((aggregations or {}).get(STORY_TOTAL_AGG) or {}).get("count") or {}
    return int(found.get("value", 0))


def story_docs_body(field: str, values: list[str], limit: int, sketches: bool) -> dict[str, Any]:
    """`POST /<alias>/_search` for the documents whose `story` (or `story_band`) is one of `values`."""
    includes = ["id", "story", "story_sketch"] if sketches else list(RETURNED_FIELDS)
    return {
        "query": {"bool": {"filter": [{"terms": {field: sorted(set(values))}}]}},
        "size": limit,
        "_source": {"includes": includes},
        "track_total_hits": False,
    }


def term_counts_body(field: str, terms: list[str]) -> dict[str, Any]:
    """`POST /<alias>/_search` counting the documents that hold each of `terms` in keyword `field`
    (story sizes, lead-word counts)."""
    wanted = sorted(set(terms))
    return {
        "size": 0,
        "track_total_hits": False,
        "query": {"bool": {"filter": [{"terms": {field: wanted}}]}},
        "aggs": {"counts": {"terms": {"field": field, "include": wanted, "size": max(1, len(wanted))}}},
    }


def parse_term_counts(aggregations: dict[str, Any] | None) -> dict[str, int]:
    buckets = ((aggregations or {}).get("counts") or {}).get("buckets") or []
    return {str(b["key"]): int(b["doc_count"]) for b in buckets}


def parse_facets(request: SearchRequest, aggregations: dict[str, Any] | None) -> dict[str, list[tuple[str, int]]]:
    aggregations = aggregations or {}
    counts: dict[str, list[tuple[str, int]]] = {}
    for name in request.facets:
        buckets = aggregations.get(name, {}).get(FACET_AGG_TERMS, {}).get("buckets", [])
        counts[name] = [(str(b.get("key_as_string", b["key"])), int(b["doc_count"])) for b in buckets]
    return counts


def hit_doc(source: dict[str, Any] | None) -> dict[str, Any]:
    """A hit's document with the same keys the embedded engine returns."""
    source = dict(source or {})
    doc = {name: source.get(name) for name in RETURNED_FIELDS}
    if isinstance(source.get("story_sketch"), str):  # asked for by story lookups only
        doc["story_sketch"] = base64.b64decode(source["story_sketch"])
    for name in LIST_FIELDS:
        doc[name] = doc[name] or []
    return doc
