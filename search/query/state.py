"""The search state: everything a search is, parsed from a URL and written back to one.

A URL is the saved search. `SearchState.from_args` turns request arguments into an immutable state
(ignoring or clamping anything malformed, with a note for the user), and `query_string` writes it
back in one canonical order (keys sorted, values sorted, defaults omitted), so the same search
always has the same URL and a bookmark reloads exactly the same results.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from urllib.parse import quote_plus, urlencode

from search.engines.base import SORTS, SearchRequest
from search.query.parser import parse
from search.schema import FACET_FETCH_SIZE, FACETS, FACETS_BY_NAME

PAGE_SIZE = 20
MAX_SIZE = 200
MAX_PAGE = 500
MAX_VALUES_PER_FACET = 50
MAX_VALUE_CHARS = 200
MAX_QUERY_CHARS = 1000  # a pasted lede or two; every link of a page repeats the query
_FACET_VALUE_RULES = {"year": re.compile(r"^\d{4}$"), "month": re.compile(r"^\d{4}-\d{2}$")}
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
STORY_MODES = ("group", "all")  # one result per story, or every article (search.stories)
KNOWN_PARAMS = (
    {"q", "from", "to", "sort", "page", "size", "stories"}
    | {f.name for f in FACETS}
    | {f"not_{f.name}" for f in FACETS}
)

Selection = tuple[tuple[str, tuple[str, ...]], ...]


# Facet keys (countries, people, sources...) come back on every page: quote each once.
_quoted = lru_cache(maxsize=65_536)(quote_plus)


def _date_bound(value: str, upper: bool) -> str | None:
    """Accept 2015, 2015-07 or 2015-07-01; return the first (or last) day it covers."""
    match = _DATE.match(value.strip())
    if not match:
        return None
    year, month, day = int(match.group(1)), match.group(2), match.group(3)
    try:
        if day:
            return dt.date(year, int(month), int(day)).isoformat()
        if month:
            m = int(month)
            first = dt.date(year, m, 1)
            if not upper:
                return first.isoformat()
            nxt = dt.date(year + (m == 12), m % 12 + 1, 1)
            return (nxt - dt.timedelta(days=1)).isoformat()
        return dt.date(year, 12, 31).isoformat() if upper else dt.date(year, 1, 1).isoformat()
    except ValueError:
        return None


def _selection(pairs: Iterable[tuple[str, Iterable[str]]]) -> Selection:
    out = []
    for facet in FACETS:
        values = sorted({v for name, vs in pairs if name == facet.name for v in vs})
        if values:
            out.append((facet.name, tuple(values)))
    return tuple(out)


@dataclass(frozen=True)
class SearchState:
    q: str = ""
    filters: Selection = ()
    excludes: Selection = ()
    date_from: str | None = None
    date_to: str | None = None
    sort: str | None = None  # None: relevance for a query, newest when browsing
    page: int = 1
    size: int = PAGE_SIZE
    stories: str | None = None  # "group" / "all"; None: the output's default (grouped_by_story)
    notes: tuple[str, ...] = field(default=(), compare=False)

    # --- parsing --------------------------------------------------------------------------

    @classmethod
    def from_args(cls, args: Mapping[str, list[str]]) -> SearchState:
        """`args`: parameter -> list of values (e.g. `request.args.to_dict(flat=False)`). Never raises."""
        notes: list[str] = []
        for key in sorted(args):
            if key not in KNOWN_PARAMS:
                notes.append(f"ignored unknown parameter “{key[:40]}”")

        def first(key: str) -> str:
            values = args.get(key) or [""]
            return (values[0] or "").strip()

        q = " ".join(first("q").split())
        if len(q) > MAX_QUERY_CHARS:
            at = q.rfind(" ", MAX_QUERY_CHARS // 2, MAX_QUERY_CHARS + 1)  # between words if it can
            cut = q[:at] if at > 0 else q[:MAX_QUERY_CHARS]
            notes.append(
                f"the query was cut to its first {len(cut):,} of {len(q):,} characters (at most {MAX_QUERY_CHARS:,})"
            )
            q = cut
        filters: list[tuple[str, list[str]]] = []
        excludes: list[tuple[str, list[str]]] = []
        for facet in FACETS:
            for prefix, target in (("", filters), ("not_", excludes)):
                values = []
                for raw in (args.get(prefix + facet.name) or [])[:MAX_VALUES_PER_FACET]:
                    value = (raw or "").strip()[:MAX_VALUE_CHARS]
                    rule = _FACET_VALUE_RULES.get(facet.name)
                    if not value:
                        continue
                    if rule and not rule.match(value):
                        notes.append(f"ignored {prefix}{facet.name}=“{value[:40]}”: not a valid value")
                        continue
                    values.append(value)
                if values:
                    target.append((facet.name, values))

        raw_from, raw_to = first("from"), first("to")
        low = _date_bound(raw_from, False) if raw_from else None
        high = _date_bound(raw_to, True) if raw_to else None
        if low and high and low > high:
            raw_from, raw_to = raw_to, raw_from
            notes.append("swapped the dates: “from” was after “to”")
        date_from = _date_bound(raw_from, False) if raw_from else None
        date_to = _date_bound(raw_to, True) if raw_to else None
        for key, raw, bound in (("from", raw_from, date_from), ("to", raw_to, date_to)):
            if raw and bound is None:
                notes.append(f"ignored {key}=“{raw[:40]}”: use a date like 2015-07-01")

        sort = first("sort") or None
        if sort and sort not in SORTS:
            notes.append(f"ignored sort=“{sort[:40]}”: use relevance, newest or oldest")
            sort = None

        page = cls._int_param(first("page"), "page", 1, MAX_PAGE, 1, notes)
        size = cls._int_param(first("size"), "size", 1, MAX_SIZE, PAGE_SIZE, notes)
        stories = first("stories") or None
        if stories and stories not in STORY_MODES:
            notes.append(f"ignored stories=“{stories[:40]}”: use group or all")
            stories = None
        state = cls(
            q=q,
            filters=_selection(filters),
            excludes=_selection(excludes),
            date_from=date_from,
            date_to=date_to,
            sort=sort,
            page=page,
            size=size,
            stories=stories,
            notes=tuple(notes),
        )
        if state.sort == state.default_sort:
            state = replace(state, sort=None)
        return state

    @staticmethod
    def _int_param(raw: str, name: str, low: int, high: int, default: int, notes: list[str]) -> int:
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            notes.append(f"ignored {name}=“{raw[:40]}”: not a number")
            return default
        if value < low or value > high:
            clamped = min(max(value, low), high)
            notes.append(f"{name} {value} is out of range: showing {clamped}")
            return clamped
        return value

    # --- derived --------------------------------------------------------------------------

    @property
    def default_sort(self) -> str:
        return "relevance" if self.q else "newest"

    @property
    def effective_sort(self) -> str:
        return self.sort or self.default_sort

    def selected(self, facet: str) -> tuple[str, ...]:
        return dict(self.filters).get(facet, ())

    def excluded(self, facet: str) -> tuple[str, ...]:
        return dict(self.excludes).get(facet, ())

    def grouped_by_story(self, default: bool) -> bool:
        """One result per story? As asked (`stories=`), else the output's default: the HTML page
        groups, machine outputs (JSON, CSV, Atom) list every article."""
        return default if self.stories is None else self.stories == "group"

    @property
    def is_blank(self) -> bool:
        return not (self.q or self.filters or self.excludes or self.date_from or self.date_to)

    # --- writing back ---------------------------------------------------------------------

    def params(self) -> list[tuple[str, str]]:
        """Canonical parameters: keys sorted, values sorted, defaults left out."""
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        for name, values in self.filters:
            pairs += [(name, v) for v in values]
        for name, values in self.excludes:
            pairs += [(f"not_{name}", v) for v in values]
        if self.date_from:
            pairs.append(("from", self.date_from))
        if self.date_to:
            pairs.append(("to", self.date_to))
        if self.sort and self.sort != self.default_sort:
            pairs.append(("sort", self.sort))
        if self.page != 1:
            pairs.append(("page", str(self.page)))
        if self.size != PAGE_SIZE:
            pairs.append(("size", str(self.size)))
        if self.stories:
            pairs.append(("stories", self.stories))
        return sorted(pairs)

    def query_string(self) -> str:
        return urlencode(self.params())

    def url(self, path: str = "/search") -> str:
        qs = self.query_string()
        return f"{path}?{qs}" if qs else path

    # --- transitions (each resets paging) ------------------------------------------------

    def _edit(self, **changes) -> SearchState:
        changes.setdefault("page", 1)
        state = replace(self, notes=(), **changes)
        return replace(state, sort=None) if state.sort == state.default_sort else state

    def _set(self, selection: Selection, facet: str, values: Iterable[str]) -> Selection:
        pairs = [(n, vs) for n, vs in selection if n != facet] + [(facet, tuple(values))]
        return _selection(pairs)

    def with_value(self, facet: str, key: str) -> SearchState:
        """Add `key` to the facet's selection (OR within a facet), dropping any exclusion of it."""
        return self._edit(
            filters=self._set(self.filters, facet, self.selected(facet) + (key,)),
            excludes=self._set(self.excludes, facet, [k for k in self.excluded(facet) if k != key]),
        )

    def without_value(self, facet: str, key: str) -> SearchState:
        return self._edit(filters=self._set(self.filters, facet, [k for k in self.selected(facet) if k != key]))

    def with_exclusion(self, facet: str, key: str) -> SearchState:
        return self._edit(
            excludes=self._set(self.excludes, facet, self.excluded(facet) + (key,)),
            filters=self._set(self.filters, facet, [k for k in self.selected(facet) if k != key]),
        )

    def without_exclusion(self, facet: str, key: str) -> SearchState:
        return self._edit(excludes=self._set(self.excludes, facet, [k for k in self.excluded(facet) if k != key]))

    def without_query(self) -> SearchState:
        return self._edit(q="")

    def without_filters(self) -> SearchState:
        return self._edit(filters=(), excludes=(), date_from=None, date_to=None)

    def without_dates(self) -> SearchState:
        return self._edit(date_from=None, date_to=None)

    def with_sort(self, sort: str) -> SearchState:
        return self._edit(sort=sort)

    def with_stories(self, mode: str | None) -> SearchState:
        return self._edit(stories=mode)

    def with_page(self, page: int) -> SearchState:
        return replace(self, page=max(1, min(page, MAX_PAGE)), notes=())

    def facet_links(self, facet: str):
        """A function key -> (toggle URL, exclude URL) for one facet's values: the same URLs as
        `with_value`/`without_value`/`with_exclusion`/`without_exclusion`, built without copying the
        state, because a page shows hundreds of facet values. Canonical parameters are sorted by
        name, so every other parameter stays where it is: each URL is the encoded parameters
        before `facet`, this facet's selection, those between, its exclusions, those after."""
        name, not_name = facet, f"not_{facet}"
        base = [(k, v) for k, v in self.params() if k not in (name, not_name, "page")]
        encoded_base = [quote_plus(k) + "=" + quote_plus(v) for k, v in base]  # = urlencode
        cut_name = sum(1 for k, _ in base if k < name)
        cut_not = sum(1 for k, _ in base if k < not_name)
        chosen, banned = self.selected(facet), self.excluded(facet)
        prefix_name, prefix_not = quote_plus(name) + "=", quote_plus(not_name) + "="

        def url(select: Iterable[str], ban: Iterable[str]) -> str:
            selected = [prefix_name + _quoted(k) for k in sorted(select)]
            excluded = [prefix_not + _quoted(k) for k in sorted(ban)]
            # the block whose parameter name sorts first goes at the lower cut
            (low, first), (high, second) = sorted([(cut_name, (name, selected)), (cut_not, (not_name, excluded))])
            parts = encoded_base[:low] + first[1] + encoded_base[low:high] + second[1] + encoded_base[high:]
            return "/search?" + "&".join(parts) if parts else "/search"

        if not chosen and not banned:
            # The common case (nothing chosen in this facet): one fixed left and right part.
            def around(cut: int, prefix: str) -> tuple[str, str]:
                left, right = "&".join(encoded_base[:cut]), "&".join(encoded_base[cut:])
                return ("/search?" + left + "&" if left else "/search?") + prefix, ("&" + right if right else "")

            (toggle_left, toggle_right), (exclude_left, exclude_right) = (
                around(cut_name, prefix_name),
                around(cut_not, prefix_not),
            )

            def plain_links(key: str) -> tuple[str, str]:
                k = _quoted(key)
                return toggle_left + k + toggle_right, exclude_left + k + exclude_right

            return plain_links

        def links(key: str) -> tuple[str, str]:
            select = [k for k in chosen if k != key] if key in chosen else [*chosen, key]
            ban = [k for k in banned if k != key]
            toggle = url(select, ban)
            if key in banned:
                exclude = url(chosen, ban)
            else:
                exclude = url([k for k in chosen if k != key], [*banned, key])
            return toggle, exclude

        return links

    # --- to the engine --------------------------------------------------------------------

    def to_request(self, *, facets: Iterable[str] | None = None, facet_size: int = FACET_FETCH_SIZE) -> SearchRequest:
        return SearchRequest(
            query=parse(self.q) if self.q else None,
            filters=self.filters,
            excludes=self.excludes,
            date_from=self.date_from,
            date_to=self.date_to,
            sort=self.effective_sort,  # type: ignore[arg-type]  # one of SORTS: from_args keeps no other
            offset=(self.page - 1) * self.size,
            size=self.size,
            facets=tuple(facets) if facets is not None else tuple(FACETS_BY_NAME),
            facet_size=facet_size,
        )
