"""Snippets and highlights cut from the original text (never from the normalized one).

A word is highlighted when its normalized form or one of its stems is among the query's forms,
so words matched through stemming (الفلسطينيين for فلسطين) light up too.

Speed matters (20 snippets per results page): instead of analyzing every word, the distinct
words of the text are collected at C speed, only those are analyzed (cached), and the few that
match are located with `str.find`.
"""

from __future__ import annotations

from html import escape as escape_text

from markupsafe import Markup

from search.arabic import is_word_char, surface_forms, surfaces

SNIPPET_CHARS = 260
SNIPPET_SCAN_CHARS = 3000


_MEMO_LIMIT = 50_000


class _QueryMemo:
    """Per query: the words already tested, and those that matched. A results page repeats most
    words across its hits, so a text's new words are found by one set difference (C speed)."""

    __slots__ = ("seen", "hits")

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.hits: set[str] = set()


_memo: dict[frozenset[str], _QueryMemo] = {}


def _matcher(forms: frozenset[str]) -> _QueryMemo:
    memo = _memo.get(forms)
    if memo is None:
        if len(_memo) > 64:
            _memo.clear()
        memo = _memo[forms] = _QueryMemo()
    return memo


def match_spans(text: str, forms: frozenset[str]) -> list[tuple[int, int]]:
    """Sorted (start, end) of every whole word of `text` that matches one of `forms`."""
    if not forms or not text:
        return []
    memo = _matcher(forms)
    words = surfaces(text)
    new = words - memo.seen
    if new:
        memo.hits.update(w for w in new if any(form in forms for form in surface_forms(w)))
        if len(memo.seen) < _MEMO_LIMIT:
            memo.seen |= new
    spans = []
    for word in words & memo.hits:
        at = text.find(word)
        while at != -1:
            end = at + len(word)
            if (at == 0 or not is_word_char(text[at - 1])) and (end == len(text) or not is_word_char(text[end])):
                spans.append((at, end))
            at = text.find(word, end)
    spans.sort()
    return spans


def _mark(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> Markup:
    """text[start:end], escaped, with the spans inside it in <mark> (built as one string: a
    results page marks some two hundred words)."""
    end = len(text) if end is None else end
    out: list[str] = []
    cursor = start
    for s, e in spans:
        if s < start or e > end:
            continue
        out += (escape_text(text[cursor:s]), "<mark>", escape_text(text[s:e]), "</mark>")
        cursor = e
    out.append(escape_text(text[cursor:end]))
    return Markup("".join(out))


def highlight(text: str | None, forms: frozenset[str]) -> Markup:
    """The whole text, escaped, with matched words in <mark>."""
    if not text:
        return Markup("")
    return _mark(text, match_spans(text, forms))


def highlight_with_links(text: str | None, forms: frozenset[str], links: list[tuple[int, int, str, str]]) -> Markup:
    """Like `highlight`, with some spans (start, end, href, css class) turned into links, e.g.
    entity mentions linking to the search filtered by that entity. Overlapping links are dropped."""
    if not text:
        return Markup("")
    spans = match_spans(text, forms)
    out, cursor = [], 0
    for start, end, href, css in sorted(links):
        if start < cursor or end > len(text) or start >= end:
            continue
        out.append(_mark(text, spans, cursor, start))
        out.append(Markup('<a class="%s" href="%s">') % (css, href))
        out.append(_mark(text, spans, start, end))
        out.append(Markup("</a>"))
        cursor = end
    out.append(_mark(text, spans, cursor, len(text)))
    return Markup("").join(out)


def _snap_start(text: str, at: int) -> int:
    """Move back to the start of the word containing `at`."""
    while at > 0 and not text[at - 1].isspace():
        at -= 1
    return at


def _snap_end(text: str, at: int) -> int:
    while at < len(text) and not text[at].isspace():
        at += 1
    return at


def snippet(text: str | None, forms: frozenset[str], chars: int = SNIPPET_CHARS) -> Markup:
    """About `chars` characters of `text` around the densest cluster of matches, escaped and marked.
    The lead of a long article is searched first; the rest only when the lead has no match."""
    if not text:
        return Markup("")
    lead = _snap_end(text, min(len(text), SNIPPET_SCAN_CHARS))
    spans = match_spans(text[:lead], forms) or (match_spans(text, forms) if lead < len(text) else [])
    start = 0
    if spans:
        # the window holding the most distinct matched words
        best, best_score, j = spans[0][0], -1, 0
        for i, (s, _) in enumerate(spans):
            while j < len(spans) and spans[j][1] <= s + chars - 40:
                j += 1
            score = len({text[a:b] for a, b in spans[i:j]})
            if score > best_score:
                best, best_score = s, score
        start = _snap_start(text, max(0, best - 40))
    end = _snap_end(text, min(len(text), start + chars))
    body = _mark(text, spans, start, end)
    prefix = Markup("… ") if start > 0 else Markup("")
    suffix = Markup(" …") if end < len(text.rstrip()) else Markup("")
    return prefix + body.strip() + suffix


def plain(markup: Markup) -> str:
    """Snippet text without tags, for CSV and feeds."""
    return markup.striptags()
