"""The finishing every format shares: clean strings, parse the date, bound the body.

Cleaning is deliberately light (line endings, control characters, BOM, outer whitespace, and
the few outlet templates in `furniture.py`): the stored text is what readers see and what
snippets are cut from. A body whose letters were lost upstream is rejected, and "?"s that stand
for lost invisible marks are dropped (`garbled.py`).
"""

from __future__ import annotations

import hashlib
import re

from search.ingest.dates import parse_date
from search.ingest.furniture import strip_furniture
from search.ingest.garbled import drop_lost_marks, garbled_reason
from search.model import Article, Reject
from search.xmlchars import NONCHARACTERS

_CUT_WINDOW = 1000  # how far back from the bound to look for whitespace to cut at
_CONTROLS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]+")
# An id is a term of the index and a part of the article's URL (/doc/<id>): past this length or
# with a control character it becomes a stable hash of itself (tantivy cannot find a term over
# 65,530 bytes, so a 70,000-character id was added again on every run).
MAX_ID_CHARS = 256
MAX_TITLE_CHARS = 1000
_ID_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """CRLF/CR to LF; NUL, BOM and the characters XML cannot carry (U+FFFE, U+FFFF, lone
    surrogates from JSON escapes) dropped; other control characters (which XML cannot carry
    either, e.g. the \\x1a\\x1a separators of Al-Yaum) to a space; outer whitespace stripped."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.replace("\n", "").replace("\t", "").isprintable():  # a cheap test, rarely true
        text = NONCHARACTERS.sub("", text.replace("\x00", "").replace("\ufeff", ""))
        text = _CONTROLS.sub(" ", text)
    return text.strip()


def article_id(raw: str) -> tuple[str, str | None]:
    """(the id an article is indexed under, a note when it is not `raw` itself). Ids that are
    too long or hold control characters are replaced by "id-" and a hash of the raw id: the same
    raw id always gives the same one, so a re-run still updates rather than duplicates."""
    raw = raw.replace("\ufeff", "").strip()
    problem = (
        f"{len(raw):,} characters (at most {MAX_ID_CHARS})"
        if len(raw) > MAX_ID_CHARS
        else "control characters"
        if _ID_CONTROLS.search(raw)
        else None
    )
    if problem is None:
        return raw, None
    digest = hashlib.sha1(raw.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    hashed = f"id-{digest}"
    shown = raw[:40] + ("…" if len(raw) > 40 else "")
    return hashed, f"id {shown!r} has {problem}: indexed as {hashed}"


def make_article(
    *,
    body: str | None,
    origin: str,
    max_body_chars: int,
    id: str = "",
    title: str | None = None,
    date: str | None = None,
    source: str | None = None,
    url: str | None = None,
    category: str | None = None,
    lang: str | None = None,
    notes: list[str] | None = None,
) -> Article | Reject:
    """An Article from raw string fields, or a Reject: "missing body", or garbled text (see
    `garbled.py`)."""
    # Lost marks go before judging the text: they are not lost letters.
    body = drop_lost_marks(strip_furniture(clean(body))).strip() if body else ""
    if not body:
        return Reject(origin, "missing body")
    garbled = garbled_reason(body)
    if garbled:
        return Reject(origin, garbled)
    notes = list(notes or ())
    date = _optional(date)
    iso = parse_date(date)
    if date and not iso:
        notes.append(f"unparsed date: {date[:80]}")
    body, truncated = _bounded(body, max_body_chars, notes)
    title = _readable(title)
    if title:
        title, _ = _bounded(title, MAX_TITLE_CHARS, notes, "title")
    id, id_note = article_id(id)
    if id_note:
        notes.append(id_note)
    return Article(
        id=id,
        body=body,
        title=title,
        date=iso,
        source=_optional(source),
        url=_optional(url),
        category=_optional(category),
        lang=_optional(lang) or "ar",
        origin=origin,
        truncated=truncated,
        notes=notes,
    )


def _optional(text: str | None) -> str | None:
    return (clean(text) or None) if text else None


def _readable(text: str | None) -> str | None:
    """`_optional` for text a reader sees (the title): also without lost-mark "?"s. Not for
    URLs, where "?" is the query's separator."""
    return (drop_lost_marks(clean(text)).strip() or None) if text else None


def _bounded(text: str, limit: int, notes: list[str], field: str = "body") -> tuple[str, bool]:
    """Cut an over-long body (or title) at the last whitespace within _CUT_WINDOW of `limit`."""
    if len(text) <= limit:
        return text, False
    head = text[: limit + 1]
    window_start = max(0, limit - _CUT_WINDOW)
    at = max(head.rfind(" ", window_start), head.rfind("\n", window_start))
    cut = (text[:at] if at > 0 else text[:limit]).rstrip()
    notes.append(f"{field} cut to {len(cut)} of {len(text)} characters")
    return cut, True
