"""Read news archives (JSONL, text, HTML; plain or gzipped; files or folders) into Articles.

Bad input never stops a run: every record that cannot become an Article comes out as a
Reject saying where it was and why, so the indexer can report it and carry on.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable, Iterator

from search.ingest.dates import parse_date
from search.ingest.files import (
    MAX_FILE_BYTES,
    Source,
    check_exist,
    count_lines,
    iter_sources,
    open_binary,
    read_bounded,
)
from search.ingest.html_files import read_html
from search.ingest.jsonl import read_jsonl
from search.ingest.text_files import read_text
from search.model import Article, Reject

__all__ = ["iter_records", "estimate_total", "parse_date"]

Paths = str | os.PathLike | Iterable[str | os.PathLike]


def iter_records(paths: Paths, max_body_chars: int = 100_000) -> Iterator[Article | Reject]:
    """Articles and Rejects from every path, in input order (folder contents sorted).

    Raises FileNotFoundError at once, before anything is read, when a path does not exist.
    """
    paths = _as_list(paths)
    check_exist(paths)
    if max_body_chars < 1:
        raise ValueError(f"max_body_chars must be positive, got {max_body_chars}")
    return _records(paths, max_body_chars)


def estimate_total(paths: Paths) -> int | None:
    """Roughly how many records `iter_records` will yield, for a progress bar; None if unknown.

    Counts lines of JSON-lines files (decompressing, but not parsing) and one per other file.
    """
    paths = _as_list(paths)
    try:
        check_exist(paths)
    except FileNotFoundError:
        return None
    total = 0
    for source in iter_sources(paths):
        if isinstance(source, Source):
            total += _count(source)
    return total


def _as_list(paths: Paths) -> list[str]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return [os.fspath(p) for p in paths]


def _records(paths: list[str], max_body_chars: int) -> Iterator[Article | Reject]:
    for source in iter_sources(paths):
        if isinstance(source, Reject):
            yield source
        else:
            yield from _read(source, max_body_chars)


def _read(source: Source, max_body_chars: int) -> Iterator[Article | Reject]:
    """The records of one file. Any failure becomes a Reject: one broken file in a folder of
    thousands must not stop the run."""
    try:
        with open_binary(source.path) as stream:
            if source.kind == "jsonl":
                yield from read_jsonl(stream, source.path, max_body_chars)
                return
            data, cut_short = read_bounded(stream)
        if data is None:
            yield Reject(source.path, f"file is larger than {MAX_FILE_BYTES} bytes")
        elif not data:
            yield Reject(source.path, f"cannot read file: {cut_short}" if cut_short else "empty file")
        else:
            reader = read_html if source.kind == "html" else read_text
            record = reader(data, source.path, max_body_chars)
            if cut_short and isinstance(record, Article):
                record.notes.append(f"{cut_short}: only the text before the cut was indexed")
            elif cut_short and isinstance(record, Reject):
                record = Reject(record.origin, f"{record.reason} ({cut_short})")
            yield record
    except (OSError, EOFError, zlib.error) as e:
        yield Reject(source.path, f"cannot read file: {e}")
    except Exception as e:  # noqa: BLE001 - a parser bug on one file must not end the run
        yield Reject(source.path, f"unexpected error: {type(e).__name__}: {e}")


def _count(source: Source) -> int:
    if source.kind != "jsonl":
        return 1
    try:
        return count_lines(source.path)
    except (OSError, EOFError, zlib.error):
        return 0
