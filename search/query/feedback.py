"""Pseudo-relevance feedback for long natural-language queries.

A journalist who pastes a headline wants the story, in every outlet's version. The best first hit
of such a query is usually that story; the most distinctive stems of that hit (tf·idf) are added to
the ranking as optional, weighted terms. They only reorder what the query already matches: the
count and the match set stay those of the words typed. Short keyword queries, explicit syntax and
non-relevance sorts are left alone.

Measured on ../shared/dev/other_coverage.tsv (scripts/eval_retrieval.py): see the README. Note that
on that set the first hit is often the query's own article, which is why feedback helps so much
there; the same mechanism serves any "more on this story" search.
"""

from __future__ import annotations

import math
from dataclasses import replace

from search.engines.base import Engine, SearchRequest

FEEDBACK_DOCS = 1
FEEDBACK_TERMS = 50
FEEDBACK_WEIGHT = 5.0


def qualifies(request: SearchRequest) -> bool:
    query = request.query
    return (query is not None and request.sort == "relevance" and bool(query.should)
            and query.minimum_should_match > 0 and not request.expansion)


def expansion_terms(stats: dict[str, tuple[int, int]], total_docs: int,
                    limit: int = FEEDBACK_TERMS, weight: float = FEEDBACK_WEIGHT) -> tuple[tuple[str, float], ...]:
    """The `limit` stems with the highest tf·idf in the feedback document, boosts scaled to `weight`."""
    length = sum(tf for tf, _ in stats.values()) or 1
    scored = sorted(((tf / length) * math.log(total_docs / (1 + df)), term)
                    for term, (tf, df) in stats.items() if df > 0)
    best = [(term, score) for score, term in reversed(scored[-limit:]) if score > 0]
    if not best:
        return ()
    top = best[0][1]
    return tuple((term, round(weight * score / top, 4)) for term, score in best)


def with_feedback(engine: Engine, request: SearchRequest) -> SearchRequest:
    """`request` with feedback terms from its first hit, when the query is a long natural one."""
    if not qualifies(request):
        return request
    first = engine.search(replace(request, offset=0, size=FEEDBACK_DOCS, facets=()))
    if not first.hits:
        return request
    stats = engine.feedback_terms(first.hits[0].id)
    return replace(request, expansion=expansion_terms(stats, max(engine.count(), 1)))
