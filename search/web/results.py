"""One search, presented: the view model every output (HTML, JSON, CSV, Atom) is rendered from."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from markupsafe import Markup

from search.arabic import normalize
from search.engines.base import Engine, Hit, SearchRequest, SearchResult
from search.entities.countries import search_country_keys
from search.entities.overrides import load_overrides
from search.highlight import highlight, snippet
from search.query.feedback import with_feedback
from search.query.partial import PARTIAL_SIZE, missing_words, wants_partial
from search.query.state import MAX_PAGE, SearchState
from search.schema import FACETS, Facet, fetch_size
from search.stories import EXACT_STORY_COUNT_UP_TO
from search.web.coverage import Coverage, story_coverage
from search.web.labels import facet_label

FACET_SEARCH_SIZE = 2000  # values counted when a facet is searched by its filter box


@dataclass
class FacetValue:
    key: str
    label: str
    label_en: str | None
    count: int
    selected: bool
    excluded: bool
    links: Callable[[str], tuple[str, str]] = field(repr=False, compare=False)

    @cached_property
    def _urls(self) -> tuple[str, str]:
        return self.links(self.key)  # built only when a page shows them (not for JSON)

    @property
    def url(self) -> str:
        """Toggles the selection of this value."""
        return self._urls[0]

    @property
    def exclude_url(self) -> str:
        """Excludes (or un-excludes) this value."""
        return self._urls[1]

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "label_en": self.label_en,
            "count": self.count,
            "selected": self.selected,
            "excluded": self.excluded,
        }


@dataclass
class FacetBlock:
    facet: Facet
    values: list[FacetValue]
    complete: bool = True  # False: the engine had more values than were fetched


@dataclass
class Chip:
    """One active filter shown above the results; `url` removes it."""

    facet: str
    label: str
    excluded: bool
    url: str


@dataclass
class ResultHit:
    id: str
    title: Markup
    snippet: Markup
    doc: dict[str, Any]
    coverage: Coverage | None = None  # its story (size; with grouped results, every version)

    @property
    def story(self) -> str | None:
        return self.doc.get("story")

    @property
    def story_size(self) -> int:
        return self.coverage.size if self.coverage else 1


@dataclass
class PartialHit(ResultHit):
    missing: list[str] = field(default_factory=list)  # the query's words it lacks, as typed


@dataclass
class Results:
    state: SearchState
    total: int
    hits: list[ResultHit]
    facets: list[FacetBlock]
    chips: list[Chip]
    took_ms: float
    notes: list[str] = field(default_factory=list)
    # When few articles hold every word of a keyword query: the best of those holding some of them
    # (not counted in `total`), and how many articles hold at least one word but not all.
    partial: list[PartialHit] = field(default_factory=list)
    partial_total: int = 0
    grouped: bool = False  # one hit per story (search.stories)
    stories: int | None = None  # stories among the matches, when grouped

    @property
    def last_page(self) -> int:
        """The last page the pager links to. A grouped page holds stories, not articles. Their
        count may be an estimate past EXACT_STORY_COUNT_UP_TO matches (a full page then also offers
        the next one), and grouping reads a bounded number of matches (a short page is the last)."""
        count = self.stories if self.grouped and self.stories is not None else self.total
        pages = -(-count // self.state.size)
        if self.grouped and len(self.hits) < self.state.size:
            pages = min(pages, self.state.page)
        elif self.grouped and self.total > EXACT_STORY_COUNT_UP_TO:
            pages = max(pages, self.state.page + 1)
        return max(1, min(MAX_PAGE, pages))


def _chips(state: SearchState, labels) -> list[Chip]:
    chips = []
    for name, keys in state.filters:
        chips += [Chip(name, labels(name, k), False, state.without_value(name, k).url()) for k in keys]
    for name, keys in state.excludes:
        chips += [Chip(name, labels(name, k), True, state.without_exclusion(name, k).url()) for k in keys]
    if state.date_from or state.date_to:
        text = f"{state.date_from or '…'} – {state.date_to or '…'}"
        chips.append(Chip("date", text, False, state.without_dates().url()))
    return chips


def _facet_block(
    facet: Facet, buckets: list[tuple[str, int]], state: SearchState, entity_labels: dict[str, str], fetched: int
) -> FacetBlock:
    counts = dict(buckets)
    chosen, banned = state.selected(facet.name), state.excluded(facet.name)
    for key in chosen + banned:
        counts.setdefault(key, 0)  # a selected value always shows, even with no hits left
    values = []
    links = state.facet_links(facet.name)
    overrides = load_overrides() if facet.name in ("person", "org") else None  # once per block
    for key, count in counts.items():
        ar, en = facet_label(facet.name, key, entity_labels, overrides)
        values.append(FacetValue(key, ar, en, count, key in chosen, key in banned, links))
    if facet.name in ("year", "month"):
        values.sort(key=lambda v: v.key, reverse=True)
    else:
        values.sort(key=lambda v: (not (v.selected or v.excluded), -v.count, v.key))
    return FacetBlock(facet, values, complete=len(buckets) < fetch_size(facet.name, fetched))


def facet_matches(engine: Engine, state: SearchState, facet: Facet, text: str, limit: int = 50) -> list[FacetValue]:
    """Values of one facet, counted for `state`, whose Arabic or English label or key contains
    `text` (normalized): the facet filter box, when the page holds only the most frequent values."""
    request = replace(state.to_request(facets=(facet.name,), facet_size=FACET_SEARCH_SIZE), size=1, offset=0)
    result = engine.search(request)
    block = _facet_block(facet, result.facets.get(facet.name, []), state, engine.entity_labels(), FACET_SEARCH_SIZE)
    needle = normalize(text.strip())
    if not needle:
        return block.values[:limit]
    keys = set(search_country_keys(text)) if facet.name == "country" else set()
    return [
        v
        for v in block.values
        if v.key in keys
        or needle in normalize(v.label)
        or needle in (v.label_en or "").lower()
        or needle in v.key.lower()
    ][:limit]


def run_search(
    engine: Engine,
    state: SearchState,
    *,
    with_facets: bool = True,
    facets: Iterable[str] | None = None,
    grouped: bool = False,
    with_coverage: bool = True,
    with_partial: bool = True,
) -> Results:
    """Search `engine` for `state` and present the outcome. The only place a search is run.
    `facets` counts only those facets (all by default). `grouped`: one hit per story (exports keep
    the default, every article); `with_coverage`: each hit's story size (and, grouped, the story's
    other versions); `with_partial`: the best partial matches when few articles hold every word.
    Outputs that show neither (CSV, Atom) ask for neither."""
    chosen = [f for f in FACETS if with_facets and (facets is None or f.name in facets)]
    entity_labels = engine.entity_labels() if chosen else {}
    request = state.to_request(facets=[f.name for f in chosen])
    request = with_feedback(engine, replace(request, collapse=grouped) if grouped else request)
    result: SearchResult = engine.search(request)
    forms = request.query.highlight if request.query else frozenset()

    def label(name: str, key: str) -> str:
        return facet_label(name, key, entity_labels)[0]

    hits = [_presented(h, forms) for h in result.hits]
    if with_coverage and hits:
        stories = story_coverage(engine, (h.story for h in hits), members=grouped)
        for hit in hits:
            hit.coverage = stories.get(hit.story or "")
    blocks = [
        _facet_block(facet, result.facets.get(facet.name, []), state, entity_labels, request.facet_size)
        for facet in chosen
    ]
    notes = list(state.notes) + list(request.query.notes if request.query else ())
    if grouped and not hits and state.page > 1 and result.total:
        # grouping reads a bounded number of matches (the engines' collapse limits)
        notes.append("لا قصص في هذه الصفحة: هي بعد آخر ما يبلغه التجميع؛ ضيّق البحث أو اعرض كل المقالات")
    results = Results(
        state,
        result.total,
        hits,
        blocks,
        _chips(state, label),
        result.took_ms,
        notes,
        grouped=grouped,
        stories=result.stories,
    )
    shown = result.stories if grouped and result.stories is not None else result.total
    if (
        with_partial
        and request.size
        and state.page == 1
        and shown <= len(result.hits)
        and wants_partial(request.query, result.total)
    ):
        _add_partial_matches(engine, request, results, forms)
    return results


def _add_partial_matches(engine: Engine, request: SearchRequest, results: Results, forms) -> None:
    """The best articles holding some of the words, after the (few) holding them all: those that
    lack one word first, then two, and so on (relevance within each). Grouped, a story already
    shown is not shown again."""
    assert request.query is not None
    seen = {h.id for h in results.hits}
    seen_stories = {h.story for h in results.hits} if results.grouped else set()
    words = len(request.query.must)
    for at_least in range(words - 1, 0, -1):
        relaxed = replace(
            request,
            query=request.query.relaxed(at_least),
            sort="relevance",
            offset=0,
            facets=(),
            size=PARTIAL_SIZE + len(seen),
            expansion=(),
        )
        found = engine.search(relaxed)
        results.took_ms += found.took_ms
        for h in found.hits:
            story = h.doc.get("story") if results.grouped else None
            if h.id in seen or (story and story in seen_stories) or len(results.partial) == PARTIAL_SIZE:
                continue
            seen.add(h.id)
            if story:
                seen_stories.add(story)
            results.partial.append(
                PartialHit(
                    h.id,
                    highlight(h.doc.get("title") or "", forms),
                    snippet(h.doc.get("body") or "", forms),
                    h.doc,
                    missing=missing_words(request.query, h.doc),
                )
            )
        if len(results.partial) == PARTIAL_SIZE and at_least > 1:
            found = engine.search(replace(relaxed, query=request.query.relaxed(1), size=0))
            results.took_ms += found.took_ms
            break
    results.partial_total = max(0, found.total - results.total)


def _presented(hit: Hit, forms: frozenset[str]) -> ResultHit:
    return ResultHit(
        hit.id, highlight(hit.doc.get("title") or "", forms), snippet(hit.doc.get("body") or "", forms), hit.doc
    )


def walk_hits(engine: Engine, state: SearchState) -> Iterator[Hit]:
    """Every hit of `state` in the order its pages show them, past any page cap: the same request
    as `run_search` (feedback included), walked by the engine with bounded memory (export)."""
    return engine.iter_all(with_feedback(engine, state.to_request(facets=())))
