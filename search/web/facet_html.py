"""The values of one facet as HTML list items, for the results page.

A results page lists about 130 facet values, each with a select and an exclude link. Rendered by a
Jinja loop they were the slowest part of a search request (a dozen attribute lookups and escapes
per value); this renders the same markup with one format string per value.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from html import escape as escape_attr

from markupsafe import Markup

from search.web.results import FacetValue

_VALUE = (
    '<li class="fv{classes}" data-key="{key}" data-label="{label}" data-label-en="{label_en}">'
    '<a class="toggle" href="{url}" rel="nofollow"><bdi>{label}</bdi>{english}</a> '
    '<span class="count">{count:,}</span> '
    '<a class="exclude" href="{exclude_url}" rel="nofollow" title="{title}" aria-label="{action} {label}">'
    "{sign}</a></li>"
)
_ENGLISH = ' <span class="en" lang="en" dir="ltr">{}</span>'


# Keys and labels recur on every page: escape each once (URLs differ per page: escape_attr).
_escaped = lru_cache(maxsize=65_536)(escape_attr)


def facet_values_html(values: Iterable[FacetValue], shown: int) -> Markup:
    """<li> items for `values`; after the first `shown`, unselected values are marked `extra`
    (hidden until "more")."""
    items = []
    for position, v in enumerate(values, 1):
        classes = (" selected" if v.selected else "") + (" excluded" if v.excluded else "")
        if position > shown and not (v.selected or v.excluded):
            classes += " extra"
        label = _escaped(v.label)
        label_en = _escaped(v.label_en or "")
        items.append(
            _VALUE.format(
                classes=classes,
                key=_escaped(v.key),
                label=label,
                label_en=label_en,
                url=escape_attr(v.url),
                exclude_url=escape_attr(v.exclude_url),
                count=v.count,
                english=_ENGLISH.format(label_en) if v.label_en and v.label_en != v.label else "",
                title="إلغاء الاستبعاد" if v.excluded else "استبعاد",
                action="إلغاء استبعاد" if v.excluded else "استبعاد",
                sign="↺" if v.excluded else "⊘",
            )
        )
    return Markup("\n".join(items))
