"""`arshif ner`: CoNLL in, `token<TAB>predicted-tag` out, so anyone can score the tagger with conlleval.

Input: one token per line (an optional second column, e.g. the gold tag, is ignored), a blank line
between sentences; CRLF, trailing spaces and a missing final blank line are tolerated.
"""

from __future__ import annotations

from typing import Iterator, TextIO

from search.entities.tagger import Tagger


def read_sentences(stream: TextIO) -> Iterator[list[str]]:
    sentence: list[str] = []
    for line in stream:
        line = line.rstrip("\r\n").strip()
        if not line:
            if sentence:
                yield sentence
                sentence = []
            continue
        sentence.append(line.split("\t")[0].split(" ")[0])
    if sentence:
        yield sentence


def run(stdin: TextIO, stdout: TextIO, batch: int = 512) -> int:
    tagger = Tagger.load()
    pending: list[list[str]] = []

    def flush() -> None:
        for tokens, tags in zip(pending, tagger.tag_sentences(pending)):
            stdout.write("".join(f"{t}\t{g}\n" for t, g in zip(tokens, tags)) + "\n")
        pending.clear()

    for sentence in read_sentences(stdin):
        pending.append(sentence)
        if len(pending) >= batch:
            flush()
    flush()
    return 0
