"""Facet quality against 30 hand-annotated real articles (tests/data/facet_gold.json).

Floors sit a little under the measured figures (README), so a regression in extraction,
canonicalization or aliases shows up here.
"""

import json
import sys


from tests.conftest import CORPUS, REPO, needs_corpus

sys.path.insert(0, str(REPO / "scripts"))


@needs_corpus
def test_facets_match_what_a_reader_wrote_down():
    from eval_facets import evaluate
    gold = json.loads((REPO / "tests" / "data" / "facet_gold.json").read_text(encoding="utf-8"))
    assert len(gold) == 30
    scores = evaluate(gold, CORPUS)
    assert scores["country"]["precision"] >= 0.90 and scores["country"]["recall"] >= 0.88
    assert scores["person"]["precision"] >= 0.62 and scores["person"]["recall"] >= 0.80
    assert scores["org"]["precision"] >= 0.62 and scores["org"]["recall"] >= 0.55
