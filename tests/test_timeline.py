"""The timeline's choices (by year or by month, gaps, links), from facet counts alone."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from search.query.state import SearchState
from search.schema import FACETS_BY_NAME
from search.web.results import FacetBlock, FacetValue, Results
from search.web.timeline import build_timeline


def results(state: SearchState, years: dict[str, int], months: dict[str, int], total: int) -> Results:
    def block(name, counts):
        links = state.facet_links(name)
        values = [FacetValue(k, k, None, n, False, False, links) for k, n in counts.items()]
        return FacetBlock(FACETS_BY_NAME[name], values)

    return Results(state, total, [], [block("year", years), block("month", months)], [], 1.0)


MONTHS = {"2013-10": 3, "2015-07": 400, "2015-08": 90, "2017-06": 7}


def test_a_long_span_is_drawn_by_year_with_its_empty_years():
    timeline = build_timeline(results(SearchState(q="نفط"), {"2013": 3, "2015": 490, "2017": 7}, MONTHS, 520))
    assert timeline.unit == "year" and [b.key for b in timeline.bars] == ["2013", "2014", "2015", "2016", "2017"]
    empty = timeline.bars[1]
    assert empty.count == 0 and empty.height == 0
    assert timeline.undated == 20 and timeline.bars[0].height >= 2  # 3 of 490 still shows
    tallest = max(timeline.bars, key=lambda b: b.count)
    assert tallest.key == "2015" and tallest.y == 18.0
    assert parse_qs(urlsplit(tallest.url).query) == {"q": ["نفط"], "year": ["2015"]}
    assert tallest.title == "2015: 490 مقالة"
    xs = [b.x for b in timeline.bars]
    assert xs == sorted(xs, reverse=True)  # right to left


def test_one_year_chosen_is_drawn_by_month_and_a_bar_replaces_the_period():
    state = SearchState.from_args({"year": ["2015"], "month": ["2015-08"]})
    timeline = build_timeline(results(state, {"2013": 3, "2015": 490, "2017": 7}, {"2015-07": 400, "2015-08": 90}, 90))
    assert timeline.unit == "month" and [b.label for b in timeline.bars] == ["يوليو", "أغسطس"]
    july, august = timeline.bars
    assert august.current and not july.current and timeline.undated == 0
    assert parse_qs(urlsplit(july.url).query) == {"year": ["2015"], "month": ["2015-07"]}
    assert july.title == "يوليو 2015: 400 مقالة"


def test_a_short_span_is_drawn_by_month():
    months = {"2015-11": 5, "2016-02": 1, "2016-03": 2}
    timeline = build_timeline(results(SearchState(), {"2015": 5, "2016": 3}, months, 8))
    assert [b.key for b in timeline.bars] == ["2015-11", "2015-12", "2016-01", "2016-02", "2016-03"]
    assert [b.label for b in timeline.bars] == ["نوفمبر", "ديسمبر", "يناير", "فبراير", "مارس"]
    assert timeline.bars[3].title == "فبراير 2016: مقالة واحدة"
    longer = build_timeline(results(SearchState(), {"2015": 5, "2016": 3}, {"2015-11": 5, "2016-12": 3}, 8))
    labels = [b.label for b in longer.bars]  # 14 months: numbers, the year under the first and each January
    assert labels[:4] == ["2015", "12", "2016", "2"] and labels[-1] == "12"


def test_no_dated_article_no_timeline():
    assert build_timeline(results(SearchState(q="x"), {}, {}, 4)) is None
    # month=2015-99: no article, no year counted; the month facet (which ignores its own
    # selection) still has counts
    empty_month = SearchState.from_args({"month": ["2015-99"]})
    assert build_timeline(results(empty_month, {}, MONTHS, 0)) is None
