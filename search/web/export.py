"""A search's hits as rows: every hit (the export, CSV or JSON Lines) or one page (`/search.csv`).

The export walks the whole result set through `walk_hits` (the request `run_search` sends, in the
same order, with no page cap and no result window) and yields text in chunks as it goes, so memory
stays flat whatever the number of hits. The web view streams those chunks; `arshif export` writes
them to stdout.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

from search.engines.base import Engine
from search.entities.overrides import load_overrides
from search.highlight import SNIPPET_CHARS, plain
from search.query.state import SearchState
from search.schema import HIT_FIELDS
from search.web.csv_cells import BOM, csv_line, csv_lines
from search.web.labels import facet_label
from search.web.results import ResultHit, walk_hits

# A hit's article fields (search.schema.HIT_FIELDS), the snippet, then each list field's keys (what
# the URL filters take) and their labels: id, title, date, source, category, url, snippet,
# country, country_label, person, person_label, org, org_label.
COLUMNS = (
    *(f.name for f in HIT_FIELDS if not f.many),
    "snippet",
    *(column for f in HIT_FIELDS if f.many for column in (f.name, f"{f.name}_label")),
)
MULTI_SEPARATOR = " | "  # several keys or labels in one CSV cell
ROWS_PER_CHUNK = 200  # rows joined into one piece of a streamed response
FORMATS = ("csv", "jsonl")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}


class Labeller:
    """Labels of entity keys, looked up once per key for a whole export (an export repeats the
    same countries and people thousands of times), with one read of the editors' overrides."""

    def __init__(self, engine: Engine):
        self.entity_labels = engine.entity_labels()
        self.overrides = load_overrides()
        self.known: dict[str, dict[str, str]] = {}

    def __call__(self, facet: str, key: str) -> str:
        known = self.known.setdefault(facet, {})
        label = known.get(key)
        if label is None:
            label = known[key] = facet_label(facet, key, self.entity_labels, self.overrides)[0]
        return label


def hit_record(doc_id: str, doc: dict[str, Any], snippet_text: str, label: Callable[[str, str], str]) -> dict[str, Any]:
    """One hit as an export record (COLUMNS): the article's fields, a snippet as text, and for each
    list field its keys and their labels, in the same order."""
    record: dict[str, Any] = {f.name: f.shown_value(doc) for f in HIT_FIELDS if not f.many}
    record["id"] = doc_id
    record["snippet"] = snippet_text
    for field in HIT_FIELDS:
        if field.many:
            keys = list(doc.get(field.name) or [])
            record[field.name] = keys
            record[f"{field.name}_label"] = [label(field.name, key) for key in keys]
    return record


def csv_cells(record: dict[str, Any]) -> list[Any]:
    return [
        MULTI_SEPARATOR.join(value) if isinstance(value, list) else value
        for value in (record[column] for column in COLUMNS)
    ]


def csv_text(records: list[dict[str, Any]]) -> str:
    return csv_lines(csv_cells(record) for record in records)


def jsonl_text(records: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


WRITERS = {"csv": csv_text, "jsonl": jsonl_text}


def header(fmt: str) -> str:
    """What a file starts with: the BOM and the column names for CSV, nothing for JSON Lines."""
    return BOM + csv_line(COLUMNS) if fmt == "csv" else ""


def export_stream(engine: Engine, state: SearchState, fmt: str) -> Iterator[str]:
    """The whole result set of `state` as `fmt` (csv or jsonl), in pieces of ROWS_PER_CHUNK rows."""
    write, label = WRITERS[fmt], Labeller(engine)
    yield header(fmt)
    records = (hit_record(hit.id, hit.doc, opening(hit.doc), label) for hit in walk_hits(engine, state))
    while batch := list(islice(records, ROWS_PER_CHUNK)):
        yield write(batch)


def opening(doc: dict[str, Any]) -> str:
    """The export's snippet: the article's opening, on one line, cut at a word. Finding the
    passage around the words searched (as a results page does) would cost more than the rest of
    an export."""
    text = " ".join((doc.get("body") or "")[: SNIPPET_CHARS + 40].split())
    return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"


def page_csv(engine: Engine, hits: list[ResultHit]) -> str:
    """One page of hits (`/search.csv`) in the export's columns, with the same safeguards; its
    snippets are the page's, around the words searched."""
    label = Labeller(engine)
    return header("csv") + csv_text([hit_record(hit.id, hit.doc, plain(hit.snippet), label) for hit in hits])
