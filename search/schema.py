"""The document schema: every field the engines store, one line each, and the facets over them.

This module is the one source of what a document holds. The embedded engine builds its tantivy
schema from `FIELDS` (search.engines.tantivy_engine), the Elasticsearch engine its bulk documents
and returned fields (search.engines.es_requests), the outputs their article fields and columns
(search.web.api, search.web.export), and the query state, the engines and the page their facets
from `FACETS`. `index_config/mappings.json` stays a file, for the people who run Elasticsearch;
tests/test_schema.py checks it, the tantivy layout and `build_document` against this table.

Adding a facet: docs/architecture.md, "Adding a facet".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# The embedded engine's index layout (written in each index folder's arshif.json). Bump it when a
# change to FIELDS changes what tantivy indexes: an index built before then asks to be rebuilt.
# 2: story fields (search.stories).
SCHEMA_VERSION = "2"


class Kind(StrEnum):
    """What the engines do with a field; each engine turns a kind into its own field options."""

    ID = "id"  # the document id: looked up, breaks ties in sorts
    TEXT = "text"  # the original text: returned and shown, never searched
    EXACT = "exact"  # analyzed surface forms with positions: words and phrases
    STEMS = "stems"  # analyzed light stems with frequencies: words, no phrases
    DATE = "date"  # YYYY-MM-DD: date ranges and date sorts
    FACET = "facet"  # exact values, filtered and counted: the field of a facet in FACETS
    KEYWORD = "keyword"  # an exact value returned with the hit (Elasticsearch indexes it, tantivy does not)
    STORED = "stored"  # returned, never searched (a URL; entity mentions as JSON)
    FLAG = "flag"  # true or false, returned
    STORY = "story"  # the story key: filtered, collapsed on, counted
    LOOKUP = "lookup"  # values looked up at index time, never counted (LSH band keys)
    COUNTED = "counted"  # values looked up and counted at index time (lead words)
    BINARY = "binary"  # bytes read back at index time (the story sketch)


class Shown(StrEnum):
    """Where a field's value is given out. A field with none is indexed only, never returned."""

    HITS = "hits"  # every hit of every output (JSON, CSV, JSON Lines) and the article's JSON
    ARTICLE = "article"  # the article's JSON (/api/doc)
    APP = "app"  # returned by the engines for Arshif's own use (hashes, mentions, story keys)


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    kind: Kind
    shown: Shown | None = None
    many: bool = False  # a list of values (an empty list when there are none)

    @property
    def returned(self) -> bool:
        """Part of the document an engine returns with a hit (both engines return the same keys)."""
        return self.shown is not None

    def shown_value(self, doc: dict[str, Any]) -> Any:
        """The field's value in a returned document as the outputs give it: a list for a list
        field (empty when missing), text for a text field."""
        value = doc.get(self.name)
        if self.many:
            return value or []
        return (value or "") if self.kind == Kind.TEXT else value


# In this order the embedded engine adds its fields: reordering them changes its index layout.
FIELDS: tuple[Field, ...] = (
    Field("id", Kind.ID, Shown.HITS),
    Field("title", Kind.TEXT, Shown.HITS),
    Field("body", Kind.TEXT, Shown.ARTICLE),
    Field("title_exact", Kind.EXACT),
    Field("title_stem", Kind.STEMS),
    Field("body_exact", Kind.EXACT),
    Field("body_stem", Kind.STEMS),
    Field("date", Kind.DATE, Shown.HITS),
    Field("source", Kind.FACET, Shown.HITS),
    Field("category", Kind.FACET, Shown.HITS),
    Field("url", Kind.STORED, Shown.HITS),
    Field("year", Kind.FACET),
    Field("month", Kind.FACET),
    Field("lang", Kind.KEYWORD, Shown.ARTICLE),
    Field("truncated", Kind.FLAG, Shown.ARTICLE),
    Field("entities", Kind.STORED, Shown.APP),
    Field("hash", Kind.KEYWORD, Shown.APP),
    Field("country", Kind.FACET, Shown.HITS, many=True),
    Field("person", Kind.FACET, Shown.HITS, many=True),
    Field("org", Kind.FACET, Shown.HITS, many=True),
    Field("story", Kind.STORY, Shown.APP),
    Field("story_band", Kind.LOOKUP, many=True),
    Field("story_lead", Kind.COUNTED, many=True),
    Field("story_sketch", Kind.BINARY),
)


def field_names(*kinds: Kind) -> tuple[str, ...]:
    """The names of the fields of these kinds, in table order."""
    return tuple(f.name for f in FIELDS if f.kind in kinds)


RETURNED_FIELDS = tuple(f.name for f in FIELDS if f.returned)  # the keys of a hit's document
HIT_FIELDS = tuple(f for f in FIELDS if f.shown == Shown.HITS)  # a hit's article fields in every output
ARTICLE_FIELDS = tuple(f for f in FIELDS if f.shown in (Shown.HITS, Shown.ARTICLE))  # the article's JSON
SEARCHED_TEXT = ("title", "body")  # the text fields a query searches: `<name>_exact`, `<name>_stem`


# --- facets --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Facet:
    name: str  # URL parameter, API key and document field (`source=...`, `not_source=...`)
    label: str  # Arabic heading shown in the page
    label_en: str
    size: int = 10  # values shown before "more"
    bounded: bool = False  # few values at most (years, months, outlets): always counted in full
    entity: bool = False  # keys of the entity extractor (search.entities): named in the search box

    @property
    def field(self) -> str:
        """The document field holding the facet's keys (a FACET field of the same name)."""
        return self.name


# One line per facet, in the order the page shows them.
FACETS: tuple[Facet, ...] = (
    Facet("country", "الدول", "Countries", entity=True),
    Facet("person", "الأشخاص", "People", entity=True),
    Facet("org", "المنظمات", "Organizations", entity=True),
    Facet("source", "المصدر", "Outlet", bounded=True),
    Facet("category", "التصنيف", "Category", bounded=True),
    Facet("year", "السنة", "Year", size=20, bounded=True),
    Facet("month", "الشهر", "Month", size=24, bounded=True),
)
FACETS_BY_NAME = {f.name: f for f in FACETS}
ENTITY_FACETS = tuple(f.name for f in FACETS if f.entity)  # country, person, org
FACET_FETCH_SIZE = 30  # values counted per facet; the page shows `size` and a "more" list
BOUNDED_FETCH_SIZE = 500


def fetch_size(name: str, requested: int) -> int:
    """How many values of a facet an engine returns: bounded facets in full, others as asked."""
    return max(requested, BOUNDED_FETCH_SIZE) if FACETS_BY_NAME[name].bounded else requested
