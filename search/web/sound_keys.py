"""A rough consonant skeleton of a name, the same for its Arabic and Latin spellings.

«John Allen» and «جون آلن», «Erdogan» and «أردوغان», «Bashar al-Assad» and «بشار الأسد» have no
letter in common, but the consonants a transliteration keeps line up: both sides are reduced to
one class per consonant sound (B for ب/b/p, J for ج/غ/j/g, S for س/ص/ز/ش/s/z/sh …), vowels and
the letters that are vowels as often as consonants (ا و ي ع ء ه ح, a e i o u y w h) dropped, and
repeats merged (محمد = Mohammed = MD). Words are joined, so «Abdulaziz» meets «عبد العزيز».

It is lossy on purpose: it finds candidates for the search box's suggestions, which are then
ranked by how many articles name them. An Arabic name is also keyed without its article on every
word (الأسد → أسد), because Latin spellings drop it as often as they keep it (Assad, al-Assad).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MIN_KEY = 2  # shorter skeletons («Sisi» → S) match too much to be worth offering

_ARABIC = str.maketrans(
    {
        **{chr(c): None for c in range(0x0600, 0x0700)},  # letters without a class are dropped
        **dict.fromkeys("بپ", "B"),
        **dict.fromkeys("تطثة", "T"),
        **dict.fromkeys("جچغگ", "J"),
        "خ": "K",
        **dict.fromkeys("دضذظ", "D"),
        "ر": "R",
        **dict.fromkeys("زسصش", "S"),
        **dict.fromkeys("فڤ", "F"),
        **dict.fromkeys("قكک", "K"),
        "ل": "L",
        "م": "M",
        "ن": "N",
    }
)
# Latin: digraphs first (kh = خ, gh = غ, sh/ch = ش, th = ث/ت, dh = ذ, ph = ف), then letters.
_LATIN_DIGRAPHS = (
    ("kh", "K"),
    ("gh", "J"),
    ("sh", "S"),
    ("ch", "S"),
    ("th", "T"),
    ("dh", "D"),
    ("ph", "F"),
    ("ck", "K"),
    ("qu", "K"),
)
_LATIN = str.maketrans(
    {
        **dict.fromkeys("bp", "B"),
        "t": "T",
        "d": "D",
        **dict.fromkeys("jg", "J"),
        **dict.fromkeys("kqc", "K"),
        **dict.fromkeys("sz", "S"),
        **dict.fromkeys("fv", "F"),
        "l": "L",
        "m": "M",
        "n": "N",
        "r": "R",
        "x": "KS",
    }
)
_NOT_A_CLASS = re.compile(r"[^BTJKDRSFLMN]+")
_REPEATS = re.compile(r"(.)\1+")
_SOFT_C = re.compile(r"c(?=[eiy])")
_LATIN_WORD = re.compile(r"[a-z]+")
_VOWEL = re.compile(r"[aeiouy]")
_ARABIC_ARTICLE_MIN = 5  # ال + at least three letters: الأسد, not الن (آلن)


def is_latin(text: str) -> bool:
    """Does the text hold Latin letters and no Arabic ones?"""
    return not any("\u0600" <= c <= "\u06ff" for c in text) and any(c.isascii() and c.isalpha() for c in text)


def _key(classes: str) -> str:
    return _REPEATS.sub(r"\1", _NOT_A_CLASS.sub("", classes))


def latin_key(text: str) -> str:
    """The skeleton of a Latin-script name («John Allen» → JNLN); empty when a word has no vowel
    (cmd, NYT, www: letters that are not a name)."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    found = _LATIN_WORD.findall(folded)
    if not all(_VOWEL.search(word) for word in found):
        return ""
    words = []
    for word in found:
        word = _SOFT_C.sub("s", word)
        for digraph, sound in _LATIN_DIGRAPHS:
            word = word.replace(digraph, sound)
        words.append(word.translate(_LATIN))
    return _key("".join(words))


def _bare(word: str) -> str:
    return word[2:] if len(word) >= _ARABIC_ARTICLE_MIN and word[:2] in ("ال", "أل") else word


def _word_keys(word: str) -> tuple[str, str]:
    """The skeleton of one Arabic word, as written and without its article."""
    return _key(word.translate(_ARABIC)), _key(_bare(word).translate(_ARABIC))


def _joined(keys: Iterable[str]) -> str:
    out = ""
    for key in keys:
        out += key[1:] if out and key and out[-1] == key[0] else key
    return out


def arabic_keys(words: list[str]) -> set[str]:
    """The skeletons of an Arabic name (its words): as written, and with the article dropped."""
    pairs = [_word_keys(w) for w in words]
    return {_joined(p[0] for p in pairs), _joined(p[1] for p in pairs)} - {""}


def span_keys(words: list[str], tails: bool, memo: dict[str, tuple[str, str]]) -> set[str]:
    """The skeletons of the name's first words (1, 2, … all of them) and, with `tails`, of its
    last words: the parts of a name written alone in another script (see arabic_keys). `memo`
    keeps each word's skeletons while many names are keyed (names repeat محمد, عبد, الله)."""
    pairs = []
    for word in words:
        keys = memo.get(word)
        if keys is None:
            keys = memo[word] = _word_keys(word)
        pairs.append(keys)
    out: set[str] = set()
    for order in (pairs, pairs[::-1]) if tails else (pairs,):
        plain = bare = ""
        for word, word_bare in order:
            if order is pairs:
                plain, bare = _joined((plain, word)), _joined((bare, word_bare))
            else:
                plain, bare = _joined((word, plain)), _joined((word_bare, bare))
            out.update((plain, bare))
    out.discard("")
    return out
