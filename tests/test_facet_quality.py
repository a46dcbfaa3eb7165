"""Facet quality against hand-annotated real articles: the 30 the rules were written with
(tests/data/facet_gold.json), and four sets of 15 annotated before the extractor ran on them
(tests/data/facet_gold_holdout.json, facet_gold_holdout2.json, facet_gold_holdout3.json,
facet_gold_holdout4.json).

Floors sit a little under the measured figures (README), so a regression in extraction,
canonicalization or aliases shows up here.
"""

import json

import pytest

from conftest import CORPUS, REPO, needs_corpus

# gold file, its number of articles, and per facet the floors (precision, recall)
SETS = [
    ("facet_gold.json", 30, {"country": (0.90, 0.88), "person": (0.80, 0.85), "org": (0.78, 0.75)}),
    ("facet_gold_holdout.json", 15, {"country": (0.90, 0.90), "person": (0.85, 0.90), "org": (0.65, 0.70)}),
    # holdout2 has 14 people: one name more or less is 7 points (the CRF + neural tagger misses
    # «صابر المليان», 0.857 / 0.857); holdout3's people rose to 0.929 / 0.591 with it
    ("facet_gold_holdout2.json", 15, {"country": (0.90, 0.85), "person": (0.80, 0.80), "org": (0.85, 0.70)}),
    ("facet_gold_holdout3.json", 15, {"country": (0.85, 0.95), "person": (0.90, 0.80), "org": (0.75, 0.75)}),
    # the fifth set (issue 20): 0.969 / 0.939, 0.857 / 0.828, 0.667 / 0.611 before its rules
    ("facet_gold_holdout4.json", 15, {"country": (0.90, 0.90), "person": (0.90, 0.85), "org": (0.80, 0.75)}),
]
# The five sets together: the targets of issue 20.
TOGETHER = {"country": (0.95, 0.95), "person": (0.90, 0.90), "org": (0.85, 0.85)}


@needs_corpus
@pytest.mark.parametrize("gold_file,articles,floors", SETS, ids=[s[0] for s in SETS])
def test_facets_match_what_a_reader_wrote_down(gold_file, articles, floors):
    from eval_facets import evaluate

    gold = json.loads((REPO / "tests" / "data" / gold_file).read_text(encoding="utf-8"))
    assert len(gold) == articles
    scores = evaluate(gold, CORPUS)
    for facet, (precision, recall) in floors.items():
        assert scores[facet]["precision"] >= precision, facet
        assert scores[facet]["recall"] >= recall, facet


@needs_corpus
def test_the_five_sets_together_meet_the_targets():
    from eval_facets import evaluate, score

    total = {facet: {"tp": 0, "fp": 0, "fn": 0} for facet in TOGETHER}
    for gold_file, _, _ in SETS:
        gold = json.loads((REPO / "tests" / "data" / gold_file).read_text(encoding="utf-8"))
        for facet, s in evaluate(gold, CORPUS).items():
            for k in ("tp", "fp", "fn"):
                total[facet][k] += s[k]
    scores = score(total)
    for facet, (precision, recall) in TOGETHER.items():
        assert scores[facet]["precision"] >= precision and scores[facet]["recall"] >= recall, (facet, scores[facet])
