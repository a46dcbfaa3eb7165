"""Which files an archive path stands for, what format each is, and how to open it.

Compression is recognised by the gzip magic bytes rather than the name, so `x.jsonl.gz`,
`x.gz` and a gzipped file without the suffix all read the same way.
"""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from search.model import Reject

KINDS = {".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl", ".txt": "text", ".html": "html", ".htm": "html"}
MAX_FILE_BYTES = 256 * 2**20  # bound for whole-file formats and for one JSON line
_GZIP_MAGIC = b"\x1f\x8b"
# what open_binary gives: a buffered file or its gzip stream, both with peek() and read1()
Stream = io.BufferedReader | gzip.GzipFile
GZIP_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile)
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Source:
    path: str
    kind: str  # "jsonl", "text" or "html"


def kind_of(path: str) -> str | None:
    """The format named by the file's extension, looking through a `.gz` suffix."""
    name = os.path.basename(path).lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return KINDS.get(os.path.splitext(name)[1])


def check_exist(paths: Iterable[str]) -> None:
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        raise FileNotFoundError(f"no such file or folder: {', '.join(map(repr, missing))}")


def iter_sources(paths: Iterable[str]) -> Iterator[Source | Reject]:
    """Files in input order; folders walked recursively in sorted order.

    Inside a folder, hidden entries and unknown extensions are skipped; a file named
    explicitly is always read (as text when its extension is unknown).
    """
    for path in paths:
        if os.path.isdir(path):
            yield from _walk(path, set())
        else:
            yield Source(path, kind_of(path) or "text")


def _walk(folder: str, seen: set[str]) -> Iterator[Source | Reject]:
    real = os.path.realpath(folder)
    if real in seen:  # a symlink loop
        return
    seen.add(real)
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:
        yield Reject(folder, f"cannot list folder: {e.strerror or e}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = os.path.join(folder, entry.name)
        if entry.is_dir():
            yield from _walk(path, seen)
        elif kind := kind_of(entry.name):
            yield Source(path, kind)


@contextmanager
def open_binary(path: str) -> Iterator[Stream]:
    """A buffered binary stream of the file's content, decompressed when it is gzip."""
    with open(path, "rb") as raw:
        if raw.peek(2)[:2] == _GZIP_MAGIC:
            with gzip.GzipFile(fileobj=raw) as unzipped:
                yield unzipped
        else:
            yield raw


def read_bounded(stream: Stream, limit: int = MAX_FILE_BYTES) -> tuple[bytes | None, str | None]:
    """(the whole stream, or None when it is longer than `limit` (guards against gzip bombs);
    what cut it short, when a gzip file is truncated or corrupt: the data before is kept)."""
    chunks, size = [], 0
    try:
        while chunk := stream.read1(_CHUNK):  # read1: a failing read loses no data before it
            size += len(chunk)
            if size > limit:
                return None, None
            chunks.append(chunk)
    except GZIP_ERRORS as error:
        return _without_split_character(b"".join(chunks)), gzip_problem(error)
    return b"".join(chunks), None


def _without_split_character(data: bytes) -> bytes:
    """`data` cut short, without the first bytes of a UTF-8 character whose rest was lost."""
    start = len(data) - 1
    while start >= 0 and len(data) - start < 4 and data[start] & 0xC0 == 0x80:
        start -= 1
    if start >= 0 and data[start] >= 0xC0:
        needed = 2 if data[start] < 0xE0 else 3 if data[start] < 0xF0 else 4
        if len(data) - start < needed:
            return data[:start]
    return data


def gzip_problem(error: BaseException) -> str:
    """What a decompression error means to someone reading the report."""
    if isinstance(error, EOFError):
        return "the gzip file is truncated"
    return f"the gzip data is corrupt ({error})"


def count_lines(path: str) -> int:
    """Newlines in the (decompressed) file, plus one for a last line without one."""
    count, last = 0, b"\n"
    with open_binary(path) as stream:
        while chunk := stream.read(_CHUNK):
            count += chunk.count(b"\n")
            last = chunk
    return count + (not last.endswith(b"\n"))
