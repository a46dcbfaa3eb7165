"""The document schema (search/schema.py) against everything that must agree with it: the
Elasticsearch mapping file, the embedded engine's index layout, the documents the indexer builds,
the facets, and the article fields of every output.

The tantivy layout is recorded in tests/data/tantivy_layout.json for the current SCHEMA_VERSION:
an index built before a change to FIELDS opens only if the layout is the same. After changing the
layout on purpose, bump SCHEMA_VERSION (search/schema.py), then record the new one with

    ARSHIF_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_schema.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from search.document import build_document
from search.engines.es_requests import IndexConfig, mapping_properties
from search.engines.tantivy_engine import TantivyEngine
from search.model import Article
from search.schema import (
    ARTICLE_FIELDS,
    ENTITY_FACETS,
    FACETS,
    FIELDS,
    HIT_FIELDS,
    RETURNED_FIELDS,
    SCHEMA_VERSION,
    Kind,
    field_names,
)
from search.web.export import COLUMNS

LAYOUT = Path(__file__).parent / "data" / "tantivy_layout.json"


def test_the_mapping_file_maps_every_field_as_its_kind_needs():
    config = IndexConfig.load(Path(__file__).resolve().parents[1] / "index_config")
    assert config.mappings["dynamic"] == "strict"
    properties = config.mappings["properties"]
    expected = mapping_properties()
    assert sorted(properties) == sorted(expected), (
        "index_config/mappings.json and search.schema.FIELDS name other fields"
    )
    wrong = {name: (properties[name], want) for name, want in expected.items() if properties[name] != want}
    assert not wrong, f"fields mapped otherwise than their kind needs (file, table): {wrong}"


def test_the_embedded_index_layout_is_the_recorded_one(tmp_path):
    engine = TantivyEngine(tmp_path / "index", writable=True)
    engine.close()
    layout = json.loads((tmp_path / "index" / "meta.json").read_text())["schema"]
    if os.environ.get("ARSHIF_UPDATE_GOLDEN"):
        lines = ",\n".join("  " + json.dumps(field, ensure_ascii=False) for field in layout)
        LAYOUT.write_text(f'{{"schema_version": "{SCHEMA_VERSION}", "fields": [\n{lines}\n]}}\n')
    recorded = json.loads(LAYOUT.read_text())
    assert recorded["schema_version"] == SCHEMA_VERSION, (
        f"SCHEMA_VERSION is {SCHEMA_VERSION!r}; tests/data/tantivy_layout.json records {recorded['schema_version']!r}: "
        "record the new layout (see this file's docstring)"
    )
    first = next(
        (f"{want['name']} is now {got}" for want, got in zip(recorded["fields"], layout, strict=False) if want != got),
        f"{len(recorded['fields'])} fields recorded, {len(layout)} now",
    )
    assert layout == recorded["fields"], (
        f"the tantivy layout changed ({first}): an index built before would not open. Bump SCHEMA_VERSION "
        "in search/schema.py and record the layout (see this file's docstring)"
    )


def test_a_document_holds_a_value_for_every_field_and_nothing_else():
    article = Article(
        id="a1",
        title="النفط",
        body="ارتفعت أسعار النفط في الكويت اليوم.",
        date="2021-04-02",
        source="الأفق",
        url="https://example.com/1",
        category="economy",
    )
    entities = {"country": ["KW"], "person": [], "org": ["اوبك"], "mentions": [["country", "KW", "body", 22, 28]]}
    doc = build_document(article, entities=entities)
    public = [name for name in doc if not name.startswith("_")]  # `_labels` and the like go to the indexer
    assert sorted(public) == sorted(f.name for f in FIELDS)
    for field in FIELDS:
        if field.many:
            assert isinstance(doc[field.name], list), field.name


def test_every_facet_is_over_a_facet_field_and_every_facet_field_has_a_facet():
    assert sorted(f.field for f in FACETS) == sorted(field_names(Kind.FACET))
    assert len({f.name for f in FACETS}) == len(FACETS)
    assert ENTITY_FACETS == ("country", "person", "org")  # the extractor's facets, in content_hash's order


def test_returned_fields_cover_every_output():
    assert {f.name for f in ARTICLE_FIELDS} <= set(RETURNED_FIELDS)
    assert set(HIT_FIELDS) <= set(ARTICLE_FIELDS)
    assert "story" in RETURNED_FIELDS and "hash" in RETURNED_FIELDS  # grouping and idempotent re-indexing


def test_the_csv_columns_are_the_documented_ones():
    """The export's columns are a stable interface: a spreadsheet or a script reads them by position."""
    assert COLUMNS == (
        "id",
        "title",
        "date",
        "source",
        "category",
        "url",
        "snippet",
        "country",
        "country_label",
        "person",
        "person_label",
        "org",
        "org_label",
    )
