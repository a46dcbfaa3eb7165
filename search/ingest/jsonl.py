"""JSON-lines archives in the corpus schema: id, title, body, date, source, url, category, lang.

Each line is decoded and parsed on its own, so one bad line (wrong encoding, broken JSON) is
rejected without spoiling the rest of the file.
"""

from __future__ import annotations

import io
import json
from typing import BinaryIO, Iterator

from search.ingest.encoding import SAMPLE_BYTES, decode, has_utf16_bom, looks_binary
from search.ingest.files import MAX_FILE_BYTES
from search.ingest.records import make_article
from search.model import Article, Reject

_TEXT_FIELDS = ("title", "date", "source", "url", "category", "lang")
# strict=False tolerates raw tabs and newlines inside strings; one decoder, built once.
_DECODER = json.JSONDecoder(strict=False)


def read_jsonl(stream: BinaryIO, path: str, max_body_chars: int) -> Iterator[Article | Reject]:
    head = stream.peek(SAMPLE_BYTES)[:SAMPLE_BYTES]
    if has_utf16_bom(head):
        stream = io.TextIOWrapper(stream, encoding="utf-16", errors="replace")
    elif looks_binary(head):
        yield Reject(path, "binary file")
        return
    lineno, records = 0, 0
    while line := stream.readline(MAX_FILE_BYTES + 1):
        lineno += 1
        origin = f"{path}:{lineno}"
        if len(line) > MAX_FILE_BYTES:
            _skip_rest_of_line(stream, line)
            yield Reject(origin, f"line {lineno} is longer than {MAX_FILE_BYTES} bytes")
            continue
        record = _parse_line(line, lineno, origin, max_body_chars)
        if record is not None:
            records += 1
            yield record
    if not records:
        yield Reject(path, "empty file")


def _skip_rest_of_line(stream: BinaryIO, line: bytes | str) -> None:
    while line and line[-1:] not in (b"\n", "\n"):
        line = stream.readline(MAX_FILE_BYTES)


def _parse_line(line: bytes | str, lineno: int, origin: str,
                max_body_chars: int) -> Article | Reject | None:
    """The record on one line; None for a blank line."""
    notes: list[str] = []
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError:
            decoded = decode(line)
            if decoded is None:
                return Reject(origin, f"binary data on line {lineno}")
            line = decoded.text
            if decoded.note:
                notes.append(decoded.note)
    line = line.strip().lstrip("\ufeff")
    if not line:
        return None
    try:
        obj = _DECODER.decode(line)
    except json.JSONDecodeError as e:
        return Reject(origin, f"invalid JSON on line {lineno}: {e.msg} at column {e.colno}")
    except (ValueError, RecursionError) as e:   # e.g. integers too long, nesting too deep
        return Reject(origin, f"invalid JSON on line {lineno}: {e}")
    if not isinstance(obj, dict):
        return Reject(origin, f"line {lineno} is JSON but not an object ({type(obj).__name__})")
    return _article(obj, origin, max_body_chars, notes)


def _article(obj: dict, origin: str, max_body_chars: int, notes: list[str]) -> Article | Reject:
    body = obj.get("body")
    if body is not None and not isinstance(body, str):
        return Reject(origin, f"body is not a string ({type(body).__name__})")
    fields = {}
    for key in _TEXT_FIELDS:
        value = obj.get(key)
        if value is None or isinstance(value, str):
            fields[key] = value
        else:
            notes.append(f"{key} is not a string ({type(value).__name__}); ignored")
    return make_article(body=body, id=_id(obj.get("id"), notes), origin=origin,
                        max_body_chars=max_body_chars, notes=notes, **fields)


def _id(value: object, notes: list[str]) -> str:
    """The id as a string; "" when missing, so the indexer derives one from the content."""
    if value is None or isinstance(value, str):
        return value or ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    notes.append(f"id is not a string or number ({type(value).__name__}); ignored")
    return ""
