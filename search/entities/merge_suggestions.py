"""Merges an editor may want: a short form of a person's name that, across the archive, stands
for one full name.

Within an article, a bare surname already joins the full name seen there (search.entities). An
article that names someone only by «السبسي» or «قايد السبسي» keeps that short form as its own
facet value, so the archive holds three values for one man. Which short form is whose is a
question about the whole archive, and the answer can be wrong (a surname shared by a family), so
it is not applied on its own: `arshif entities --suggest-merges` lists the candidates with their
counts, and the editor copies the ones they agree with into the overrides file.

A short key K matches a full key F (more words) when:
* F ends with K: «السبسي», «قايد-السبسي» → «الباجي-قايد-السبسي»;
* K is F without its ‹بن …› chain: «خالد-الفيصل» → «خالد-الفيصل-بن-عبدالعزيز», or
  «عبدالله-الربيعه» → «عبدالله-بن-عبدالعزيز-الربيعه».
A merge is suggested when one full name holds at least `min_share` of the documents of all the
full names K matches (short forms chained: «قايد-السبسي» counts for its own full name), is not
much rarer than K, and K is not a common first name alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from search.entities.first_names import COMMON_FIRST_NAMES
from search.entities.first_names import NASAB as _NASAB


@dataclass(frozen=True)
class Suggestion:
    short: str  # key of the short form
    full: str  # key of the full name it stands for
    short_count: int  # documents with the short form
    full_count: int
    share: float  # the full name's share of the documents of all matching full names


def _matches(short: list[str], full: list[str]) -> bool:
    n = len(short)
    if n >= len(full):
        return False
    if full[-n:] == short:
        # «قايد-السبسي» is part of «الباجي-قايد-السبسي», but «عبدالعزيز-ال-سعود» in
        # «سلمان-بن-عبدالعزيز-ال-سعود» is the father, and so is «سعد-دوابشه» in «علي-سعد-دوابشه»
        return n == 1 or (full[-n - 1] not in _NASAB and short[0] not in COMMON_FIRST_NAMES)
    if short[-1] in COMMON_FIRST_NAMES and not _NASAB.intersection(short):
        return False  # «أحمد علي», «محمد إبراهيم»: a first name and a father's, many men
    if n >= 2 and full[:n] == short and full[n] in _NASAB:
        return True  # خالد-الفيصل-بن-عبدالعزيز
    if n == 2 and full[0] == short[0] and full[-1] == short[-1] and full[1] in _NASAB:
        return True  # عبدالله-بن-عبدالعزيز-الربيعه
    return False


def suggest_merges(
    counts: Mapping[str, int], min_share: float = 0.75, min_full: int = 3, min_ratio: float = 0.25
) -> list[Suggestion]:
    """Suggestions for person keys with their document counts, the most frequent short forms
    first. The full name must be in at least `min_ratio` as many documents as the short form: a
    full name seen 3 times does not explain a short one seen 122 times («سعود الفيصل», the
    foreign minister, is not «سعود بن خالد الفيصل»)."""
    words = {key: key.split("-") for key in counts}
    by_last: dict[str, list[str]] = {}
    by_first: dict[str, list[str]] = {}
    for key, ws in words.items():
        if len(ws) > 1:
            by_last.setdefault(ws[-1], []).append(key)
            by_first.setdefault(ws[0], []).append(key)
    target: dict[str, str] = {}
    found: list[Suggestion] = []
    # Longer short forms first, so that «قايد-السبسي» is resolved before «السبسي» counts it.
    for key in sorted(counts, key=lambda k: (-len(words[k]), -counts[k], k)):
        ws = words[key]
        if len(ws) > 3 or (len(ws) == 1 and ws[0] in COMMON_FIRST_NAMES):
            continue
        candidates = {f for f in (*by_last.get(ws[-1], ()), *by_first.get(ws[0], ())) if _matches(ws, words[f])}
        if not candidates:
            continue
        pooled: dict[str, int] = {}
        for f in candidates:
            end = target.get(f, f)
            pooled[end] = pooled.get(end, 0) + counts[f]
        best = max(pooled, key=lambda f: (pooled[f], f))
        share = pooled[best] / sum(pooled.values())
        full_count = counts.get(best, 0)
        if share >= min_share and full_count >= max(min_full, min_ratio * counts[key]) and best != key:
            target[key] = best
            found.append(Suggestion(key, best, counts[key], counts[best], round(share, 3)))
    found.sort(key=lambda s: (-s.short_count, s.short))
    return found


def suggestions_for_index(engine, limit: int = 50_000) -> list[Suggestion]:
    """The suggestions for the people of an index, less those an editor has already decided:
    a short form merged or blocked since the last index run, a pair refused (the overrides'
    `rejected`)."""
    from dataclasses import replace

    from search.entities.overrides import load_overrides
    from search.query.state import SearchState

    request = replace(SearchState().to_request(facets=("person",), facet_size=limit), size=0)
    counts = dict(engine.search(request).facets.get("person", []))
    overrides = load_overrides()
    decided = set(overrides.merge) | set(overrides.block)
    return [
        s
        for s in suggest_merges(counts)
        if f"person:{s.short}" not in decided and (f"person:{s.short}", f"person:{s.full}") not in overrides.rejected
    ]
