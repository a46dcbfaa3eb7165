"""Facet quality against hand-annotated real articles: the 30 the rules were written with
(tests/data/facet_gold.json) and 15 annotated before the extractor ran on them
(tests/data/facet_gold_holdout.json).

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
    assert scores["person"]["precision"] >= 0.80 and scores["person"]["recall"] >= 0.85
    assert scores["org"]["precision"] >= 0.78 and scores["org"]["recall"] >= 0.75


@needs_corpus
def test_facets_on_the_articles_annotated_before_the_extractor_ran_on_them():
    from eval_facets import evaluate
    gold = json.loads((REPO / "tests" / "data" / "facet_gold_holdout.json").read_text(encoding="utf-8"))
    assert len(gold) == 15
    scores = evaluate(gold, CORPUS)
    assert scores["country"]["precision"] >= 0.90 and scores["country"]["recall"] >= 0.90
    assert scores["person"]["precision"] >= 0.85 and scores["person"]["recall"] >= 0.90
    assert scores["org"]["precision"] >= 0.65 and scores["org"]["recall"] >= 0.70


@needs_corpus
def test_facets_on_a_second_held_out_set():
    from eval_facets import evaluate
    gold = json.loads((REPO / "tests" / "data" / "facet_gold_holdout2.json").read_text(encoding="utf-8"))
    assert len(gold) == 15
    scores = evaluate(gold, CORPUS)
    assert scores["country"]["precision"] >= 0.90 and scores["country"]["recall"] >= 0.85
    assert scores["person"]["precision"] >= 0.75 and scores["person"]["recall"] >= 0.90
    assert scores["org"]["precision"] >= 0.70 and scores["org"]["recall"] >= 0.45
