"""Golden tokens of the analysis chain: any change to normalization, tokenization, stopwords or
stemming shows here as a diff of tokens, to be read and accepted on purpose.

The text (tests/data/analyzer_text.txt) was written for this test: harakat, tatweel, shadda, the
alef forms, ى/ي, ة/ه, Persian letters, Eastern digits, invisible marks (RLM, ZWNJ), run-on words,
clitics, nisba plurals and the traps of light stemming. The expected tokens are in
tests/data/analyzer_golden.tsv (surface, normalized form, stems). After a deliberate change:

    ARSHIF_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_analysis_golden.py

then read `git diff tests/data/analyzer_golden.tsv`, bump search.document.DOCUMENT_VERSION (every
document is then re-analyzed at the next index run) and, when stems or normalized forms moved,
search.arabic.ANALYSIS_VERSION: the packaged tagger is then refused until it is retrained
(scripts/train_ner.py), instead of silently tagging with features it was not trained on.
"""

from __future__ import annotations

import os
from pathlib import Path

from search.arabic import tokenize

DATA = Path(__file__).parent / "data"
TEXT = DATA / "analyzer_text.txt"
GOLDEN = DATA / "analyzer_golden.tsv"


def current_rows() -> list[str]:
    text = TEXT.read_text("utf-8")
    return [f"{text[t.start : t.end]}\t{t.exact}\t{' '.join(t.stems)}" for t in tokenize(text)]


def test_the_analysis_chain_gives_the_golden_tokens():
    rows = current_rows()
    if os.environ.get("ARSHIF_UPDATE_GOLDEN"):
        GOLDEN.write_text("surface\texact\tstems\n" + "\n".join(rows) + "\n", "utf-8")
    expected = GOLDEN.read_text("utf-8").splitlines()[1:]
    changed = [
        f"line {i + 2}: {want!r} -> {got!r}"
        for i, (want, got) in enumerate(zip(expected, rows, strict=False))
        if want != got
    ]
    assert len(rows) == len(expected) and not changed, (
        f"{len(changed)} token(s) changed, {len(rows)} tokens now against {len(expected)}:\n" + "\n".join(changed[:40])
    )
