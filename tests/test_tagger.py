"""The packaged named-entity tagger: loads, tags sensibly, round-trips CoNLL, keeps its score."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from search.entities.ner_cli import read_conll, read_sentences, run
from search.entities.tagger import Tagger, spans

SHARED = Path(os.environ.get("ARSHIF_SHARED") or Path(__file__).resolve().parents[2] / "shared")
NER = SHARED / "ner"

# Measured with `python scripts/train_ner.py --bench`-free check below: overall F1 of the packaged
# model on the last sixth of anercorp_camellab_train (see test_score_floor).
SLICE_F1 = 0.97  # trained on the slice too: a floor against broken features or decoding


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.load()


def entities(tokens: list[str], tags: list[str]) -> set[tuple[str, str]]:
    return {(typ, " ".join(tokens[a:b])) for typ, a, b in spans(tags)}


def test_person_after_title(tagger):
    tokens = "قال الرئيس الفلسطيني محمود عباس إن المفاوضات ستستأنف الأسبوع المقبل .".split()
    tags = tagger.tag(tokens)
    assert len(tags) == len(tokens)
    assert ("PERS", "محمود عباس") in entities(tokens, tags)


def test_organization_and_location(tagger):
    tokens = "وأعلنت منظمة الصحة العالمية في جنيف أمس عن برنامج جديد .".split()
    found = entities(tokens, tagger.tag(tokens))
    assert ("ORG", "منظمة الصحة العالمية") in found
    assert ("LOC", "جنيف") in found


def test_attached_punctuation_and_batches(tagger):
    # Punctuation glued to words (as in raw text) is handled like separate punctuation.
    glued = "التقى وزير الخارجية الأمريكي جون كيري، في القاهرة، نظيره المصري .".split()
    tags = tagger.tag(glued)
    assert ("PERS", "جون كيري،") in entities(glued, tags)
    assert ("LOC", "القاهرة،") in entities(glued, tags)
    sentences = [glued, [], ["."], "وصل الرئيس إلى باريس".split()]
    batch = tagger.tag_sentences(sentences)
    assert batch[0] == tags
    assert batch[1] == [] and batch[2] == ["O"]
    assert [len(t) for t in batch] == [len(s) for s in sentences]
    for t in batch:
        for prev, cur in zip(["O", *t], t, strict=False):  # valid BIO
            assert not cur.startswith("I-") or prev[2:] == cur[2:]


def test_spans_conlleval_style():
    assert spans(["B-PERS", "I-PERS", "O", "I-ORG", "I-ORG", "B-LOC", "I-PERS"]) == [
        ("PERS", 0, 2),
        ("ORG", 3, 5),
        ("LOC", 5, 6),
        ("PERS", 6, 7),
    ]


def test_ner_cli_round_trip(tmp_path):
    conll = (
        "\ufeffقال\tO  \r\nالرئيس\tO\r\nمحمود\tB-PERS\r\nعباس\tI-PERS\r\n.\tO\r\n\r\n"
        "\r\nغادر\tO\nالوفد\tO\nبيروت\tB-LOC\n.\tO"
    )  # extra blank line, no final one
    out = io.StringIO()
    assert run(io.StringIO(conll), out) == 0
    blocks = [b.splitlines() for b in out.getvalue().strip("\n").split("\n\n")]
    assert len(blocks) == 2
    assert [line.split("\t")[0] for line in blocks[0]] == ["قال", "الرئيس", "محمود", "عباس", "."]
    assert [line.split("\t")[0] for line in blocks[1]] == ["غادر", "الوفد", "بيروت", "."]
    assert all(len(line.split("\t")) == 2 for b in blocks for line in b)
    assert blocks[0][2].split("\t")[1] == "B-PERS"
    assert out.getvalue().endswith("\n\n")


def _cli_tags(text: str, **options) -> list[list[str]]:
    out = io.StringIO()
    assert run(io.StringIO(text), out, **options) == 0
    return [[line.split("\t")[1] for line in block.splitlines()] for block in out.getvalue().strip("\n").split("\n\n")]


@pytest.mark.slow
def test_ner_cli_reads_consecutive_sentences_as_one_document():
    """A name found in one sentence is tagged where it recurs in the next ones («آبي» alone is
    missed by the sentence on its own), but not across a -DOCSTART- line."""
    first = "وصل رئيس الوزراء الياباني شينزو آبي إلى واشنطن ."
    second = "وسيبحث آبي التجارة ."
    text = "\n".join(first.split()) + "\n\n" + "\n".join(second.split()) + "\n"
    assert _cli_tags(text)[1][1] == "B-PERS"
    assert _cli_tags(text, documents=False)[1][1] == "O"
    split = "-DOCSTART-\tO\n\n" + "\n".join(first.split()) + "\n\n-DOCSTART-\tO\n\n" + "\n".join(second.split()) + "\n"
    tags = _cli_tags(split)
    assert len(tags) == 4 and tags[0] == tags[2] == ["O"]
    assert "B-PERS" in tags[1] and tags[3][1] == "O"
    # Runs longer than the document size are cut: the recurrence 20 sentences later is alone.
    far = "\n".join(first.split()) + "\n\n" + "غادر\n.\n\n" * 19 + "\n".join(second.split()) + "\n"
    assert _cli_tags(far)[-1][1] == "O"
    assert _cli_tags(far, doc_sentences=21)[-1][1] == "B-PERS"


def test_read_sentences_tolerant():
    text = "a\tO\n\n\n b O \nc\n\n"
    assert list(read_sentences(io.StringIO(text))) == [["a"], ["b", "c"]]


@pytest.mark.skipif(
    not (NER / "anercorp_camellab_train.conll").exists(),
    reason=f"ANERcorp training data not found under {NER} (set ARSHIF_SHARED)",
)
def test_score_floor(tagger):
    """Regression floor on the evaluation slice (the last sixth of ANERcorp train).

    The packaged model is trained on all the data, this slice included, so this guards against
    broken features or decoding, not over-fitting; the held-out figure comes from
    `python scripts/train_ner.py --eval`."""
    from collections import Counter

    sentences = read_conll(NER / "anercorp_camellab_train.conll")
    held = sentences[-(len(sentences) // 6) :]
    pred = tagger.tag_sentences([s for s, _ in held])
    c = Counter()
    for (_, gold), p in zip(held, pred, strict=True):
        g, q = set(spans(gold)), set(spans(p))
        c["tp"] += len(g & q)
        c["gold"] += len(g)
        c["pred"] += len(q)
    f1 = 2 * c["tp"] / (c["gold"] + c["pred"])
    assert f1 >= SLICE_F1 - 0.03, f"F1 {f1:.4f} below the floor {SLICE_F1 - 0.03:.4f}"


@pytest.mark.skipif(
    not (SHARED / "corpus").exists(), reason=f"the shared corpus is not at {SHARED / 'corpus'} (set ARSHIF_SHARED)"
)
def test_extraction_benchmark_reports_its_costs():
    """scripts/bench_extraction.py runs on real articles and prints the figures the README quotes."""
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "scripts" / "bench_extraction.py"
    out = subprocess.run(
        [sys.executable, str(script), "--corpus", str(SHARED / "corpus"), "--articles", "60", "--warm", "20"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    assert "60 articles after 20" in out
    costs = [float(x) for x in re.findall(r"([\d.]+) ms per article", out)]
    assert len(costs) == 2 and all(c > 0 for c in costs), out
