"""`arshif ner`: tag CoNLL-style text with the packaged named-entity tagger.

Input (stdin): one token per line, a blank line between sentences; anything after the first
whitespace-separated column (e.g. a gold tag) is ignored. CRLF line ends, trailing whitespace,
a byte-order mark and a missing final blank line are tolerated.
Output (stdout): ``token<TAB>predicted-BIO-tag`` per line, a blank line after each sentence,
so that the output can be pasted next to the gold column and scored with conlleval.

Consecutive sentences are read as parts of one document, as news text comes: a name the model
found in one sentence is also tagged where it recurs in the next ones (`Tagger.tag_documents`).
A document ends at a ``-DOCSTART-`` line (the CoNLL convention; echoed with tag O) and after
at most `DOC_SENTENCES` sentences; ``--sentences`` tags every sentence on its own instead.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

_BATCH = 2000  # sentences tagged together
DOC_SENTENCES = 20  # longest run of sentences read as one document (measured best: 20-40)
DOCSTART = "-DOCSTART-"


def read_sentences(stream: IO[str]) -> Iterator[list[str]]:
    sentence: list[str] = []
    first = True
    for line in stream:
        if first:
            line = line.lstrip("\ufeff")
            first = False
        fields = line.split()
        if not fields:
            if sentence:
                yield sentence
                sentence = []
            continue
        sentence.append(fields[0])
    if sentence:
        yield sentence


def read_conll(path: Path) -> list[tuple[list[str], list[str]]]:
    """(tokens, gold tags) of each sentence of a labelled CoNLL file (token<TAB>tag per line,
    a blank line between sentences; a missing tag reads as O). For training and scoring."""
    sents: list[tuple[list[str], list[str]]] = []
    toks: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\r\n")
            if not line.strip():
                if toks:
                    sents.append((toks, tags))
                    toks, tags = [], []
                continue
            tok, _, tag = line.partition("\t")
            toks.append(tok.strip())
            tags.append(tag.strip() or "O")
    if toks:
        sents.append((toks, tags))
    return sents


def run(
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    model: str | None = None,
    documents: bool = True,
    doc_sentences: int = DOC_SENTENCES,
) -> int:
    """Read CoNLL from `stdin`, write ``token<TAB>tag`` lines to `stdout`; returns an exit code.
    `documents`: tag runs of up to `doc_sentences` sentences together (see the module doc)."""
    from .tagger import Tagger

    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    try:
        tagger = Tagger.load(model)
    except (OSError, ValueError, KeyError) as exc:
        print(f"arshif ner: cannot load the tagger model: {exc}", file=sys.stderr)
        return 1
    size = max(1, doc_sentences) if documents else 1
    docs: list[list[list[str]]] = [[]]  # the last one is still being filled
    pending = 0

    def flush() -> None:
        nonlocal pending
        sentences = [s for doc in docs for s in doc]
        tagged = (
            [t for doc in tagger.tag_documents(docs) for t in doc] if documents else tagger.tag_sentences(sentences)
        )  # one batch either way
        for tokens, tags in zip(sentences, tagged, strict=True):
            if tokens == [DOCSTART]:
                tags = ["O"]
            stdout.write("".join(f"{tok}\t{tag}\n" for tok, tag in zip(tokens, tags, strict=True)))
            stdout.write("\n")
        docs[:] = [[]]
        pending = 0

    for sentence in read_sentences(stdin):
        if sentence == [DOCSTART] or len(docs[-1]) >= size:
            if pending >= _BATCH:
                flush()  # whole documents only
            elif docs[-1]:
                docs.append([])
        docs[-1].append(sentence)
        pending += 1
        if sentence == [DOCSTART]:
            docs.append([])
    flush()
    stdout.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    return run(sys.stdin, sys.stdout)


if __name__ == "__main__":
    sys.exit(main())
