"""The facets Arshif offers: one table, read by the engines, the query state and the templates."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Facet:
    name: str        # URL parameter and API key (`source=...`, `not_source=...`)
    field: str       # document field holding the keys (a list field for entities)
    label: str       # Arabic heading shown in the page
    label_en: str
    size: int = 10   # values shown before "more"
    bounded: bool = False  # few values at most (years, months, outlets): always counted in full


FACETS: tuple[Facet, ...] = (
    Facet("country", "country", "الدول", "Countries"),
    Facet("person", "person", "الأشخاص", "People"),
    Facet("org", "org", "المنظمات", "Organizations"),
    Facet("source", "source", "المصدر", "Outlet", bounded=True),
    Facet("category", "category", "التصنيف", "Category", bounded=True),
    Facet("year", "year", "السنة", "Year", size=20, bounded=True),
    Facet("month", "month", "الشهر", "Month", size=24, bounded=True),
)
FACETS_BY_NAME = {f.name: f for f in FACETS}
FACET_FETCH_SIZE = 30  # values counted per facet; the page shows `size` and a "more" list
BOUNDED_FETCH_SIZE = 500


def fetch_size(name: str, requested: int) -> int:
    """How many values of a facet an engine returns: bounded facets in full, others as asked."""
    return max(requested, BOUNDED_FETCH_SIZE) if FACETS_BY_NAME[name].bounded else requested
