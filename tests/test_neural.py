"""The convolutional NER model: its numpy inference is the torch model it was trained as, and
the packaged tagger adds it to the CRF."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from search.entities.neural import ConvScorer
from search.entities.tagger import Tagger, spans

ROOT = Path(__file__).resolve().parents[1]

NAMES = ["محمود عباس", "جون كيري", "نبيه بري", "سعد الحريري"]
PLACES = ["القاهرة", "بيروت", "باريس", "عمان"]
BODIES = ["الأمم المتحدة", "جامعة الدول العربية", "حلف الناتو"]


def toy_sentences() -> list[tuple[list[str], list[str]]]:
    """Labelled sentences made up for the test (no third-party text)."""
    out = []
    for i, name in enumerate(NAMES):
        for j, place in enumerate(PLACES):
            body = BODIES[(i + j) % len(BODIES)].split()
            toks = ["قال"] + name.split() + ["في"] + [place] + ["إن"] + body + ["ستجتمع", "غدا", "."]
            tags = (
                ["O"]
                + ["B-PERS"]
                + ["I-PERS"] * (len(name.split()) - 1)
                + ["O", "B-LOC", "O"]
                + ["B-ORG"]
                + ["I-ORG"] * (len(body) - 1)
                + ["O", "O", "O"]
            )
            out.append((toks, tags))
    return out


@pytest.mark.slow
def test_numpy_inference_equals_the_torch_model(tmp_path):
    torch = pytest.importorskip("torch")
    import ner_neural as nn_train
    from search.entities.features import explode_sentence

    train = toy_sentences()
    model, vocab = nn_train.fine_tune(train, None, epochs=2, log=lambda *a: None)
    nn_train.export(model, vocab, tmp_path / "m.npz", {})
    scorer = ConvScorer(tmp_path / "m.npz")
    # the exported feature table is int8: give the torch model the same weights
    with torch.no_grad():
        model.enc.bag.weight.copy_(torch.from_numpy(scorer._bag))
    x = nn_train.make_extractor()
    table = nn_train.TypeTable(vocab, x)
    sents = [explode_sentence(toks)[0] for toks, _ in train[:3]]
    sents.append(explode_sentence("وصل رئيس وزراء مجهول إلى مدينة لم ترد في التدريب".split())[0])
    ids = [np.array([table.id(p) for p in s]) for s in sents]
    table.freeze()
    with torch.no_grad():
        expected, _ = model.emissions(table, ids)
    # numpy reads one stream: sentences separated by two non-token positions
    stream: list[str | None] = [None, None]
    for s in sents:
        stream += s + [None, None]
    real = np.array([p is not None for p in stream])
    blocks = np.zeros((len(stream), 3, scorer.hidden), dtype=np.float32)
    blocks[real] = scorer.type_blocks([p for p in stream if p is not None], x)
    got = scorer.emissions(blocks, real)
    pos = 2
    for k, s in enumerate(sents):
        np.testing.assert_allclose(got[pos : pos + len(s)], expected[k, : len(s)].numpy(), atol=1e-4)
        pos += len(s) + 2


@pytest.mark.slow
def test_packaged_tagger_combines_crf_and_neural_scores():
    combined, crf = Tagger.load(), Tagger.load(neural=False)
    assert combined._neural is not None and crf._neural is None
    tokens = "وقال وزير الخارجية السعودي عادل الجبير في مؤتمر صحفي بالرياض إن المملكة ترحب .".split()
    tags = combined.tag(tokens)
    found = {(t, " ".join(tokens[a:b])) for t, a, b in spans(tags)}
    assert ("PERS", "عادل الجبير") in found
    # the type-cache path and a fresh tagger give the same tags, in any batch
    assert combined.tag_sentences([tokens, tokens[:5], tokens])[2] == tags
    assert Tagger.load().tag(tokens) == tags
