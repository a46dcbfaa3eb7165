"""«المملكة» alone, in the press of a kingdom, is the outlet's own country.

A Saudi paper writes «زار المملكة» or «في المملكة» for Saudi Arabia as often as it names it, and a
Moroccan one does the same for Morocco. The country matcher reads text only, so it cannot know
which kingdom is meant; the article's outlet can (`data/outlet_countries.json`). The word counts
only alone: «المملكة المتحدة», «المملكة المغربية», «المملكة العربية السعودية» are names the
matcher already reads.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from search.arabic import normalize
from search.entities.countries import CountryMention
from search.entities.normalized_text import PROCLITICS, NormalizedText

DATA = Path(__file__).resolve().parent / "data" / "outlet_countries.json"
KINGDOMS = frozenset({"SA", "MA", "JO", "BH"})
_KINGDOM = normalize("المملكة")
_FORMS = frozenset({_KINGDOM} | {p + _KINGDOM for p in PROCLITICS} | {"لل" + _KINGDOM[2:]})
# Words after «المملكة» that make it part of a name (or of another kingdom).
_QUALIFIERS = frozenset(
    normalize(w)
    for w in "المتحدة العربية المغربية الأردنية الهاشمية البحرينية السعودية الإسبانية "
    "الهولندية البلجيكية النرويجية السويدية الدنماركية التايلاندية".split()
)


@lru_cache(maxsize=1)
def outlet_countries() -> dict[str, str]:
    return json.loads(DATA.read_text(encoding="utf-8"))["outlets"]


def home_kingdom_mentions(text: str, doc: NormalizedText, source: str | None) -> list[CountryMention]:
    """Mentions of the outlet's own kingdom written as bare «المملكة» in `text`."""
    key = outlet_countries().get(source or "")
    if key not in KINGDOMS:
        return []
    toks = doc.toks
    found = []
    for i, tok in enumerate(toks):
        if tok in _FORMS and not (i + 1 < len(toks) and toks[i + 1] in _QUALIFIERS):
            start, end = doc.original_span(i, i + 1, len(tok) - len(_KINGDOM) if tok.endswith(_KINGDOM) else 0)
            found.append(CountryMention(key, start, end, text[start:end], "name"))
    return found
