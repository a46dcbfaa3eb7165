"""The embedded engine: a tantivy index in a folder on disk (the default; nothing else to install).

Analysis is done in Python before documents and queries arrive (search.document, search.query),
so every text field uses tantivy's `whitespace` tokenizer over pre-analyzed tokens. The original
article is stored once, as a JSON `_source` blob, like Elasticsearch does.

One process writes (the indexer) while any number of processes read (the web workers): readers
reload the index when a commit lands, so a running index job shows up without a restart.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import tantivy

from search.arabic import analyze
from search.engines.base import EngineError, Hit, SearchRequest, SearchResult
from search.query import ranking
from search.query.parser import AnyOf, Clause, ParsedQuery, Term
from search.query.ranking import EXACT_BOOST, PHRASE_BOOST, STEM_BOOST
from search.schema import FACETS_BY_NAME, FIELDS, RETURNED_FIELDS, SCHEMA_VERSION, SEARCHED_TEXT, Kind, fetch_size
from search.stories import EXACT_STORY_COUNT_UP_TO, story_key, story_number

FACET_CACHE_SIZE = 512
ITER_MIN_PAGE = 1000  # hits per page of a whole-result-set walk (iter_all)...
ITER_PAGES = 64  # ...and at most this many pages, however many hits
COLLAPSE_WALK_LIMIT = 20_000  # hits read at most to group a page by story (deeper pages stop there)
DATE_MISSING_NEWEST = -(2**62)  # undated articles sort last in "newest"
DATE_MISSING_OLDEST = 2**62  # ... and last in "oldest"
_EPOCH = dt.date(1970, 1, 1)


def _build_schema() -> tantivy.Schema:
    """The tantivy schema of search.schema.FIELDS: the id, the `_source` blob of the returned
    fields, then a field for each kind that is searched, in table order, then the date's columns."""
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_bytes_field("_source", stored=True)
    for field in FIELDS:
        if field.kind == Kind.EXACT:
            sb.add_text_field(field.name, tokenizer_name="whitespace", index_option="position")
        elif field.kind == Kind.STEMS:
            sb.add_text_field(field.name, tokenizer_name="whitespace", index_option="freq")
        elif field.kind == Kind.FACET:
            sb.add_text_field(field.name, fast=True, tokenizer_name="raw", index_option="basic")
        elif field.kind == Kind.STORY:
            # the key (filters, lookups) and the same key as a number: grouping a result list
            # reads it for many hits at once
            sb.add_text_field(field.name, stored=True, fast=True, tokenizer_name="raw", index_option="basic")
            sb.add_unsigned_field("story_num", fast=True, indexed=False)
        elif field.kind in (Kind.LOOKUP, Kind.COUNTED):
            # looked up, and counted by document frequency: not stored (the sketch holds the bands)
            sb.add_text_field(field.name, tokenizer_name="raw", index_option="basic")
        elif field.kind == Kind.BINARY:
            sb.add_bytes_field(field.name, stored=True)
    # the date (kept in `_source`) as numbers: range filters, and the two date orders
    sb.add_integer_field("day", fast=True, indexed=True)  # days since 1970-01-01
    sb.add_integer_field("sort_newest", fast=True)
    sb.add_integer_field("sort_oldest", fast=True)
    return sb.build()


def _day_number(iso_date: str | None) -> int | None:
    if not iso_date:
        return None
    try:
        return (dt.date.fromisoformat(iso_date[:10]) - _EPOCH).days
    except ValueError:
        return None


class TantivyEngine:
    name = "tantivy"
    _labels_cache: tuple[float, dict[str, str]] | None = None  # (mtime of the file, labels)
    _meta_stamp: int | None  # meta.json's mtime when last read

    def __init__(
        self, path: str | Path, *, writable: bool = False, heap_bytes: int = 256_000_000, writer_threads: int = 1
    ):
        self.path = Path(path)
        self.schema = _build_schema()
        marker = self.path / "arshif.json"
        if writable:
            self.path.mkdir(parents=True, exist_ok=True)
            if marker.exists():
                self._check_version(marker)
            else:
                marker.write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
        elif not (self.path / "meta.json").exists():
            raise EngineError(f"No index at {self.path}: run `arshif index --index {self.path} ARCHIVE` first")
        else:
            self._check_version(marker)
        try:
            self.index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        except ValueError as error:
            raise EngineError(f"Cannot open the index at {self.path}: {error}") from error
        self._writer = self.index.writer(heap_size=heap_bytes, num_threads=writer_threads) if writable else None
        self._reload_lock = threading.Lock()
        self._facet_cache: dict[tuple, dict[str, list[tuple[str, int]]]] = {}
        self._meta_stamp = self._stamp()

    def _stamp(self) -> int | None:
        try:
            return (self.path / "meta.json").stat().st_mtime_ns
        except OSError:
            return None

    @staticmethod
    def _check_version(marker: Path) -> None:
        try:
            version = json.loads(marker.read_text()).get("schema_version")
        except (OSError, ValueError):
            version = None
        if version != SCHEMA_VERSION:
            raise EngineError(
                f"The index at {marker.parent} was built by another version of Arshif "
                f"(schema {version!r}, expected {SCHEMA_VERSION!r}): index again into a new folder"
            )

    # --- writing ---------------------------------------------------------------------------

    def _to_tantivy(self, doc: dict[str, Any]) -> tantivy.Document:
        tdoc = tantivy.Document()
        tdoc.add_text("id", doc["id"])
        source = {name: doc.get(name) for name in RETURNED_FIELDS}
        for field in FIELDS:
            value = doc.get(field.name)
            if field.returned and field.many:
                source[field.name] = value or []
            if field.kind in (Kind.EXACT, Kind.STEMS):
                tdoc.add_text(field.name, value or "")
            elif field.kind == Kind.FACET:
                for item in value if isinstance(value, list) else [value]:
                    if item:
                        tdoc.add_text(field.name, str(item))
            elif field.kind == Kind.STORY:
                story = value or story_key(str(doc["id"]))
                tdoc.add_text(field.name, story)
                tdoc.add_unsigned("story_num", story_number(story))
            elif field.kind in (Kind.LOOKUP, Kind.COUNTED):
                tdoc.extend({field.name: list(value or ())}, self.schema)
            elif field.kind == Kind.BINARY and value:
                tdoc.add_bytes(field.name, bytes(value))
        tdoc.add_bytes("_source", json.dumps(source, ensure_ascii=False).encode("utf-8"))
        day = _day_number(doc.get("date"))
        if day is not None:
            tdoc.add_integer("day", day)
        tdoc.add_integer("sort_newest", day if day is not None else DATE_MISSING_NEWEST)
        tdoc.add_integer("sort_oldest", day if day is not None else DATE_MISSING_OLDEST)
        return tdoc

    def upsert(self, docs: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
        writer = self._require_writer()
        failures: list[tuple[str, str]] = []
        for doc in docs:
            try:
                tdoc = self._to_tantivy(doc)
                writer.delete_documents_by_term("id", doc["id"])
                writer.add_document(tdoc)
            except (ValueError, TypeError, KeyError) as error:
                failures.append((str(doc.get("id")), f"engine refused the document: {error}"))
        return failures

    def delete(self, ids: Iterable[str]) -> None:
        writer = self._require_writer()
        for doc_id in ids:
            writer.delete_documents_by_term("id", doc_id)

    def commit(self) -> None:
        self._require_writer().commit()
        self.index.reload()
        self._facet_cache.clear()
        self._meta_stamp = self._stamp()

    def close(self) -> None:
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None

    def _require_writer(self):
        if self._writer is None:
            raise EngineError("this engine was opened read-only")
        return self._writer

    # --- reading ---------------------------------------------------------------------------

    def _searcher(self) -> tantivy.Searcher:
        """A searcher on the latest commit: a commit rewrites meta.json, so a cheap stat per
        search tells every reading process at once (they then all show the same results)."""
        if self._writer is None:
            stamp = self._stamp()
            if stamp is None:  # cannot tell: keep the searcher we have
                stamp = self._meta_stamp
            if stamp != self._meta_stamp:
                with self._reload_lock:
                    if stamp != self._meta_stamp:
                        self.index.reload()
                        self._meta_stamp = stamp
        return self.index.searcher()

    @staticmethod
    def _source_of(tdoc: tantivy.Document) -> dict[str, Any]:
        source = tdoc.get_first("_source")
        if source is None:  # every document is written with its _source
            raise EngineError("a document without _source: the index is damaged (re-index it)")
        return json.loads(source.decode("utf-8"))

    def get(self, doc_id: str) -> dict[str, Any] | None:
        searcher = self._searcher()
        result = searcher.search(tantivy.Query.term_query(self.schema, "id", doc_id), 1, count=False)
        if not result.hits:
            return None
        return self._source_of(searcher.doc(result.hits[0][1]))

    def existing_hashes(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        searcher = self._searcher()
        query = tantivy.Query.term_set_query(self.schema, "id", list(ids))
        result = searcher.search(query, len(ids) * 2, count=False)
        hashes = {}
        for _, address in result.hits:
            source = self._source_of(searcher.doc(address))
            hashes[source["id"]] = source.get("hash") or ""
        return hashes

    def feedback_terms(self, doc_id: str) -> dict[str, tuple[int, int]]:
        doc = self.get(doc_id)
        if doc is None:
            return {}
        searcher = self._searcher()
        counts: dict[str, int] = {}
        for text in (doc.get("title"), doc.get("body")):
            for variants in analyze(text).stem:
                for stem in variants:
                    counts[stem] = counts.get(stem, 0) + 1
        return {term: (tf, searcher.doc_freq("body_stem", term)) for term, tf in counts.items()}

    LABELS_FILE = "entity_labels.json"

    def entity_labels(self) -> dict[str, str]:
        path = self.path / self.LABELS_FILE
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            return {}
        cached = self._labels_cache
        if cached is None or cached[0] != mtime:
            try:
                cached = (mtime, json.loads(path.read_text(encoding="utf-8")))
            except ValueError:
                cached = (mtime, {})
            self._labels_cache = cached
        return cached[1]

    def save_entity_labels(self, labels: dict[str, str]) -> None:
        merged = {**self.entity_labels(), **labels}
        path = self.path / self.LABELS_FILE
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(merged, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        temporary.replace(path)  # atomic: a reading web worker never sees half a file

    def count(self) -> int:
        return self._searcher().num_docs

    def health(self) -> dict[str, Any]:
        try:
            return {"engine": self.name, "ok": True, "docs": self.count(), "path": str(self.path)}
        except Exception as error:  # noqa: BLE001 - health must answer, whatever the state
            return {"engine": self.name, "ok": False, "error": str(error)}

    def search(self, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        searcher = self._searcher()
        query = self._query(request)
        stories = None
        if request.collapse:
            total, found = self._collapsed(searcher, query, request)
            stories = self._story_count(searcher, query, total)
        else:
            total, found = self._ranked(searcher, query, request, request.offset, request.size)
        hits = [self._hit(searcher, request, key, address) for key, address in found[: request.size]]
        facets = self._facet_counts(searcher, request)
        return SearchResult(
            total=total,
            hits=hits,
            facets=facets,
            stories=None if stories is None else int(stories),
            took_ms=(time.perf_counter() - started) * 1000,
        )

    def _query(self, request: SearchRequest) -> tantivy.Query:
        """What `search` and `iter_all` run: the scored text, its feedback terms, the filters."""
        scored = self._with_expansion(self._text_query(request.query), request)
        return self._with_filters(scored, request, skip_facet=None)

    @staticmethod
    def _story_count(searcher, query, total: int) -> int:
        """Stories among `total` matches: exact (one bucket per story: about 1 ms a thousand) up to
        EXACT_STORY_COUNT_UP_TO matches, as Elasticsearch's cardinality is below its precision threshold;
        past it tantivy's HyperLogLog estimate (within about 2 % on the corpus), which costs 1 ms."""
        if not total:
            return 0
        if total <= EXACT_STORY_COUNT_UP_TO:
            buckets = searcher.aggregate(query, {"s": {"terms": {"field": "story_num", "size": total}}})
            return len(buckets["s"]["buckets"])
        return int(searcher.cardinality(query, "story_num"))

    def iter_all(self, request: SearchRequest, page_size: int = ITER_MIN_PAGE) -> Iterator[Hit]:
        """Every hit in `search`'s order, page by page over one searcher (one commit, whatever
        lands meanwhile). tantivy has no `search_after`, so a page is an offset: pages grow with the
        match count so that a walk takes at most ITER_PAGES passes over the matches, and only one
        page of addresses is held at a time; documents are read one by one as they are consumed."""
        searcher = self._searcher()
        query = self._query(request)
        order = self._order(request)
        total = searcher.search(query, 1, count=True, **order).count  # type: ignore[attr-defined]  # not in the stub
        size = max(page_size, -(-total // ITER_PAGES))
        for offset in range(0, total, size):
            for key, address in searcher.search(query, size, count=False, offset=offset, **order).hits:
                yield self._hit(searcher, request, key, address)

    @staticmethod
    def _by_score(request: SearchRequest) -> bool:
        return request.sort == "relevance" and not request.browsing

    def _order(self, request: SearchRequest) -> dict[str, Any]:
        """tantivy's search arguments for the request's order: by score, or by date (undated last)."""
        if self._by_score(request):
            return {}
        if request.sort == "oldest":
            return {"order_by_field": "sort_oldest", "order": tantivy.Order.Asc}
        return {"order_by_field": "sort_newest", "order": tantivy.Order.Desc}

    def _hit(self, searcher, request: SearchRequest, key, address) -> Hit:
        source = self._source_of(searcher.doc(address))
        return Hit(id=source["id"], score=key if self._by_score(request) else None, doc=source)

    def _ranked(
        self, searcher, query, request: SearchRequest, offset: int, size: int, count: bool = True
    ) -> tuple[int, list[tuple[Any, Any]]]:
        """(number of matches, [(sort key, address)]) in the request's order."""
        limit = max(size, 1)  # tantivy refuses 0; size 0 asks for counts and facets only
        result = searcher.search(query, limit, count=count, offset=offset, **self._order(request))
        return result.count or 0, list(result.hits)

    def _collapsed(self, searcher, query, request: SearchRequest) -> tuple[int, list[tuple[Any, Any]]]:
        """The first hit of each story, in the request's order: hits are read in growing chunks
        and grouped by the `story_num` column (no stored document is read to group them)."""
        wanted = request.offset + request.size
        seen: set[int] = set()
        firsts: list[tuple[Any, Any]] = []
        total: int | None = None
        read, chunk = 0, max(2 * wanted, 64)
        while len(firsts) < wanted and read < COLLAPSE_WALK_LIMIT:
            count, page = self._ranked(
                searcher, query, request, read, min(chunk, COLLAPSE_WALK_LIMIT - read), count=total is None
            )
            if total is None:
                total = count
            numbers = searcher.fast_field_values("story_num", [address for _, address in page]) if page else []
            for (score, address), number in zip(page, numbers, strict=True):
                key = number if number is not None else -1 - len(firsts)  # no story: a story of its own
                if key not in seen:
                    seen.add(key)
                    firsts.append((score, address))
            read += len(page)
            if len(page) < chunk:
                break
            chunk *= 2
        return total or 0, firsts[request.offset : wanted]

    # --- stories (search.stories) ----------------------------------------------------------

    def story_docs(
        self, field: str, values: list[str], *, limit: int = 1000, sketches: bool = False
    ) -> list[dict[str, Any]]:
        """Documents whose `story` (or `story_band`) is one of `values`: their stored fields, or
        with `sketches` only what story detection reads back (no JSON to parse)."""
        if field not in ("story", "story_band"):
            raise ValueError(f"not a story field: {field}")
        if not values:
            return []
        searcher = self._searcher()
        result = searcher.search(
            tantivy.Query.term_set_query(self.schema, field, list(values)), max(1, limit), count=False
        )
        rows = []
        for _, address in result.hits:
            tdoc = searcher.doc(address)
            if sketches:
                rows.append(
                    {
                        "id": tdoc.get_first("id"),
                        "story": tdoc.get_first("story"),
                        "story_sketch": tdoc.get_first("story_sketch"),
                    }
                )
            else:
                rows.append(self._source_of(tdoc))
        return rows

    def story_sizes(self, keys: list[str]) -> dict[str, int]:
        """Number of indexed articles of each story."""
        if not keys:
            return {}
        searcher = self._searcher()
        query = tantivy.Query.term_set_query(self.schema, "story", list(keys))
        result = searcher.aggregate(query, {"sizes": {"terms": {"field": "story", "size": len(keys)}}})
        return {str(b["key"]): int(b["doc_count"]) for b in result.get("sizes", {}).get("buckets", [])}

    def doc_freqs(self, field: str, terms: list[str]) -> dict[str, int]:
        """Number of documents whose keyword `field` holds each term (story detection's word counts)."""
        searcher = self._searcher()
        return {term: searcher.doc_freq(field, term) for term in terms}

    # --- query building (mirrors search.engines.elasticsearch_engine) -----------------------

    def _term(self, field: str, value: str) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, field, value)

    def _boosted(self, query: tantivy.Query, boost: float) -> tantivy.Query:
        return query if boost == 1.0 else tantivy.Query.boost_query(query, boost)

    def _clause(self, clause: Clause) -> tantivy.Query:
        Should = tantivy.Occur.Should
        if isinstance(clause, AnyOf):
            return tantivy.Query.boolean_query([(Should, self._clause(o)) for o in clause.options])
        fields = (clause.field,) if clause.field else SEARCHED_TEXT
        parts: list[tantivy.Query] = []
        for name in fields:
            if isinstance(clause, Term):
                parts.append(self._boosted(self._term(f"{name}_exact", clause.exact), EXACT_BOOST[name]))
                for stem in clause.stems:
                    parts.append(self._boosted(self._term(f"{name}_stem", stem), STEM_BOOST[name]))
            elif len(clause.words) == 1:
                parts.append(self._boosted(self._term(f"{name}_exact", clause.words[0]), EXACT_BOOST[name]))
            else:
                phrase = tantivy.Query.phrase_query(self.schema, f"{name}_exact", list(clause.words), clause.slop)
                parts.append(self._boosted(phrase, EXACT_BOOST[name] * PHRASE_BOOST))
        if len(parts) == 1:
            return parts[0]
        if ranking.TIE_BREAKER is not None and isinstance(clause, Term):
            return tantivy.Query.disjunction_max_query(parts, ranking.TIE_BREAKER)
        return tantivy.Query.boolean_query([(Should, p) for p in parts])

    def _text_query(self, parsed: ParsedQuery | None, *, scored: bool = True) -> tantivy.Query | None:
        """The scored part of the query; None when there is nothing to match (browse). Not
        `scored`: the same matches without the clauses that only rank (optional words, proximity,
        entities), for counting: a phrase clause costs position reads on every match."""
        if parsed is None:
            return None
        Occur = tantivy.Occur
        clauses: list[tuple[Any, tantivy.Query]] = [(Occur.Must, self._clause(c)) for c in parsed.must]
        if parsed.should:
            group = tantivy.Query.boolean_query(
                [(Occur.Should, self._clause(c)) for c in parsed.should],
                minimum_number_should_match=parsed.minimum_should_match or None,
            )
            clauses.append((Occur.Should if parsed.must else Occur.Must, group))
        positive = bool(clauses)
        clauses += [(Occur.Should, self._clause(c)) for c in parsed.optional] if positive and scored else []
        if positive and scored and ranking.PROXIMITY_BOOST:
            clauses += [
                (Occur.Should, self._boosted(self._clause(c), ranking.PROXIMITY_BOOST)) for c in parsed.proximity
            ]
        if positive and scored and ranking.ENTITY_BOOST:
            clauses += [
                (Occur.Should, tantivy.Query.const_score_query(self._term(facet, key), ranking.ENTITY_BOOST))
                for facet, key in parsed.entities
            ]
        clauses += [(Occur.MustNot, self._clause(c)) for c in parsed.must_not]
        if not clauses:
            return None
        if not positive:
            clauses.append((Occur.Must, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(clauses)

    def _with_expansion(self, text_query: tantivy.Query | None, request: SearchRequest) -> tantivy.Query | None:
        """Feedback terms add to the score of documents the query already matches, nothing more."""
        if text_query is None or not request.expansion:
            return text_query
        Occur = tantivy.Occur
        clauses = [(Occur.Must, text_query)]
        clauses += [
            (Occur.Should, self._boosted(self._term("body_stem", term), boost)) for term, boost in request.expansion
        ]
        return tantivy.Query.boolean_query(clauses)

    def _with_filters(
        self, text_query: tantivy.Query | None, request: SearchRequest, skip_facet: str | None
    ) -> tantivy.Query:
        Occur = tantivy.Occur
        clauses: list[tuple[Any, tantivy.Query]] = []
        if text_query is not None:
            clauses.append((Occur.Must, text_query))
        for facet, keys in request.filters:
            if facet == skip_facet or not keys:
                continue
            field = FACETS_BY_NAME[facet].field
            clauses.append((Occur.Must, tantivy.Query.term_set_query(self.schema, field, list(keys))))
        for facet, keys in request.excludes:
            if facet == skip_facet:
                continue
            field = FACETS_BY_NAME[facet].field
            for key in keys:
                clauses.append((Occur.MustNot, self._term(field, key)))
        low, high = _day_number(request.date_from), _day_number(request.date_to)
        if low is not None or high is not None:
            clauses.append(
                (Occur.Must, tantivy.Query.range_query(self.schema, "day", tantivy.FieldType.Integer, low, high))
            )
        if not any(occur == Occur.Must for occur, _ in clauses):
            clauses.append((Occur.Must, tantivy.Query.all_query()))
        if len(clauses) == 1:
            return clauses[0][1]
        return tantivy.Query.boolean_query(clauses)

    def _facet_counts(self, searcher, request: SearchRequest) -> dict[str, list[tuple[str, int]]]:
        """Facet counts, cached per commit: paging, re-sorting and the facet-less first pass of
        feedback all ask for the same counts, and aggregating high-cardinality entity facets over
        a large match set is the costliest part of a search."""
        key = (
            self._meta_stamp,
            request.query,
            request.filters,
            request.excludes,
            request.date_from,
            request.date_to,
            request.facets,
            request.facet_size,
        )
        cached = self._facet_cache.get(key)
        if cached is None:  # counted over the matches alone, without the clauses that only rank
            cached = self._count_facets(searcher, self._text_query(request.query, scored=False), request)
            with self._reload_lock:
                if len(self._facet_cache) >= FACET_CACHE_SIZE:
                    self._facet_cache.pop(next(iter(self._facet_cache)))
                self._facet_cache[key] = cached
        return cached

    def _exact_counts(self, searcher, query, field: str, counts: list[tuple[str, int]]) -> list[tuple[str, int]]:
        """The true count of each value. tantivy keeps each segment's most frequent values only,
        so a value rare in one segment is undercounted (محمد بن سلمان: 567 for 573 on the corpus),
        and choosing it would give more hits than it said. When tantivy reports a possible error,
        each offered value is counted on its own: a fraction of a millisecond each."""
        Must = tantivy.Occur.Must
        exact = [
            (
                key,
                searcher.search(
                    tantivy.Query.boolean_query([(Must, query), (Must, self._term(field, key))]), 1, count=True
                ).count,
            )
            for key, _ in counts
        ]
        return sorted(exact, key=lambda kv: (-kv[1], kv[0]))

    def _count_facets(self, searcher, text_query, request: SearchRequest) -> dict[str, list[tuple[str, int]]]:
        """Multi-select facets: a facet with a selection or an exclusion is counted without them, so
        every offered value says how many documents choosing it would give."""
        if not request.facets:
            return {}
        selected = {facet for facet, keys in request.filters + request.excludes if keys}
        groups: list[tuple[str | None, list[str]]] = [(None, [f for f in request.facets if f not in selected])]
        groups += [(f, [f]) for f in request.facets if f in selected]
        counts: dict[str, list[tuple[str, int]]] = {}
        for skip, facet_names in groups:
            if not facet_names:
                continue
            aggs = {
                name: {
                    "terms": {
                        "field": FACETS_BY_NAME[name].field,
                        "size": fetch_size(name, request.facet_size),
                        "show_term_doc_count_error": True,
                    }
                }
                for name in facet_names
            }
            query = self._with_filters(text_query, request, skip_facet=skip)
            try:
                result = searcher.aggregate(query, aggs)
            except ValueError as error:  # tantivy caps one aggregation at 65,000 buckets
                if "bucket limit" not in str(error):
                    raise
                raise EngineError(
                    f"too many facet values asked for at once ({error}): ask for fewer, or for one facet at a time"
                ) from error
            for name in facet_names:
                buckets = result.get(name, {}).get("buckets", [])
                counts[name] = [(str(b["key"]), int(b["doc_count"])) for b in buckets]
                if result.get(name, {}).get("doc_count_error_upper_bound"):
                    counts[name] = self._exact_counts(searcher, query, FACETS_BY_NAME[name].field, counts[name])
        return {name: counts.get(name, []) for name in request.facets}
