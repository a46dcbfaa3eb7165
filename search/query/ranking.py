"""How every engine scores a query, so that the same URL ranks the same way everywhere.

Each figure was chosen with scripts/eval_retrieval.py --all on the four development sets (pasted
headlines with and without their own article in the archive, questions, unquoted names); the
history of what was tried is in docs/quality.md.

- Fields: a word matches its exact (normalized surface) form and its stems, in title and body.
  The best of those fields counts, plus TIE_BREAKER of the others (dis_max): adding them all let
  a word found four ways outrank a document holding more of the query's words (questions +0.01,
  headlines +0.01 against the plain sum).
- Boosts tilt exact above stemmed and title above body a little; strong ones (title 3x) cost 0.02.
- Proximity: in a keyword query, the whole query and each pair of neighbouring words standing
  together (PROXIMITY_SLOP gaps, plus one per stopword between them) score PROXIMITY_BOOST more.
  An unquoted name then ranks like a quoted one. It ranks, never filters. Questions and pasted
  text get none (the parser leaves them out): measured, it cost 0.02 and 0.01 there.
- Entities: a keyword query that reads as a person's or an organization's name (the indexer's
  own canonical key of it) ranks the articles the extractor tagged with that key ENTITY_BOOST
  higher: the articles about «جون كيري» before those where the two words occur. Unquoted names,
  P@10: the 150 most frequent 0.947 -> 0.986 (people), 0.957 -> 0.980 (orgs); the next 150, not
  used to choose the boost until then, 0.899 -> 0.967 and 0.893 -> 0.945 (quoted: 0.912, 0.913).
"""

EXACT_BOOST = {"title": 1.2, "body": 1.1}
STEM_BOOST = {"title": 1.1, "body": 1.0}
PHRASE_BOOST = 1.0
TIE_BREAKER: float | None = 0.2  # None: add every field a word matches
PROXIMITY_BOOST = 6.0
PROXIMITY_SLOP = 0
ENTITY_BOOST = 25.0
