"""A light Arabic stemmer: light10 (Larkey et al.) on normalized tokens, plus bare proclitics.

Light stemming strips frequent affixes and never tries to find the root, which keeps
precision for news search. It runs on *normalized* tokens (teh marbuta already folded to heh,
alef forms to bare alef), so its affix lists are written in normalized form.

Classic light stemmers leave the bare proclitics ب ل ك ف alone (بمصر stays بمصر). Stripping
them blindly breaks names (بيروت, لبنان), so `stem_variants` returns the stripped form as a
second variant that is indexed at the same position: مصر then matches بمصر, and بيروت still
matches بيروت.
"""

from __future__ import annotations

from functools import lru_cache

# Definite-article prefixes, longest first (light10 set, normalized).
_ARTICLES = ("وال", "بال", "كال", "فال", "لل", "ال")
# Suffixes, tried once each in this order (light10 set, normalized: ة->ه, so ية->يه), each with the
# shortest stem it may leave. Two changes from light10, both measured on real queries: nisba plurals
# (يون يين يات) go first so that فلسطينيون, الفلسطينيين and فلسطين share a stem; and two-letter
# suffixes must leave four letters, so that ايران, لبنان and تعاون are not cut to اير, لبن, تعا.
_SUFFIXES = (
    ("يون", 3),
    ("يين", 3),
    ("يات", 3),
    ("ها", 3),
    ("ان", 4),
    ("ات", 4),
    ("ون", 4),
    ("ين", 4),
    ("يه", 3),
    ("ه", 3),
    ("ي", 3),
)
_BARE_PROCLITICS = ("ب", "ل", "ك", "ف")
_ARABIC_LETTERS = frozenset("ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي")


def _is_arabic(token: str) -> bool:
    return bool(token) and token[0] in _ARABIC_LETTERS


def _strip_suffixes(word: str) -> str:
    for suffix, shortest_stem in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest_stem:
            word = word[: -len(suffix)]
    return word


def _strip_article(word: str) -> tuple[str, bool]:
    if word.startswith("و") and len(word) > 3:
        word = word[1:]
    for article in _ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            return word[len(article) :], True
    return word, False


@lru_cache(maxsize=500_000)
def stem_variants(token: str) -> tuple[str, ...]:
    """Stems of one normalized token: the light10 stem, and, when the token starts with a bare
    proclitic (after an optional و), the stem of the remainder as a second variant."""
    if not _is_arabic(token) or len(token) < 3:
        return (token,)
    word, had_article = _strip_article(token)
    main = _strip_suffixes(word)
    if not had_article and word[0] in _BARE_PROCLITICS and len(word) >= 4:
        alt = _strip_suffixes(_strip_article(word[1:])[0])
        if alt != main and len(alt) >= 2:
            return (main, alt)
    return (main,)


def stem(token: str) -> str:
    """The primary stem of one normalized token."""
    return stem_variants(token)[0]
