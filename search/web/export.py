"""A search's hits as rows: every hit (the export, CSV or JSON Lines) or one page (`/search.csv`).

The export walks the whole result set through `walk_hits` (the request `run_search` sends, in the
same order, with no page cap and no result window) and yields text in chunks as it goes, so memory
stays flat whatever the number of hits. The web view streams those chunks; `arshif export` writes
them to stdout.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Iterable, Iterator

from search.engines.base import Engine
from search.highlight import plain
from search.query.state import SearchState
from search.web.csv_cells import BOM, csv_line
from search.web.labels import facet_label
from search.web.results import ResultHit, walk_hits

ENTITY_FACETS = ("country", "person", "org")
COLUMNS = ("id", "title", "date", "source", "category", "url", "snippet",
           "country", "country_label", "person", "person_label", "org", "org_label")
MULTI_SEPARATOR = " | "      # several keys or labels in one CSV cell
ROWS_PER_CHUNK = 200         # rows joined into one piece of a streamed response
FORMATS = ("csv", "jsonl")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}


class Labeller:
    """Labels of entity keys, looked up once per key for a whole export (an export repeats the
    same countries and people thousands of times)."""

    def __init__(self, engine: Engine):
        self.entity_labels = engine.entity_labels()
        self.known: dict[tuple[str, str], str] = {}

    def __call__(self, facet: str, key: str) -> str:
        label = self.known.get((facet, key))
        if label is None:
            label = self.known[(facet, key)] = facet_label(facet, key, self.entity_labels)[0]
        return label


def hit_record(hit: ResultHit, label: Callable[[str, str], str]) -> dict[str, Any]:
    """One hit as an export record: the article's fields, its snippet as text, and for each entity
    facet its keys (what the URL filters take) and their labels, in the same order."""
    doc = hit.doc
    record: dict[str, Any] = {
        "id": hit.id, "title": doc.get("title") or "", "date": doc.get("date"), "source": doc.get("source"),
        "category": doc.get("category"), "url": doc.get("url"), "snippet": plain(hit.snippet),
    }
    for facet in ENTITY_FACETS:
        keys = list(doc.get(facet) or [])
        record[facet] = keys
        record[f"{facet}_label"] = [label(facet, key) for key in keys]
    return record


def csv_row(record: dict[str, Any]) -> str:
    return csv_line(MULTI_SEPARATOR.join(value) if isinstance(value, list) else value
                    for value in (record[column] for column in COLUMNS))


def jsonl_row(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


ROW_WRITERS = {"csv": csv_row, "jsonl": jsonl_row}


def _chunks(lines: Iterable[str]) -> Iterator[str]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= ROWS_PER_CHUNK:
            yield "".join(batch)
            batch.clear()
    if batch:
        yield "".join(batch)


def header(fmt: str) -> str:
    """What a file starts with: the BOM and the column names for CSV, nothing for JSON Lines."""
    return BOM + csv_line(COLUMNS) if fmt == "csv" else ""


def export_stream(engine: Engine, state: SearchState, fmt: str) -> Iterator[str]:
    """The whole result set of `state` as `fmt` (csv or jsonl), in pieces of ROWS_PER_CHUNK rows."""
    write, label = ROW_WRITERS[fmt], Labeller(engine)
    yield header(fmt)
    yield from _chunks(write(hit_record(hit, label)) for hit in walk_hits(engine, state))


def page_csv(engine: Engine, hits: list[ResultHit]) -> str:
    """One page of hits (`/search.csv`) in the export's columns, with the same safeguards."""
    label = Labeller(engine)
    return header("csv") + "".join(csv_row(hit_record(hit, label)) for hit in hits)

