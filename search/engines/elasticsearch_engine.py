"""The Elasticsearch engine: the same Arshif on a cluster (Elasticsearch 8 or 9).

Analysis is done in Python before documents and queries arrive (search.document, search.query),
so the text fields use the `whitespace` analyzer over pre-analyzed tokens (index_config/), and the
request bodies (search.engines.es_requests) mirror the embedded engine clause by clause.

Index layout: versioned indices `<alias>-v<N>-<UTC timestamp>` behind one read alias
(`ARSHIF_ES_INDEX`, default `arshif`). `arshif index` writes into the version the alias points to
(creating the first one, with its alias, in one step); `reindex` builds a new version, swaps the
alias in one atomic `_aliases` call, and keeps the old version until `drop_old`. Every version
records the mapping version of index_config/mappings.json in its `_meta`; an index with another
mapping version is refused with a message saying what to run.

Errors reach people as `EngineError` with the cluster URL (never its password) and what to do.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout, HttpHeaders, SerializationError, TlsError, Transport, TransportError
from elastic_transport.client_utils import DEFAULT
from elasticsearch import (
    ApiError,
    AuthenticationException,
    AuthorizationException,
    Elasticsearch,
    NotFoundError,
    UnsupportedProductError,
    helpers,
)

from search.engines.base import EngineError, Hit, SearchRequest, SearchResult
from search.engines.es_requests import (
    RETURNED_FIELDS,
    STORY_INNER_LIMIT,
    IndexConfig,
    alias_swap_actions,
    build_search_body,
    bulk_actions,
    create_index_body,
    delete_actions,
    hit_doc,
    label_actions,
    labels_index_body,
    parse_facets,
    parse_story_total,
    parse_term_counts,
    story_docs_body,
    term_counts_body,
)

DEFAULT_URL = "http://localhost:9200"
REQUEST_TIMEOUT = 30.0  # seconds, for searches and small calls
BULK_TIMEOUT = 120.0  # seconds, for one bulk chunk
HEALTH_TIMEOUT = 5.0
MAX_RETRIES = 3  # transport retries on connection errors and 429/502/503/504
RETRY_BACKOFF = (0.5, 8.0)  # base and cap (seconds) of the jittered exponential backoff
BULK_CHUNK_DOCS = 500
BULK_CHUNK_BYTES = 20 * 1024 * 1024
BULK_MAX_RETRIES = 5  # per chunk, on 429 (cluster busy): waits 2, 4, 8, 16, 32 s
BULK_INITIAL_BACKOFF = 2.0
BULK_MAX_BACKOFF = 60.0
ITER_PAGE_SIZE = 1000
PIT_KEEP_ALIVE = "2m"
# The 9.x client asks for `compatible-with=9`, which an 8.x server refuses. Elasticsearch 9 still
# answers `compatible-with=8` (REST API compatibility), so asking for 8 works with both.
COMPATIBLE_WITH = "8"
_COMPAT = re.compile(r"compatible-with=\d+")


class _CompatTransport(Transport):
    """The client's transport, asking every server for the 8.x REST API (see COMPATIBLE_WITH)."""

    def perform_request(self, method, target, *, headers=DEFAULT, **kwargs):
        if headers is not DEFAULT and headers:
            headers = HttpHeaders(headers)
            for name in ("accept", "content-type"):
                if name in headers:
                    headers[name] = _COMPAT.sub(f"compatible-with={COMPATIBLE_WITH}", headers[name])
        return super().perform_request(method, target, headers=headers, **kwargs)


def safe_url(url: str | None) -> str:
    """The URL to show a person: without user name or password."""
    if not url:
        return DEFAULT_URL
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return url


def _es_error_reason(error: ApiError) -> tuple[str, str]:
    """(type, reason) from an Elasticsearch error body, whatever its shape."""
    body = getattr(error, "body", None)
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict):
            root = (err.get("root_cause") or [err])[0] if isinstance(err.get("root_cause"), list) else err
            return str(root.get("type") or err.get("type") or ""), str(root.get("reason") or err.get("reason") or "")
        if isinstance(err, str):
            return "", err
    return "", str(getattr(error, "message", "") or error)


def translate_error(error: BaseException, *, url: str, alias: str, action: str) -> EngineError:
    """An `EngineError` a person understands, from any client or transport exception."""
    where = f"Elasticsearch at {safe_url(url)}"
    if isinstance(error, EngineError):
        return error
    if isinstance(error, TlsError):
        return EngineError(
            f"cannot reach {where}: TLS/certificate problem ({_first_line(error)}); "
            "set ARSHIF_ES_CA_CERTS to the cluster's CA certificate file"
        )
    if isinstance(error, ConnectionTimeout):
        return EngineError(f"{where} did not answer in time while {action}: is the cluster overloaded or down?")
    if isinstance(error, TransportConnectionError):
        return EngineError(
            f"cannot reach {where} ({_connection_reason(error)}): is it running, and is ARSHIF_ES_URL right?"
        )
    if isinstance(error, UnsupportedProductError):
        return EngineError(
            f"the server at {safe_url(url)} is not Elasticsearch (or not a version Arshif supports: 8.x or 9.x)"
        )
    if isinstance(error, AuthenticationException):
        return EngineError(
            f"{where} refused the credentials (401) while {action}: set ARSHIF_ES_API_KEY, "
            "or ARSHIF_ES_USERNAME and ARSHIF_ES_PASSWORD"
        )
    if isinstance(error, AuthorizationException):
        _, reason = _es_error_reason(error)
        return EngineError(
            f"{where}: the credentials are not allowed to do this (403) while {action} on '{alias}': {reason}".rstrip(
                ": "
            )
        )
    if isinstance(error, ApiError):
        kind, reason = _es_error_reason(error)
        if kind == "index_not_found_exception" or (isinstance(error, NotFoundError) and "alias" in reason):
            return EngineError(
                f"no Elasticsearch index '{alias}' at {safe_url(url)}: run "
                "`arshif index --engine elasticsearch ARCHIVE` first"
            )
        if kind == "media_type_header_exception":
            return EngineError(f"{where} does not speak a REST API version Arshif uses (8.x or 9.x needed): {reason}")
        detail = f"{kind}: {reason}" if kind else reason
        return EngineError(f"{where} answered {error.meta.status} while {action}: {detail}")
    if isinstance(error, SerializationError):
        return EngineError(f"unexpected answer from {where} while {action}: {_first_line(error)}")
    if isinstance(error, TransportError):
        return EngineError(f"error talking to {where} while {action}: {_first_line(error)}")
    return EngineError(f"error while {action} on {where}: {error}")


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "message", "") or error)
    return text.splitlines()[0][:300] if text else type(error).__name__


def _connection_reason(error: BaseException) -> str:
    # without retries the transport's error reads only "Connection error"; the cause is in .message
    text = f"{error} {getattr(error, 'message', '')}".lower()
    for needle, reason in (
        ("refused", "connection refused"),
        ("name or service not known", "unknown host"),
        ("nodename nor servname", "unknown host"),
        ("temporary failure in name", "unknown host"),
        ("no route", "no route to host"),
        ("timed out", "timed out"),
        ("reset", "connection reset"),
    ):
        if needle in text:
            return reason
    return _first_line(error)


_VERSION_NAME = r"-v(\d+)-(\d{14})$"


def version_index_name(alias: str, generation: int, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return f"{alias}-v{generation}-{now:%Y%m%d%H%M%S}"


def version_generation(alias: str, index: str) -> int | None:
    match = re.match(re.escape(alias) + _VERSION_NAME, index)
    return int(match.group(1)) if match else None


@dataclass
class ReindexResult:
    new_index: str
    previous: list[str] = field(default_factory=list)
    docs: int = 0


class ElasticsearchEngine:
    """`Engine` on an Elasticsearch 8/9 cluster. Reads go through the read alias; a writable engine
    writes into the concrete index the alias points to (or the version being built by `reindex`)."""

    name = "elasticsearch"
    _labels_cache: tuple[float, dict[str, str]] | None = None  # (time read, labels)

    def __init__(
        self,
        client: Elasticsearch,
        *,
        alias: str = "arshif",
        writable: bool = False,
        url: str | None = None,
        config: IndexConfig | None = None,
        open_index: bool = True,
        shards: int | None = None,
        replicas: int | None = None,
    ):
        if not alias or alias != alias.lower() or not re.fullmatch(r"[a-z0-9][a-z0-9_.\-]*", alias):
            raise EngineError(
                f"invalid Elasticsearch index name {alias!r} (ARSHIF_ES_INDEX): use lowercase "
                "letters, digits, '-', '_' or '.'"
            )
        self.client = client
        self.alias = alias
        self.url = url or DEFAULT_URL
        self.writable = writable
        self.config = config or IndexConfig.load()
        self.shards, self.replicas = shards, replicas
        self._write_index: str | None = None  # concrete index written to (writable engines)
        self._building: str | None = None  # version being built by begin_reindex
        if open_index:
            self._open()

    # --- construction ----------------------------------------------------------------------

    @classmethod
    def from_settings(cls, settings, *, writable: bool = False, **kwargs) -> ElasticsearchEngine:
        client, url = make_client(settings)
        try:
            return cls(
                client,
                alias=settings.es_index or "arshif",
                writable=writable,
                url=url,
                shards=settings.es_shards,
                replicas=settings.es_replicas,
                config=IndexConfig.load(settings.es_config),
                **kwargs,
            )
        except BaseException:
            client.close()
            raise

    @contextmanager
    def _errors(self, action: str):
        try:
            yield
        except EngineError:
            raise
        except (ApiError, TransportError) as error:
            raise translate_error(error, url=self.url, alias=self.alias, action=action) from None

    def _open(self) -> None:
        current = self._alias_targets()
        if not current:
            if not self.writable:
                raise EngineError(
                    f"no Elasticsearch index '{self.alias}' at {safe_url(self.url)}: run "
                    "`arshif index --engine elasticsearch ARCHIVE` first"
                )
            self._write_index = self._create_version(with_alias=True)
            return
        if len(current) > 1:
            raise EngineError(
                f"the alias '{self.alias}' at {safe_url(self.url)} points to several indices "
                f"({', '.join(sorted(current))}): point it to one (POST /_aliases)"
            )
        index = current[0]
        self.check_mapping_version(index)
        if self.writable:
            self._write_index = index

    def _alias_targets(self) -> list[str]:
        """Concrete indices behind the read alias; [] if there is none. Refuses a plain index that
        has the alias's name (Arshif manages versions behind an alias, never a bare index)."""
        with self._errors("looking up the index alias"):
            if self.client.indices.exists_alias(name=self.alias):
                return sorted(self.client.indices.get_alias(name=self.alias).body)
            if self.client.indices.exists(index=self.alias):
                raise EngineError(
                    f"'{self.alias}' at {safe_url(self.url)} is an index, not an alias: Arshif keeps versioned "
                    f"indices ({self.alias}-v1-…) behind an alias of that name. Delete or rename the index, or "
                    "set ARSHIF_ES_INDEX to another name"
                )
        return []

    def check_mapping_version(self, index: str) -> None:
        with self._errors(f"reading the mapping of {index}"):
            response = self.client.indices.get_mapping(index=index).body
        for name, body in response.items():
            meta = (body.get("mappings") or {}).get("_meta") or {}
            found = meta.get("mapping_version")
            if str(found) != self.config.mapping_version:
                raise EngineError(
                    f"the Elasticsearch index '{name}' (alias '{self.alias}' at {safe_url(self.url)}) has mapping "
                    f"version {found!r}, this Arshif needs {self.config.mapping_version!r}: build a new version "
                    "with `arshif reindex ARCHIVE`, then remove the old one with `arshif drop-old`"
                )

    def versions(self) -> dict[str, bool]:
        """Every version index of this alias -> whether the read alias points to it."""
        with self._errors("listing index versions"):
            response = self.client.indices.get_alias(
                index=f"{self.alias}-v*", allow_no_indices=True, ignore_unavailable=True, expand_wildcards="open,closed"
            ).body
        return {
            name: self.alias in (body.get("aliases") or {})
            for name, body in response.items()
            if version_generation(self.alias, name) is not None
        }

    def _create_version(self, *, with_alias: bool) -> str:
        generations = [version_generation(self.alias, name) or 0 for name in self.versions()]
        name = version_index_name(self.alias, max(generations, default=0) + 1)
        body = create_index_body(
            self.config, alias=self.alias if with_alias else None, shards=self.shards, replicas=self.replicas
        )
        with self._errors(f"creating the index {name}"):
            self.client.indices.create(index=name, **body)
        return name

    # --- writing ---------------------------------------------------------------------------

    def _require_writer(self) -> str:
        if not self.writable or self._write_index is None:
            raise EngineError("this engine was opened read-only")
        return self._write_index

    def upsert(self, docs: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
        index = self._require_writer()
        failures: list[tuple[str, str]] = []
        actions = []
        for doc in docs:
            try:
                actions += bulk_actions([doc], index)
            except (ValueError, TypeError, KeyError) as error:
                failures.append(
                    (str(doc.get("id") if isinstance(doc, dict) else doc), f"engine refused the document: {error!r}")
                )
        failures += self._bulk(actions, "indexing documents")
        return failures

    def delete(self, ids: Iterable[str]) -> None:
        index = self._require_writer()
        failures = self._bulk(delete_actions(ids, index), "deleting documents", ignore_status=(404,))
        if failures:
            raise EngineError(
                f"Elasticsearch could not delete {len(failures)} document(s), e.g. {failures[0][0]}: {failures[0][1]}"
            )

    def _bulk(self, actions: list[dict[str, Any]], action: str, ignore_status=()) -> list[tuple[str, str]]:
        """Send actions in chunks; 429 (cluster busy) is retried with exponential backoff, connection
        errors by the transport. Returns every document Elasticsearch refused, as (id, reason)."""
        if not actions:
            return []
        client = self.client.options(request_timeout=BULK_TIMEOUT, max_retries=BULK_MAX_RETRIES, retry_on_timeout=True)
        failures: list[tuple[str, str]] = []
        with self._errors(action):
            for ok, item in helpers.streaming_bulk(
                client,
                actions,
                chunk_size=BULK_CHUNK_DOCS,
                max_chunk_bytes=BULK_CHUNK_BYTES,
                raise_on_error=False,
                raise_on_exception=True,
                max_retries=BULK_MAX_RETRIES,
                initial_backoff=BULK_INITIAL_BACKOFF,
                max_backoff=BULK_MAX_BACKOFF,
                yield_ok=False,
            ):
                if ok:
                    continue
                info: Any = next(iter(item.values()), {})
                if isinstance(info, dict) and info.get("status") in ignore_status:
                    continue  # e.g. deleting a document that is not there
                failures.append(bulk_failure(item))
        return failures

    def commit(self) -> None:
        index = self._require_writer()
        with self._errors("refreshing the index"):
            self.client.indices.refresh(index=index)

    def close(self) -> None:
        try:
            if self.writable and self._write_index is not None:
                self.commit()
        finally:
            self.client.close()

    # --- versions: zero-downtime re-index ----------------------------------------------------

    def begin_reindex(self) -> str:
        """Create a new version (no alias yet) and send every write to it."""
        if not self.writable:
            raise EngineError("re-indexing needs a writable engine")
        self._building = self._create_version(with_alias=False)
        self._write_index = self._building
        return self._building

    def finish_reindex(self, *, allow_empty: bool = False) -> ReindexResult:
        """Make the new version visible, then point the read alias to it in one atomic call.
        The previous version stays (searchable by name) until `drop_old`."""
        new = self._building
        if new is None:
            raise EngineError("no re-index in progress")
        self.commit()
        with self._errors(f"counting documents in {new}"):
            docs = int(self.client.count(index=new)["count"])
        previous = self._alias_targets()
        if docs == 0 and not allow_empty and previous:
            raise EngineError(
                f"the new version {new} is empty: the alias '{self.alias}' still points to "
                f"{', '.join(previous)} (nothing was changed)"
            )
        with self._errors(f"pointing the alias '{self.alias}' to {new}"):
            self.client.indices.update_aliases(**alias_swap_actions(self.alias, new, previous))
        self._building = None
        return ReindexResult(new_index=new, previous=[p for p in previous if p != new], docs=docs)

    def abort_reindex(self) -> None:
        """Delete the version being built; the live version is untouched."""
        new, self._building, self._write_index = self._building, None, None
        if new is not None:
            with self._errors(f"deleting the unfinished version {new}"):
                self.client.indices.delete(index=new, ignore_unavailable=True)

    def reindex(self, fill: Callable[[ElasticsearchEngine], Any], *, allow_empty: bool = False) -> ReindexResult:
        """Build a new version with `fill(self)` (which re-reads the archive into this engine), then
        swap the read alias atomically. If `fill` fails, the new version is deleted and the live
        one keeps serving."""
        self.begin_reindex()
        try:
            fill(self)
            return self.finish_reindex(allow_empty=allow_empty)
        except BaseException:
            try:
                self.abort_reindex()
            except EngineError:
                pass
            raise

    def drop_old(self) -> list[str]:
        """Delete the versions older than the live one. Newer unaliased versions (a re-index in
        progress, or one that was interrupted) are kept: delete those by name if wanted."""
        versions = self.versions()
        live = [name for name, aliased in versions.items() if aliased]
        if not live:
            raise EngineError(
                f"no live version behind the alias '{self.alias}' at {safe_url(self.url)}: nothing is dropped"
            )
        newest_live = max(version_generation(self.alias, name) or 0 for name in live)
        old = sorted(
            name
            for name, aliased in versions.items()
            if not aliased and (version_generation(self.alias, name) or 0) < newest_live
        )
        if old:
            with self._errors(f"deleting {', '.join(old)}"):
                self.client.indices.delete(index=",".join(old))
        return old

    # --- reading ---------------------------------------------------------------------------

    @property
    def _read_index(self) -> str:
        """Where reads go: the index being written by a writable engine (so that `existing_hashes`
        sees what this job writes), otherwise the read alias."""
        return self._write_index or self.alias

    def search(self, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        max_window = int(self.config.settings.get("index", {}).get("max_result_window", 10_000))
        if request.offset + request.size > max_window:
            raise EngineError(
                f"page too deep: results past {max_window:,} cannot be paged to (narrow the search, or export it)"
            )
        body = build_search_body(request)
        with self._errors("searching"):
            response = self.client.search(index=self._read_index, body=body).body
        hits = [
            Hit(id=h["_id"], score=h.get("_score"), doc=hit_doc(h.get("_source"))) for h in response["hits"]["hits"]
        ]
        total = response["hits"]["total"]
        total = total["value"] if isinstance(total, dict) else int(total)
        aggregations = response.get("aggregations")
        return SearchResult(
            total=int(total),
            hits=hits,
            facets=parse_facets(request, aggregations),
            stories=parse_story_total(request, aggregations),
            took_ms=(time.perf_counter() - started) * 1000,
        )

    # --- stories (search.stories) ----------------------------------------------------------

    def story_docs(
        self, field: str, values: list[str], *, limit: int = 1000, sketches: bool = False
    ) -> list[dict[str, Any]]:
        if field not in ("story", "story_band"):
            raise ValueError(f"not a story field: {field}")
        if not values:
            return []
        body = story_docs_body(field, values, min(limit, STORY_INNER_LIMIT), sketches)
        with self._errors("reading stories"):
            response = self.client.search(index=self._read_index, body=body).body
        return [hit_doc(h.get("_source")) for h in response["hits"]["hits"]]

    def story_sizes(self, keys: list[str]) -> dict[str, int]:
        return self._term_counts("story", keys)

    def doc_freqs(self, field: str, terms: list[str]) -> dict[str, int]:
        counts = self._term_counts(field, terms)
        return {term: counts.get(term, 0) for term in terms}

    def _term_counts(self, field: str, terms: list[str]) -> dict[str, int]:
        if not terms:
            return {}
        with self._errors("counting stories"):
            response = self.client.search(index=self._read_index, body=term_counts_body(field, terms)).body
        return parse_term_counts(response.get("aggregations"))

    def iter_all(self, request: SearchRequest, page_size: int = ITER_PAGE_SIZE) -> Iterator[Hit]:
        """Every hit of `request` in its sort order (offset and size are ignored), for export and deep
        paging: `search_after` pages over a point in time, so the walk sees one consistent index."""
        with self._errors("opening a point in time"):
            pit_id = self.client.open_point_in_time(index=self._read_index, keep_alive=PIT_KEEP_ALIVE)["id"]
        after: list[Any] | None = None
        try:
            while True:
                body = build_search_body(
                    request, search_after=after, page_size=page_size, pit={"id": pit_id, "keep_alive": PIT_KEEP_ALIVE}
                )
                with self._errors("exporting"):
                    response = self.client.search(body=body).body
                pit_id = response.get("pit_id", pit_id)
                page = response["hits"]["hits"]
                for h in page:
                    yield Hit(id=h["_id"], score=h.get("_score"), doc=hit_doc(h.get("_source")))
                if len(page) < page_size:
                    return
                after = page[-1]["sort"]
        finally:
            try:
                self.client.close_point_in_time(id=pit_id)
            except (ApiError, TransportError):
                pass  # it expires by itself after PIT_KEEP_ALIVE

    def get(self, doc_id: str) -> dict[str, Any] | None:
        with self._errors("reading a document"):
            try:
                response = self.client.get(
                    index=self._read_index, id=doc_id, realtime=False, source_includes=list(RETURNED_FIELDS)
                )
            except NotFoundError as error:
                if _es_error_reason(error)[0] == "index_not_found_exception":
                    raise
                return None
        return hit_doc(response["_source"]) if response.get("found") else None

    def existing_hashes(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        with self._errors("reading document hashes"):
            response = self.client.mget(index=self._read_index, ids=list(ids), source_includes=["hash"]).body
        return {
            d["_id"]: (d.get("_source") or {}).get("hash") or "" for d in response.get("docs", []) if d.get("found")
        }

    def feedback_terms(self, doc_id: str) -> dict[str, tuple[int, int]]:
        """Stems of a stored document over title and body: term -> (frequency in the document,
        number of documents whose body has it), from the `termvectors` API, as the embedded engine
        computes them (document frequency always on `body_stem`)."""
        index = self._read_index
        with self._errors("reading term vectors"):
            try:
                response = self.client.termvectors(
                    index=index,
                    id=doc_id,
                    fields=["title_stem", "body_stem"],
                    term_statistics=True,
                    field_statistics=False,
                    positions=False,
                    offsets=False,
                    payloads=False,
                ).body
            except NotFoundError as error:
                if _es_error_reason(error)[0] == "index_not_found_exception":
                    raise
                return {}
            if not response.get("found", False):
                return {}
            vectors = response.get("term_vectors") or {}
            tf: dict[str, int] = {}
            df: dict[str, int] = {}
            for name in ("title_stem", "body_stem"):
                for term, stats in ((vectors.get(name) or {}).get("terms") or {}).items():
                    tf[term] = tf.get(term, 0) + int(stats.get("term_freq", 0))
                    if name == "body_stem":
                        df[term] = int(stats.get("doc_freq", 0))
            missing = [t for t in tf if t not in df]
            if missing:  # title-only stems: their body document frequency, from an artificial doc
                extra = self.client.termvectors(
                    index=index,
                    doc={"body_stem": " ".join(missing)},
                    fields=["body_stem"],
                    term_statistics=True,
                    field_statistics=False,
                    positions=False,
                    offsets=False,
                    payloads=False,
                ).body
                terms = ((extra.get("term_vectors") or {}).get("body_stem") or {}).get("terms") or {}
                for term in missing:
                    df[term] = int((terms.get(term) or {}).get("doc_freq", 0))
        return {term: (tf[term], df.get(term, 0)) for term in tf}

    @property
    def _labels_index(self) -> str:
        return f"{self.alias}-entity-labels"

    def entity_labels(self) -> dict[str, str]:
        """Labels live in a small unversioned index beside the versions: a re-index keeps them."""
        cached = self._labels_cache
        if cached is not None and time.monotonic() - cached[0] < 60:
            return cached[1]
        labels: dict[str, str] = {}
        with self._errors("reading entity labels"):
            if self.client.indices.exists(index=self._labels_index):
                from elasticsearch.helpers import scan

                for hit in scan(self.client, index=self._labels_index, query={"query": {"match_all": {}}}):
                    labels[hit["_id"]] = hit["_source"].get("label", "")
        self._labels_cache = (time.monotonic(), labels)
        return labels

    def save_entity_labels(self, labels: dict[str, str]) -> None:
        """Add or replace labels; they are searchable as soon as this returns (refreshed)."""
        index = self._labels_index
        with self._errors("saving entity labels"):
            if not self.client.indices.exists(index=index):
                try:
                    self.client.indices.create(index=index, **labels_index_body(replicas=self.replicas))
                except ApiError as error:  # another process created it meanwhile
                    if _es_error_reason(error)[0] != "resource_already_exists_exception":
                        raise
        failures = self._bulk(label_actions(labels, index), "saving entity labels")
        if failures:
            raise EngineError(
                f"Elasticsearch refused {len(failures)} entity label(s), e.g. {failures[0][0]}: {failures[0][1]}"
            )
        with self._errors("refreshing entity labels"):
            self.client.indices.refresh(index=index)
        self._labels_cache = None

    def count(self) -> int:
        with self._errors("counting documents"):
            return int(self.client.count(index=self._read_index)["count"])

    def health(self) -> dict[str, Any]:
        state: dict[str, Any] = {
            "engine": self.name,
            "ok": False,
            "docs": 0,
            "cluster_status": None,
            "index": None,
            "alias": self.alias,
            "url": safe_url(self.url),
        }
        try:
            client = self.client.options(request_timeout=HEALTH_TIMEOUT, max_retries=0)
            with self._errors("checking health"):
                if self._write_index is not None:
                    targets = [self._write_index]
                else:  # a missing alias answers at once here (cluster health would wait for it)
                    targets = sorted(client.indices.get_alias(name=self.alias).body)
                state["index"] = targets[0] if len(targets) == 1 else targets
                health = client.cluster.health(index=",".join(targets)).body
                state["cluster_status"] = health.get("status")
                state["docs"] = int(client.count(index=self._read_index)["count"])
            state["ok"] = state["cluster_status"] in ("green", "yellow")
        except Exception as error:  # noqa: BLE001 - health must answer, whatever the state
            state["error"] = str(error)
        return state


def bulk_failure(item: dict[str, Any]) -> tuple[str, str]:
    """(id, reason) from a failed item of `streaming_bulk` ({"index": {"_id", "status", "error"}})."""
    op, info = next(iter(item.items()))
    error = info.get("error")
    if isinstance(error, dict):
        kind, reason = str(error.get("type") or ""), str(error.get("reason") or "")
        caused = error.get("caused_by")
        if isinstance(caused, dict) and caused.get("reason"):
            reason = f"{reason} ({caused.get('reason')})"
        text = f"{kind}: {reason}" if kind else reason
    else:
        text = str(error or info.get("exception") or "unknown error")
    return str(info.get("_id")), f"Elasticsearch refused the document ({op}, status {info.get('status')}): {text}"


def make_client(settings, **overrides) -> tuple[Elasticsearch, str]:
    """The client for ARSHIF_ES_URL with API key or basic auth and a CA certificate, sane timeouts
    and retries. A user name and password written in the URL are moved to basic auth (and never
    shown). Returns the client and the URL (as given)."""
    url = settings.es_url or DEFAULT_URL
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EngineError(f"ARSHIF_ES_URL must look like http://host:9200 or https://host:9200, not {safe_url(url)!r}")
    kwargs: dict[str, Any] = {
        "request_timeout": REQUEST_TIMEOUT,
        "max_retries": MAX_RETRIES,
        "retry_on_timeout": True,
        "retry_backoff_base": RETRY_BACKOFF[0],
        "retry_backoff_cap": RETRY_BACKOFF[1],
        "http_compress": True,
        "transport_class": _CompatTransport,
    }
    username, password = settings.es_username, settings.es_password
    if parts.username and not username:
        username, password = parts.username, parts.password or ""
    if settings.es_api_key:
        key = settings.es_api_key.strip()
        kwargs["api_key"] = tuple(key.split(":", 1)) if ":" in key else key
    elif username:
        kwargs["basic_auth"] = (username, password or "")
    if settings.es_ca_certs:
        if not os.path.isfile(settings.es_ca_certs):
            raise EngineError(f"ARSHIF_ES_CA_CERTS: no such file {settings.es_ca_certs}")
        kwargs["ca_certs"] = settings.es_ca_certs
    kwargs.update(overrides)
    host = safe_url(urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")))
    try:
        client = Elasticsearch(hosts=[host], **kwargs)
    except (ValueError, TypeError) as error:
        raise EngineError(f"cannot configure the Elasticsearch client for {host}: {error}") from None
    return client, host
