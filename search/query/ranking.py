"""Field boosts shared by every engine, so that the same URL ranks the same way everywhere.

Exact (normalized surface) matches rank above stemmed ones; titles above bodies. Tuned on
../shared/dev/other_coverage.tsv with scripts/eval_retrieval.py.
"""

EXACT_BOOST = {"title": 3.0, "body": 1.5}
STEM_BOOST = {"title": 2.0, "body": 1.0}
PHRASE_BOOST = 1.0
