"""The finishing every format shares: clean strings, parse the date, bound the body.

Cleaning is deliberately light (line endings, control characters, BOM, outer whitespace, and
the few outlet templates in `furniture.py`): the stored text is what readers see and what
snippets are cut from. A body whose letters were lost upstream is rejected, and "?"s that stand
for lost invisible marks are dropped (`garbled.py`).
"""

from __future__ import annotations

import re

from search.ingest.dates import parse_date
from search.ingest.furniture import strip_furniture
from search.ingest.garbled import drop_lost_marks, garbled_reason
from search.model import Article, Reject

_CUT_WINDOW = 1000   # how far back from the bound to look for whitespace to cut at
_CONTROLS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]+")


def clean(text: str) -> str:
    """CRLF/CR to LF; NUL and BOM dropped; other control characters (which XML feeds cannot
    carry, e.g. the \\x1a\\x1a separators of Al-Yaum) to a space; outer whitespace stripped."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.replace("\n", "").replace("\t", "").isprintable():   # a cheap test, rarely true
        text = _CONTROLS.sub(" ", text.replace("\x00", "").replace("\ufeff", ""))
    return text.strip()


def make_article(*, body: str | None, origin: str, max_body_chars: int, id: str = "",
                 title: str | None = None, date: str | None = None, source: str | None = None,
                 url: str | None = None, category: str | None = None, lang: str | None = None,
                 notes: list[str] | None = None) -> Article | Reject:
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
    return Article(
        id=clean(id), body=body, title=_readable(title), date=iso, source=_optional(source),
        url=_optional(url), category=_optional(category), lang=_optional(lang) or "ar",
        origin=origin, truncated=truncated, notes=notes,
    )


def _optional(text: str | None) -> str | None:
    return (clean(text) or None) if text else None


def _readable(text: str | None) -> str | None:
    """`_optional` for text a reader sees (the title): also without lost-mark "?"s. Not for
    URLs, where "?" is the query's separator."""
    return (drop_lost_marks(clean(text)).strip() or None) if text else None


def _bounded(body: str, limit: int, notes: list[str]) -> tuple[str, bool]:
    """Cut an over-long body at the last whitespace within _CUT_WINDOW of `limit`."""
    if len(body) <= limit:
        return body, False
    head = body[:limit + 1]
    window_start = max(0, limit - _CUT_WINDOW)
    at = max(head.rfind(" ", window_start), head.rfind("\n", window_start))
    cut = (body[:at] if at > 0 else body[:limit]).rstrip()
    notes.append(f"body cut to {len(cut)} of {len(body)} characters")
    return cut, True
