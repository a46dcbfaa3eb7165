"""Pseudo-relevance feedback for pasted text: "more on this story".

A journalist who pastes a headline (or an article's opening) wants the story, in every outlet's
version. When the best first hit holds most of the pasted words (FEEDBACK_MIN_SHARE), it is that
story; its most distinctive stems (tf·idf) are then added to the ranking as optional, weighted
terms. They only reorder what the query already matches: the count and the match set stay those
of the words typed.

Where it does not apply: keyword queries and explicit syntax (they mean what they say), questions
(they want the passage that answers, not more like the first hit: measured, feedback cost 0.004
there), other sorts than relevance, and a first hit holding less than FEEDBACK_MIN_SHARE of the
words (measured on headlines whose article is not in the archive: below 0.7, feedback lowered
MRR@10; above, it raised it). Figures per set: docs/quality.md.
"""

from __future__ import annotations

import math
from dataclasses import replace

from search.engines.base import Engine, SearchRequest
from search.query.partial import share_held

FEEDBACK_DOCS = 1
FEEDBACK_TERMS = 50
FEEDBACK_WEIGHT = 5.0
FEEDBACK_MIN_SHARE = 0.7


def qualifies(request: SearchRequest) -> bool:
    query = request.query
    return (
        query is not None
        and request.size > 0  # feedback reorders hits, never counts: nothing to do for counts alone
        and query.kind == "text"
        and request.sort == "relevance"
        and bool(query.should)
        and query.minimum_should_match > 0
        and not request.expansion
    )


def expansion_terms(
    stats: dict[str, tuple[int, int]], total_docs: int, limit: int = FEEDBACK_TERMS, weight: float = FEEDBACK_WEIGHT
) -> tuple[tuple[str, float], ...]:
    """The `limit` stems with the highest tf·idf in the feedback document, boosts scaled to `weight`."""
    length = sum(tf for tf, _ in stats.values()) or 1
    scored = sorted(
        ((tf / length) * math.log(total_docs / (1 + df)), term) for term, (tf, df) in stats.items() if df > 0
    )
    best = [(term, score) for score, term in reversed(scored[-limit:]) if score > 0]
    if not best:
        return ()
    top = best[0][1]
    return tuple((term, round(weight * score / top, 4)) for term, score in best)


def with_feedback(engine: Engine, request: SearchRequest) -> SearchRequest:
    """`request` with feedback terms from its first hit, when the query is a long natural one."""
    query = request.query
    if query is None or not qualifies(request):
        return request
    first = engine.search(replace(request, offset=0, size=FEEDBACK_DOCS, facets=()))
    if not first.hits or share_held(query, first.hits[0].doc) < FEEDBACK_MIN_SHARE:
        return request
    stats = engine.feedback_terms(first.hits[0].id)
    return replace(request, expansion=expansion_terms(stats, max(engine.count(), 1)))
