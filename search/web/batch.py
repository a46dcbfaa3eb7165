"""Batch search: a list of names or queries, one search each, one row per line, in input order.

Each line is searched exactly as `/api/search?q=<line>` with the filters of the search the batch
was started from (the same `SearchState`, through `run_search`), so a row's total is the total of
the link it gives. A row also says how the articles fall over the years, the first and last date,
the top outlets and, when the line names a person, organization or country, that entity (the
search box's suggestion, `search.web.suggest`). A line that cannot be searched as given gets a
note in its row and the batch goes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from search.engines.base import Engine
from search.query.state import SearchState
from search.web.csv_cells import BOM, csv_line
from search.web.results import run_search
from search.web.suggest import Suggestion, suggest

MAX_LINES = 1000
MAX_LINE_CHARS = 300
TOP_OUTLETS = 3
COLUMNS = (
    "line",
    "total",
    "first_date",
    "last_date",
    "top_outlets",
    "entity_facet",
    "entity_key",
    "entity_label",
    "entity_count",
    "entity_url",
    "url",
    "note",
)


@dataclass
class BatchRow:
    line: str  # as given (without its line break)
    total: int | None = None  # None: the line was not searched
    years: dict[str, int] = field(default_factory=dict)
    first_date: str | None = None
    last_date: str | None = None
    outlets: list[tuple[str, int]] = field(default_factory=list)
    entity: Suggestion | None = None
    url: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def note(self) -> str:
        return "; ".join(self.notes)


def split_lines(text: str) -> tuple[list[str], list[str]]:
    """The lines of a pasted list or file (at most MAX_LINES; a last empty line is no line), and
    a note when some were left out."""
    lines = (text or "").splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    notes = []
    if len(lines) > MAX_LINES:
        notes.append(f"only the first {MAX_LINES:,} of {len(lines):,} lines were searched")
        lines = lines[:MAX_LINES]
    return lines, notes


def base_state(args: dict[str, list[str]]) -> SearchState:
    """The filters a batch runs under: a search's parameters without its words, sort or page."""
    return SearchState.from_args({k: v for k, v in args.items() if k not in ("q", "page", "size", "sort")})


def line_state(base: SearchState, text: str) -> SearchState:
    """The search of one line: what `/api/search?q=<line>&<base filters>` parses to."""
    args: dict[str, list[str]] = {}
    for key, value in base.params():
        args.setdefault(key, []).append(value)
    return SearchState.from_args({**args, "q": [text]})


def _unbalanced(text: str) -> bool:
    """An opening quote without its closing one (the parser reads the phrase to the end)."""
    return text.count('"') % 2 == 1 or text.count("«") != text.count("»") or text.count("“") != text.count("”")


def _dates(engine: Engine, state: SearchState) -> tuple[str | None, str | None]:
    """First and last date among the line's articles: the first hit of each date order (undated
    ones sort last both ways). Only its date is read, so the engine is asked directly."""
    ends = []
    for sort in ("oldest", "newest"):
        hits = engine.search(replace(state.with_sort(sort).to_request(facets=()), offset=0, size=1)).hits
        ends.append(hits[0].doc.get("date") if hits else None)
    return ends[0], ends[1]


def search_line(engine: Engine, base: SearchState, line: str) -> BatchRow:
    row = BatchRow(line)
    text = " ".join(line.split())
    if not text:
        row.notes.append("empty line")
        return row
    if len(text) > MAX_LINE_CHARS:
        row.notes.append(f"line too long ({len(text):,} characters; at most {MAX_LINE_CHARS})")
        return row
    state = line_state(base, text)
    request = state.to_request(facets=())
    if request.browsing:
        row.notes.append("nothing to search: no word in the line")
        return row
    if _unbalanced(text):
        row.notes.append("unbalanced quote: the phrase runs to the end of the line")
    row.notes += list(request.query.notes if request.query else ())
    results = run_search(engine, replace(state, size=0), facets=("year", "source"))  # counts, no hits
    row.total, row.url = results.total, state.url()
    blocks = {block.facet.name: block.values for block in results.facets}
    row.years = {v.key: v.count for v in sorted(blocks.get("year", []), key=lambda v: v.key) if v.count}
    row.outlets = [(v.key, v.count) for v in blocks.get("source", []) if v.count][:TOP_OUTLETS]
    if row.total:
        row.first_date, row.last_date = _dates(engine, state)
    found = suggest(engine, base, text, limit=1, exact_only=True)
    row.entity = found[0] if found else None
    return row


def run_batch(engine: Engine, base: SearchState, lines: Iterable[str]) -> Iterator[BatchRow]:
    """One row per line, in order, as each is searched (a page shows them as they come)."""
    for line in lines:
        yield search_line(engine, base, line)


def batch_csv(rows: list[BatchRow], link_prefix: str = "") -> Iterator[str]:
    """The rows as CSV: COLUMNS, then one column per year any line has articles in."""
    years = sorted({year for row in rows for year in row.years})
    yield BOM + csv_line([*COLUMNS, *years])
    for row in rows:
        entity = row.entity
        yield csv_line(
            [
                row.line,
                row.total,
                row.first_date,
                row.last_date,
                " | ".join(f"{name} ({count})" for name, count in row.outlets),
                entity.facet if entity else None,
                entity.key if entity else None,
                entity.label if entity else None,
                entity.count if entity else None,
                link_prefix + entity.url if entity else None,
                link_prefix + row.url if row.url else None,
                row.note,
                *[row.years.get(year, 0) if row.total is not None else None for year in years],
            ]
        )
