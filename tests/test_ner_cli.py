"""`arshif ner`: CoNLL in, token<TAB>tag out, one line per token, sentences kept apart."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

CONLL = "قال\tO\r\nالرئيس\tO\nمحمود\tB-PERS\nعباس  \tI-PERS\nإن\tO\n\n\nالأمم\nالمتحدة\nتدين\nالهجوم"


def test_ner_command_tags_every_token_and_keeps_sentences():
    run = subprocess.run(
        [sys.executable, "-m", "search", "ner"], input=CONLL, capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert run.returncode == 0, run.stderr
    sentences = [block.splitlines() for block in run.stdout.strip("\n").split("\n\n")]
    assert [len(s) for s in sentences] == [5, 4]
    rows = [line.split("\t") for s in sentences for line in s]
    assert [r[0] for r in rows[:5]] == ["قال", "الرئيس", "محمود", "عباس", "إن"]
    assert all(len(r) == 2 and (r[1] == "O" or r[1][:2] in ("B-", "I-")) for r in rows)
    assert rows[2][1] == "B-PERS" and rows[3][1] == "I-PERS"  # a name after a title
    assert rows[5][1] == "B-ORG" and rows[6][1] == "I-ORG"  # the United Nations


@pytest.mark.slow
def test_ner_command_documents_and_sentences():
    """By default a name found in one sentence is tagged where it recurs in the next; with
    --sentences each sentence is tagged alone; a -DOCSTART- line is echoed and ends a document."""
    text = (
        "وصل\nرئيس\nالوزراء\nالياباني\nشينزو\nآبي\nإلى\nواشنطن\n.\n\n"
        "-DOCSTART-\tO\n\nوسيبحث\nآبي\nالتجارة\n.\n\nوسيبحث\nآبي\nالتجارة\n.\n"
    )
    without = text.replace("-DOCSTART-\tO\n\n", "")

    def tags(stdin: str, *options: str) -> list[list[str]]:
        run = subprocess.run(
            [sys.executable, "-m", "search", "ner", *options],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        return [[line.split("\t")[1] for line in block.splitlines()] for block in run.stdout.strip("\n").split("\n\n")]

    assert tags(without)[1][1] == "B-PERS" and tags(without)[2][1] == "B-PERS"
    assert tags(without, "--sentences")[1][1] == "O"
    split = tags(text)
    assert split[1] == ["O"] and split[2][1] == "O" and split[3][1] == "O"
