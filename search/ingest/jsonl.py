"""JSON-lines archives in the corpus schema: id, title, body, date, source, url, category, lang.

Each line is decoded and parsed on its own, so one bad line (wrong encoding, broken JSON) is
rejected without spoiling the rest of the file. A file that is one JSON array instead (a
pretty-printed `.json` export) is read whole, one record per element.

An id on several records of one file: the last of them that is a valid article is kept, the
others are rejected, saying where the id comes again. Writing each in turn made a re-run of the
same file flip the article from one version to the other ("updated 2" every time). A first pass
over the file finds the repeated ids; records with one are held back until the next comes.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator

from search.ingest.encoding import SAMPLE_BYTES, decode, has_utf16_bom, looks_binary, utf16_without_bom
from search.ingest.files import GZIP_ERRORS, MAX_FILE_BYTES, Stream, gzip_problem, read_bounded
from search.ingest.records import article_id, make_article
from search.model import Article, Reject

_TEXT_FIELDS = ("title", "date", "source", "url", "category", "lang")
# strict=False tolerates raw tabs and newlines inside strings; one decoder, built once.
_DECODER = json.JSONDecoder(strict=False)
_SPACE = re.compile(r"\s*")
Lines = Stream | io.BytesIO  # a file read line by line: the file, or a JSON array file's bytes


class _LastWins:
    """Passes records on, holding back an article whose id comes again later in the file (at
    most one per repeated id) until the next record with that id shows which one is kept."""

    def __init__(self, last: dict[str, int]):
        self.last = last  # repeated id -> position of its last record
        self.held: dict[str, Article] = {}

    def __call__(self, key: str, record: Article | Reject, position: int, line: int) -> Iterator[Article | Reject]:
        last = self.last.get(key) if key else None
        if last is None:
            yield record
            return
        held = self.held.pop(key, None)
        if isinstance(record, Article):
            if held is not None:
                yield Reject(held.origin, f"id {_short(key)} is used again on line {line}: the later record is kept")
            held = record
        else:
            yield record
            if held is not None and position == last:
                held.notes.append(
                    f"id {_short(key)} is used again on line {line}, which was rejected: this record is kept"
                )
        if position == last:
            if held is not None:
                yield held
        elif held is not None:
            self.held[key] = held

    def rest(self) -> Iterator[Article]:
        """Articles still held when the file ended early (a truncated gzip)."""
        yield from self.held.values()
        self.held.clear()


def _short(key: str) -> str:
    return repr(key[:60] + ("…" if len(key) > 60 else ""))


def read_jsonl(stream: Stream, path: str, max_body_chars: int) -> Iterator[Article | Reject]:
    head = stream.peek(SAMPLE_BYTES)[:SAMPLE_BYTES]
    encoding = "utf-16" if has_utf16_bom(head) else utf16_without_bom(head)
    if encoding is None and looks_binary(head):
        yield Reject(path, "binary file")
        return
    if _starts_an_array(head, encoding):
        data, cut_short = read_bounded(stream)
        if data is None:
            yield Reject(
                path,
                f"file is larger than {MAX_FILE_BYTES} bytes (a JSON array is read whole: write JSON lines instead)",
            )
            return
        decoded = decode(data)
        if decoded is None:
            yield Reject(path, "binary file")
            return
        text = decoded.text.lstrip("\ufeff")
        elements, problem = _parse_array(text)
        if not (problem and _first_line_is_whole(text)):
            yield from _read_array(elements, problem, path, max_body_chars, decoded.note, cut_short)
            return
        lines: Lines = io.BytesIO(data)  # JSON lines whose first line is an array: read as lines
    else:
        lines = stream
    last_wins = _LastWins(_last_of_repeated_ids(lines, encoding))
    lines.seek(0)
    yield from _read_lines(lines, path, max_body_chars, encoding, last_wins)


def _read_lines(
    stream: Lines, path: str, max_body_chars: int, encoding: str | None, last_wins: _LastWins
) -> Iterator[Article | Reject]:
    lineno = records = 0
    try:
        for lineno, line in _lines(stream, encoding):
            origin = f"{path}:{lineno}"
            if line is None:
                yield Reject(origin, f"line {lineno} is longer than {MAX_FILE_BYTES} bytes")
                continue
            loaded = _load(line, lineno, origin)
            if loaded is None:
                continue
            records += 1
            if isinstance(loaded, Reject):
                yield loaded
                continue
            obj, notes = loaded
            record = _record(obj, origin, max_body_chars, notes, f"line {lineno}")
            yield from last_wins(_record_id(obj), record, lineno, lineno)
    except GZIP_ERRORS as error:
        yield from last_wins.rest()
        yield Reject(
            f"{path}:{lineno + 1}",
            f"{gzip_problem(error)} at line {lineno + 1}: the {records:,} "
            "records before it were read, the rest of the file is lost",
        )
        return
    if not records:
        yield Reject(path, "empty file")


def _lines(stream: Lines, encoding: str | None) -> Iterator[tuple[int, bytes | str | None]]:
    """(line number, line) for every line; None for a line longer than MAX_FILE_BYTES."""
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace") if encoding else None
    source: Lines | io.TextIOWrapper = text or stream
    lineno = 0
    try:
        line: bytes | str | None
        while line := source.readline(MAX_FILE_BYTES + 1):
            lineno += 1
            if len(line) > MAX_FILE_BYTES:
                _skip_rest_of_line(source, line)
                line = None
            yield lineno, line
    finally:
        if text is not None:
            text.detach()  # leave the file open for the next pass


def _skip_rest_of_line(stream: Lines | io.TextIOWrapper, line: bytes | str) -> None:
    while line and line[-1:] not in (b"\n", "\n"):
        line = stream.readline(MAX_FILE_BYTES)


def _last_of_repeated_ids(stream: Lines, encoding: str | None) -> dict[str, int]:
    """A first pass over the file: for each id on more than one line, the last of those lines."""
    ids: list[str] = []
    try:
        for lineno, line in _lines(stream, encoding):
            loaded = _load(line, lineno, "") if line is not None else None
            ids.append(_record_id(loaded[0]) if isinstance(loaded, tuple) else "")
    except GZIP_ERRORS:
        pass  # the reading pass reports it, at its line
    return _repeated(ids, start=1)


def _repeated(ids: list[str], start: int) -> dict[str, int]:
    """For each non-empty id that occurs more than once: the position of its last occurrence
    (positions counted from `start`)."""
    last: dict[str, int] = {}
    repeated: set[str] = set()
    for position, key in enumerate(ids, start):
        if key:
            if key in last:
                repeated.add(key)
            last[key] = position
    return {key: last[key] for key in repeated}


def _load(line: bytes | str, lineno: int, origin: str) -> tuple[object, list[str]] | Reject | None:
    """The JSON value on one line with the notes its decoding left; None for a blank line."""
    notes: list[str] = []
    if isinstance(line, bytes):
        raw = line
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            decoded = decode(raw)
            if decoded is None:
                return Reject(origin, f"binary data on line {lineno}")
            line = decoded.text
            if decoded.note:
                notes.append(decoded.note)
    line = line.strip().lstrip("\ufeff")
    if not line:
        return None
    try:
        return _DECODER.decode(line), notes
    except json.JSONDecodeError as e:
        return Reject(origin, f"invalid JSON on line {lineno}: {e.msg} at column {e.colno}")
    except (ValueError, RecursionError) as e:  # e.g. integers too long, nesting too deep
        return Reject(origin, f"invalid JSON on line {lineno}: {e}")


def _record(obj: object, origin: str, max_body_chars: int, notes: list[str], where: str) -> Article | Reject:
    if not isinstance(obj, dict):
        return Reject(origin, f"{where} is JSON but not an object ({type(obj).__name__})")
    return _article(obj, origin, max_body_chars, notes)


def _record_id(obj: object) -> str:
    """The id a record will be indexed under ("" when it has none of its own)."""
    if not isinstance(obj, dict):
        return ""
    raw = _id(obj.get("id"), [])
    return article_id(raw)[0] if raw else ""


# --- one JSON array ---------------------------------------------------------------------------


def _starts_an_array(head: bytes, encoding: str | None) -> bool:
    text = head.decode(encoding or "utf-8", errors="replace")
    return text.lstrip("\ufeff \t\r\n").startswith("[")


def _first_line_is_whole(text: str) -> bool:
    """True when the first line closes what it opens, as a line of JSON lines does (a pretty-
    printed array's first line is "[" or "[{")."""
    first, newline, rest = text.partition("\n")
    return bool(newline and rest.strip()) and first.rstrip().endswith("]")


def _parse_array(text: str) -> tuple[list[tuple[int, object]], tuple[int, str] | None]:
    """The elements of the JSON array `text` as (line where each starts, value), and where and
    why the text stops being one (None when it is one)."""
    elements: list[tuple[int, object]] = []
    try:
        for element in _array_elements(text):
            elements.append(element)
    except json.JSONDecodeError as e:
        return elements, (
            e.lineno,
            (
                f"invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}; "
                f"{len(elements):,} records before it were read, the rest of the file "
                "is skipped"
            ),
        )
    except RecursionError:
        return elements, (1, "invalid JSON: nested too deep")
    return elements, None


def _read_array(
    elements: list[tuple[int, object]],
    problem: tuple[int, str] | None,
    path: str,
    max_body_chars: int,
    note: str | None,
    cut_short: str | None,
) -> Iterator[Article | Reject]:
    keys = [_record_id(obj) for _, obj in elements]
    last_wins = _LastWins(_repeated(keys, start=0))
    for index, (line, obj) in enumerate(elements):
        record = _record(
            obj, f"{path}:{line}", max_body_chars, [note] if note else [], f"element {index + 1} (line {line})"
        )
        yield from last_wins(keys[index], record, index, line)
    if problem:
        yield Reject(f"{path}:{problem[0]}", f"{cut_short}: {problem[1]}" if cut_short else problem[1])
    elif not elements:
        yield Reject(path, "empty array")


def _array_elements(text: str) -> Iterator[tuple[int, object]]:
    """(line where it starts, value) for each element of the JSON array that is `text`; raises
    JSONDecodeError where the text stops being one."""
    pos = _past_space(text, 0) + 1  # past the "["
    line, counted = 1, 0
    pos = _past_space(text, pos)
    if text.startswith("]", pos):
        return _end_of_array(text, pos + 1)
    while True:
        line += text.count("\n", counted, pos)
        counted = pos
        value, pos = _DECODER.raw_decode(text, pos)
        yield line, value
        pos = _past_space(text, pos)
        if text.startswith(",", pos):
            pos = _past_space(text, pos + 1)
        elif text.startswith("]", pos):
            return _end_of_array(text, pos + 1)
        else:
            raise json.JSONDecodeError("expected ',' or ']' after an element", text, pos)


def _past_space(text: str, pos: int) -> int:
    """The position of the first non-space character from `pos` on."""
    match = _SPACE.match(text, pos)
    assert match is not None  # \s* matches anywhere
    return match.end()


def _end_of_array(text: str, pos: int) -> None:
    pos = _past_space(text, pos)
    if pos < len(text):
        raise json.JSONDecodeError("more data after the array", text, pos)


# --- fields ------------------------------------------------------------------------------------


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
    return make_article(
        body=body, id=_id(obj.get("id"), notes), origin=origin, max_body_chars=max_body_chars, notes=notes, **fields
    )


def _id(value: object, notes: list[str]) -> str:
    """The id as a string; "" when missing, so the indexer derives one from the content."""
    if value is None or isinstance(value, str):
        return value or ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    notes.append(f"id is not a string or number ({type(value).__name__}); ignored")
    return ""
