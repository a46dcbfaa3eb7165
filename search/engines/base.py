"""The contract between Arshif and a search engine.

Both engines (tantivy, embedded; Elasticsearch, for clusters) implement `Engine` and must return
the same hits for the same `SearchRequest`. All Arabic analysis happens before a document or a
query reaches an engine (see `search.document` and `search.query.parser`): an engine only stores
and ranks the token streams it is given, with the boosts in `search.query.ranking`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

from search.query.parser import ParsedQuery

Sort = Literal["relevance", "newest", "oldest"]
SORTS: tuple[Sort, ...] = ("relevance", "newest", "oldest")


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """What to search, engine-neutral. Built from a `SearchState` by `search.query.state`."""

    query: ParsedQuery | None = None  # None or empty: browse everything
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (facet, selected keys): OR within, AND across
    excludes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (facet, excluded keys)
    date_from: str | None = None  # ISO date, inclusive
    date_to: str | None = None  # ISO date, inclusive
    sort: Sort = "relevance"
    offset: int = 0
    size: int = 20
    facets: tuple[str, ...] = ()  # facet names to count
    facet_size: int = 200
    # Pseudo-relevance feedback (search.query.feedback): stems to add to the ranking, with boosts.
    # They score on the `*_stem` fields but never change which documents match.
    expansion: tuple[tuple[str, float], ...] = ()
    # One hit per story (search.stories): its first in the request's order. `total` still counts
    # articles; the result's `stories` counts the stories among them.
    collapse: bool = False

    @property
    def browsing(self) -> bool:
        return self.query is None or self.query.is_empty


@dataclass(slots=True)
class Hit:
    id: str
    score: float | None
    doc: dict[str, Any]  # the returned fields (search.schema.RETURNED_FIELDS)


@dataclass(slots=True)
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # facet -> [(key, count)]
    took_ms: float = 0.0
    stories: int | None = None  # distinct stories among the matches (asked with `collapse`)


class EngineError(RuntimeError):
    """An engine failure with a message fit for a person (unreachable, unauthorized, bad index)."""


@runtime_checkable
class Engine(Protocol):
    name: str

    def upsert(self, docs: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
        """Add or replace documents (by `id`). Returns per-document failures as (id, reason)."""

    def delete(self, ids: Iterable[str]) -> None: ...

    def commit(self) -> None:
        """Make written documents durable and visible to searchers."""

    def existing_hashes(self, ids: list[str]) -> dict[str, str]:
        """The stored content hash of those ids that are already indexed (for idempotent re-index)."""

    def search(self, request: SearchRequest) -> SearchResult: ...

    def iter_all(self, request: SearchRequest) -> Iterator[Hit]:
        """Every hit of `request`, once each, in the order `search` pages them (offset, size and
        facets ignored), over one consistent view of the index, holding a bounded number of hits
        at a time: the whole-result-set export, with no page cap and no result window."""

    def get(self, doc_id: str) -> dict[str, Any] | None: ...

    def feedback_terms(self, doc_id: str) -> dict[str, tuple[int, int]]:
        """Stems of a stored document: term -> (frequency in the document, document frequency in
        the index), over its title and body. Used for pseudo-relevance feedback."""

    def count(self) -> int: ...

    def entity_labels(self) -> dict[str, str]:
        """Display labels of person/org facet keys ("person:key" -> name), written by the indexer."""

    def save_entity_labels(self, labels: dict[str, str]) -> None:
        """Add or replace display labels (merged with those already saved)."""

    def story_docs(
        self, field: str, values: list[str], *, limit: int = 1000, sketches: bool = False
    ) -> list[dict[str, Any]]:
        """Documents whose `story` (or LSH `story_band`) is one of `values`: stored fields as in a
        hit, or with `sketches` {"id", "story", "story_sketch"} for story detection."""

    def story_sizes(self, keys: list[str]) -> dict[str, int]:
        """Number of indexed articles of each story key."""

    def doc_freqs(self, field: str, terms: list[str]) -> dict[str, int]:
        """Number of documents whose keyword `field` holds each term."""

    def health(self) -> dict[str, Any]:
        """Engine state for /healthz: at least {"engine": name, "ok": bool, "docs": int}."""

    def close(self) -> None: ...
