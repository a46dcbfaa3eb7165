"""Field boosts shared by every engine, so that the same URL ranks the same way everywhere.

A query word scores on every field it matches, so an exact (normalized surface) match, which also
matches the stemmed field, already outranks a stem-only match, and a title match adds to a body
match. The boosts only tilt that a little further: measured on ../shared/dev/other_coverage.tsv
(scripts/eval_retrieval.py), strong boosts (title 3x) cost 0.02 MRR@10 against these mild ones.
"""

EXACT_BOOST = {"title": 1.2, "body": 1.1}
STEM_BOOST = {"title": 1.1, "body": 1.0}
PHRASE_BOOST = 1.0
