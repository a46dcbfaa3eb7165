"""Arabic analysis, used identically at index time and at query time (see DESIGN.md).

`tokenize` finds word spans in the *original* text (so highlights are cut from it);
`analyze` turns text into the exact and stemmed token streams the engines store.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .normalize import normalize, normalize_token
from .stemmer import stem, stem_variants
from .stopwords import STOPWORDS, is_stopword

__all__ = [
    "ANALYSIS_VERSION",
    "Token",
    "Analysis",
    "tokenize",
    "analyze",
    "analyze_query_word",
    "lead_end",
    "normalize",
    "normalize_token",
    "stem",
    "stem_variants",
    "is_stopword",
    "STOPWORDS",
    "surface_forms",
    "surfaces",
    "is_word_char",
]

# A word: letters, digits and combining marks, with tatweel and invisible joiners allowed inside
# (they are deleted by normalization). Everything else (punctuation, symbols, spaces) separates.
_WORD = re.compile(
    r"(?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640])"
    r"(?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d\u200e\u200f\u061c]|['’.](?=\d))*"
)

# The version of what `normalize_token` and `stem_variants` return. The entity tagger's features
# are built from them, so a trained model records the version it was trained with and refuses to
# load under another (search.entities.model_version). Bump it when the golden tokens move
# (tests/test_analysis_golden.py), then retrain the tagger.
ANALYSIS_VERSION = 1

MAX_TOKEN_CHARS = 40  # longer "words" are URLs or junk; they are cut, not indexed whole


@dataclass(frozen=True, slots=True)
class Token:
    start: int  # offset in the original text
    end: int
    exact: str  # normalized surface form
    stems: tuple[str, ...]  # stem variants (empty for stopwords)


def tokenize(text: str) -> Iterator[Token]:
    """Yield the tokens of `text` with their offsets in the original string."""
    for match in _WORD.finditer(text):
        exact = normalize_token(match.group()[:MAX_TOKEN_CHARS])
        if not exact:
            continue
        stems = () if exact in STOPWORDS else stem_variants(exact)
        yield Token(match.start(), match.end(), exact, stems)


def lead_end(text: str, words: int) -> int:
    """The offset in `text` just after its first `words` words (its length if it has fewer)."""
    end = 0
    for count, match in enumerate(_WORD.finditer(text), 1):
        end = match.end()
        if count >= words:
            return end
    return len(text)


@dataclass(frozen=True, slots=True)
class Analysis:
    """Token streams for one text field, ready for an engine to store."""

    exact: list[str]  # one normalized token per position
    stem: list[tuple[str, ...]]  # stem variants per position (empty tuple for stopwords)

    def stem_text(self) -> str:
        """Whitespace-joined stems (variants side by side), for engines that take plain strings."""
        return " ".join(s for variants in self.stem for s in variants)

    def exact_text(self) -> str:
        return " ".join(self.exact)


def analyze(text: str | None) -> Analysis:
    """The token streams of a text: the same tokens as `tokenize`, without offsets, through the
    per-surface cache of `surface_forms` (news vocabulary is Zipfian: most words repeat)."""
    exact: list[str] = []
    stems: list[tuple[str, ...]] = []
    if text:
        for surface in _WORD.findall(text):
            forms = surface_forms(surface)
            if forms:
                exact.append(forms[0])
                stems.append(forms[1:])
    return Analysis(exact, stems)


_FORMS_CACHE: dict[str, tuple[str, ...]] = {}
_FORMS_CACHE_LIMIT = 300_000


def surface_forms(surface: str) -> tuple[str, ...]:
    """Normalized form and stems of one surface word (cached): what a highlighter compares."""
    forms = _FORMS_CACHE.get(surface)
    if forms is None:
        exact = normalize_token(surface[:MAX_TOKEN_CHARS])
        forms = (exact,) + (() if exact in STOPWORDS else stem_variants(exact)) if exact else ()
        if len(_FORMS_CACHE) < _FORMS_CACHE_LIMIT:
            _FORMS_CACHE[surface] = forms
    return forms


# For highlighting: runs of word characters (a simple character class, several times faster than
# `_WORD`; it differs only on decimal numbers, which it splits, and on underscores, which it keeps).
_WORD_RUN = re.compile(r"[\w\u0640\u064b-\u065f\u0670\u0610-\u061a\u06d6-\u06ed\u200c-\u200f\u061c]+")
_WORD_CHAR = re.compile(r"[\w\u0640\u064b-\u065f\u0670\u0610-\u061a\u06d6-\u06ed]")


def surfaces(text: str) -> set[str]:
    """The distinct words of `text`, as written (found at C speed, for highlighting)."""
    return set(_WORD_RUN.findall(text))


def is_word_char(char: str) -> bool:
    return bool(_WORD_CHAR.match(char))


def analyze_query_word(word: str) -> list[Token]:
    """Analyze one word typed in a query (it may split into several tokens, e.g. `U.S.A`)."""
    return list(tokenize(word))
