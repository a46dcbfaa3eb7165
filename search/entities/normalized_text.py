"""A text as normalized tokens, with each token's offsets in the original found on demand.

Gazetteer matchers (countries, known aliases) look tokens up by their normalized form and need
original offsets only for the few tokens that match. `search.arabic.normalize` is context-free, so
once the characters it deletes (harakat, tatweel, invisible marks) are cut, it maps one character
to one character: the text is cut (remembering where), folded in one pass and split into words,
which is much faster than normalizing token by token.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from search.arabic import normalize, normalize_token, tokenize

# Gap allowed between the tokens of a multi-word name: spaces or a hyphen, never punctuation.
GAP_OK = re.compile(r"[\s\-\u2010-\u2015]*")
# Arabic presentation forms go through NFKC in `normalize`, which may change lengths.
_PRESENTATION = "\ufb50-\ufdff\ufe70-\ufeff"
# Words, as `search.arabic.tokenize` cuts them once marks are gone (digits may hold . or ').
_WORD = re.compile(r"[^\W_](?:[^\W_]|['’.](?=\d))*")


@dataclass(frozen=True, slots=True)
class Folding:
    """`search.arabic.normalize`, taken apart character by character (it is context-free):
    the characters it deletes, the ones it maps to one other character, and the ones it maps to
    several (or that NFKC touches). Derived from `normalize` itself, so it cannot drift."""

    deleted: frozenset[str]
    marks: frozenset[str]  # the deleted characters that belong to a word (harakat, tatweel)
    deleted_run: re.Pattern
    folds: tuple[tuple[str, str], ...]
    unsafe: re.Pattern

    @staticmethod
    def derive() -> Folding:
        deleted, folds, unsafe = [], [], []
        for cp in range(0x80, 0x10000):
            if 0xD800 <= cp <= 0xDFFF:
                continue
            c = chr(cp)
            n = normalize(c)
            if n == c.lower():
                continue
            if n == "":
                deleted.append(c)
            elif len(n) == 1 and not ("\ufb50" <= c <= "\ufdff" or "\ufe70" <= c <= "\ufeff"):
                folds.append((c, n))
            else:
                unsafe.append(c)
        unsafe.append("\u0130")  # "İ".lower() is two characters
        marks = frozenset(c for c in deleted if unicodedata.category(c) == "Mn" or c == "\u0640")
        return Folding(
            frozenset(deleted),
            marks,
            re.compile("[" + re.escape("".join(deleted)) + "]+"),
            tuple(folds),
            re.compile("[" + re.escape("".join(unsafe)) + _PRESENTATION + "]"),
        )

    def fold(self, text: str) -> str:
        """`normalize(text)` for a text without deleted or unsafe characters (same length)."""
        for c, n in self.folds:
            if c in text:
                text = text.replace(c, n)
        return text.lower()


@lru_cache(maxsize=1)
def folding() -> Folding:
    return Folding.derive()


def is_token_at(ntext: str, p: int, e: int) -> bool:
    """Is ntext[p:e] a whole token (as `_WORD` cuts them)?"""
    if p > 0:
        c = ntext[p - 1]
        if c.isalnum() or (c in ".'’" and p >= 2 and ntext[p - 2].isalnum() and ntext[p].isdigit()):
            return False
    match = _WORD.match(ntext, p)
    return match is not None and match.end() == e


class NormalizedText:
    """A text, its normalized tokens, and where each token is in the original.

    Once the characters `normalize` deletes (harakat, tatweel, invisible marks) are cut,
    normalization maps one character to one character; so the text is cut (remembering where),
    folded in one pass and split into words. Token offsets are found lazily and only for tokens
    that take part in a match (`span`), which is what makes this fast. Texts with presentation
    forms fall back to `search.arabic.tokenize`.
    """

    __slots__ = ("text", "ntext", "toks", "_kept_before", "_shift", "_spans", "_last", "_cursor")

    def __init__(self, text: str):
        self.text = text
        self._kept_before: list[int] = []
        self._shift: list[int] = []
        self._spans: dict[int, tuple[int, int]] = {}
        self._last = -1  # highest token index located so far
        self._cursor = 0  # end of that token in ntext
        fd = folding()
        if not fd.unsafe.search(text):
            pieces, last, deleted = [], 0, 0
            for m in fd.deleted_run.finditer(text):
                pieces.append(text[last : m.start()])
                self._kept_before.append(m.start() - deleted)
                deleted += m.end() - m.start()
                self._shift.append(deleted)
                last = m.end()
            cut = "".join(pieces) + text[last:] if pieces else text
            self.ntext = fd.fold(cut)
            self.toks: list[str] = _WORD.findall(self.ntext)
            return
        tokens = list(tokenize(text))
        self._kept_before, self._shift = [], []
        self.ntext = text
        self.toks = [t.exact for t in tokens]
        self._spans = {k: (t.start, t.end) for k, t in enumerate(tokens)}
        self._last = len(tokens)

    def span(self, i: int) -> tuple[int, int]:
        """(start, end) of token `i` in `ntext`. Tokens are located left to right from the last
        located one, skipping as many whole-word occurrences of the same word as there are
        tokens equal to it in between."""
        sp = self._spans.get(i)
        if sp is not None:
            return sp
        toks, ntext = self.toks, self.ntext
        if i > self._last:
            word, pos, base = toks[i], self._cursor, self._last
        else:  # behind the cursor: restart from the nearest located token before it
            base = max((k for k in self._spans if k < i), default=-1)
            word, pos = toks[i], self._spans[base][1] if base >= 0 else 0
        skip = toks[base + 1 : i].count(word)
        size = len(word)
        while True:
            p = ntext.find(word, pos)
            e = p + size
            if is_token_at(ntext, p, e):
                if not skip:
                    break
                skip -= 1
            pos = p + 1
        self._spans[i] = (p, e)
        if i > self._last:
            self._last, self._cursor = i, e
        return p, e

    def orig(self, k: int) -> int:
        """Original offset of the character at position `k` of the cut text."""
        r = bisect_right(self._kept_before, k)
        return k + self._shift[r - 1] if r else k

    def orig_end(self, k_end: int) -> int:
        """Original end offset for a span ending at `k_end` (trailing marks included)."""
        if not self._shift:
            return k_end
        end = self.orig(k_end - 1) + 1
        text, marks = self.text, folding().marks
        while end < len(text) and text[end] in marks:
            end += 1
        return end

    def joined(self, i: int, j: int) -> bool:
        """Are tokens i … j-1 separated by spaces or hyphens only (one multi-word name)?"""
        return all(GAP_OK.fullmatch(self.ntext, self.span(k)[1], self.span(k + 1)[0]) for k in range(i, j - 1))

    def original_span(self, i: int, j: int, cut: int = 0) -> tuple[int, int]:
        """(start, end) in the original text of tokens i … j-1, without the first `cut`
        normalized characters of token i (a proclitic outside the name: وبريطانيا → بريطانيا)."""
        s0, e0 = self.span(i)
        tok_start, tok_end = self.orig(s0), self.orig_end(e0)
        start = tok_start + skip_chars(self.text[tok_start:tok_end], cut)
        return start, tok_end if j == i + 1 else self.orig_end(self.span(j - 1)[1])


# Proclitics that may stand before a name (و ف ب ل ك and their pairs), for the matchers.
PROCLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك")


def skip_chars(original: str, n: int) -> int:
    """Offset in `original` (one token) after its first `n` normalized characters."""
    if n <= 0:
        return 0
    i = 0
    seen = 0
    while i < len(original) and seen < n:
        if normalize_token(original[i]):
            seen += 1
        i += 1
    while i < len(original) and not normalize_token(original[i]):
        i += 1  # harakat on the clitic belong to it
    return i
