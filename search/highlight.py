"""Snippets and highlights cut from the original text (never from the normalized one).

A word is highlighted when its normalized form or one of its stems is among the query's forms,
so words matched through stemming (الفلسطينيين for فلسطين) light up too.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from search.arabic import tokenize

SNIPPET_WORDS = 40


def _matches(text: str, forms: frozenset[str]) -> list[tuple[int, int]]:
    if not forms:
        return []
    spans = []
    for token in tokenize(text):
        if token.exact in forms or any(stem in forms for stem in token.stems):
            spans.append((token.start, token.end))
    return spans


def _mark(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> Markup:
    end = len(text) if end is None else end
    out, cursor = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(escape(text[cursor:s]))
        out.append(Markup("<mark>") + escape(text[s:e]) + Markup("</mark>"))
        cursor = e
    out.append(escape(text[cursor:end]))
    return Markup("").join(out)


def highlight(text: str | None, forms: frozenset[str]) -> Markup:
    """The whole text, escaped, with matched words in <mark>."""
    if not text:
        return Markup("")
    return _mark(text, _matches(text, forms))


def snippet(text: str | None, forms: frozenset[str], words: int = SNIPPET_WORDS) -> Markup:
    """About `words` words of `text` around the densest cluster of matches, escaped and marked."""
    if not text:
        return Markup("")
    tokens = list(tokenize(text))
    if not tokens:
        return escape(text[:300])
    hits = [i for i, t in enumerate(tokens)
            if forms and (t.exact in forms or any(s in forms for s in t.stems))]
    first = 0
    if hits:
        # the window of `words` tokens holding the most distinct matched words
        best, best_score, j = hits[0], -1, 0
        for i, start in enumerate(hits):
            while j < len(hits) and hits[j] < start + words:
                j += 1
            score = len({tokens[h].exact for h in hits[i:j]})
            if score > best_score:
                best, best_score = start, score
        first = max(0, best - 4)
    last = min(len(tokens), first + words) - 1
    start, end = tokens[first].start, tokens[last].end
    spans = [(tokens[h].start, tokens[h].end) for h in hits if first <= h <= last]
    body = _mark(text, spans, start, end)
    prefix = Markup("… ") if start > 0 else Markup("")
    suffix = Markup(" …") if end < len(text.rstrip()) else Markup("")
    return prefix + body + suffix


def plain(markup: Markup) -> str:
    """Snippet text without tags, for CSV and feeds."""
    return markup.striptags()
