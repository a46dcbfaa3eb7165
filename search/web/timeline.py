"""The timeline above the results: the search's articles per year, or per month when one year is
chosen or the articles span two years at most, drawn as SVG on the server (no script, no library).

It is computed from the year and month facet counts the search already made (no extra query).
Time runs the way the page reads, right to left: the first period at the right. Every bar is a
link that narrows the search to its period (replacing any year or month already chosen), and
says its period and count in words for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.query.state import SearchState
from search.web.labels import AR_MONTHS, articles_ar, facet_label
from search.web.results import FacetBlock, Results

WIDTH, HEIGHT = 720, 150  # SVG user units; the drawing scales to the column's width
TOP, BOTTOM = 18, 22  # room for the counts above the bars and the labels below
MAX_MONTH_SPAN = 24  # months shown one by one up to this span
MAX_FILLED_YEARS = 80  # past this span, only the years that have articles


@dataclass
class Bar:
    key: str  # "2015" or "2015-07"
    label: str  # what is written under the bar
    title: str  # the period in words, with the count: for screen readers
    count: int
    url: str
    current: bool
    x: float
    width: float
    y: float
    height: float

    @property
    def middle(self) -> float:
        return self.x + self.width / 2


@dataclass
class Timeline:
    unit: str  # "year" or "month"
    bars: list[Bar]
    undated: int  # articles of the search without a date
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM
    label_every: int = 1  # write every n-th label when bars are narrow

    @property
    def heading(self) -> str:
        return "المقالات حسب الشهر" if self.unit == "month" else "المقالات حسب السنة"


def _counts(results: Results, facet: str) -> dict[str, int]:
    block: FacetBlock | None = next((b for b in results.facets if b.facet.name == facet), None)
    return {v.key: v.count for v in block.values if v.count} if block else {}


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _span(keys: list[str]) -> int:
    first, last = min(keys), max(keys)
    return (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) + 1


def _only(state: SearchState, facet: str, key: str) -> SearchState:
    """`state` narrowed to one period: other years (and months, for a year) are let go."""
    for name in ("year", "month") if facet == "year" else ("month",):
        for chosen in state.selected(name):
            state = state.without_value(name, chosen)
    return state.with_value(facet, key)


def _label(unit: str, key: str, i: int, bars: int) -> str:
    """Under a bar: the year; a month's name when a year's months fit, else its number, with the
    year under the first bar and each January."""
    if unit == "year":
        return key
    if bars <= 12:
        return AR_MONTHS[int(key[5:7]) - 1]
    return key[:4] if i == 0 or key.endswith("-01") else key[5:7].lstrip("0")


def build_timeline(results: Results) -> Timeline | None:
    """The timeline of a results page, or None when no article of the search has a date."""
    state = results.state
    years, months = _counts(results, "year"), _counts(results, "month")
    by_month = bool(months) and (len(state.selected("year")) == 1 or _span(list(months)) <= MAX_MONTH_SPAN)
    if not results.total or not (months if by_month else years):
        return None  # (a month chosen that has no article leaves the year counts empty)
    if by_month:
        unit, counts = "month", months
        keys = _months_between(min(months), max(months))
    else:
        unit, counts = "year", years
        first, last = int(min(years)), int(max(years))
        keys = [str(y) for y in range(first, last + 1)] if last - first < MAX_FILLED_YEARS else sorted(years)
    chosen = set(state.selected(unit))
    peak = max(counts.values())
    slot = WIDTH / len(keys)
    room = HEIGHT - TOP - BOTTOM
    bars = []
    for i, key in enumerate(keys):
        count = counts.get(key, 0)
        height = room * count / peak if count else 0.0
        if count and height < 2:
            height = 2.0  # a period with one article among thousands is still seen
        words = facet_label(unit, key)[0]  # «يوليو 2015», or the year
        label = _label(unit, key, i, len(keys))
        bars.append(
            Bar(
                key=key,
                label=label,
                title=f"{words}: {articles_ar(count)}",
                count=count,
                url=_only(state, unit, key).url(),
                current=key in chosen,
                x=WIDTH - (i + 1) * slot + slot * 0.1,
                width=slot * 0.8,
                y=HEIGHT - BOTTOM - height,
                height=height,
            )
        )
    dated = sum(years.values())
    undated = (
        0
        if (state.selected("year") or state.selected("month") or state.date_from or state.date_to)
        else max(0, results.total - dated)
    )
    return Timeline(unit=unit, bars=bars, undated=undated, label_every=max(1, -(-len(keys) // 24)))
