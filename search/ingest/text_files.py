"""Plain-text archives: one article per file, the first line its title when it looks like one."""

from __future__ import annotations

from search.ingest.encoding import decode
from search.ingest.records import clean, make_article
from search.model import Article, Reject

TITLE_MAX_CHARS = 120
TITLE_MAX_WORDS = 20


def read_text(data: bytes, path: str, max_body_chars: int) -> Article | Reject:
    decoded = decode(data)
    if decoded is None:
        return Reject(path, "binary file")
    text = clean(decoded.text)
    if not text:
        return Reject(path, "empty file")
    title, body = split_title(text)
    return make_article(
        body=body,
        title=title,
        origin=path,
        max_body_chars=max_body_chars,
        notes=[decoded.note] if decoded.note else None,
    )


def split_title(text: str) -> tuple[str | None, str]:
    """(title, body): the first line is a title when a blank line follows it, or when it is
    short and more text follows; otherwise there is no title and all the text is the body."""
    first, _, rest = text.partition("\n")
    if not rest.strip():
        return None, text
    blank_follows = not rest.partition("\n")[0].strip()
    short = len(first) <= TITLE_MAX_CHARS and len(first.split()) <= TITLE_MAX_WORDS
    if blank_follows or short:
        return first.strip(), rest.strip()
    return None, text
