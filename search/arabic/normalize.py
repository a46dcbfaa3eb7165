"""Arabic orthographic normalization: one chain, used at index time and query time.

The chain follows DESIGN.md: delete tatweel, harakat, superscript alef and invisible marks;
fold alef forms, alef maksura and teh marbuta; map Persian/Urdu letters to Arabic; map
Eastern digits to ASCII; lowercase Latin. camel-tools supplies the Arabic-specific folds.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
)

TATWEEL = "\u0640"
# Invisible marks that break matching without changing what a reader sees.
INVISIBLE_MARKS = (
    "\u061c\u200b\u200c\u200d\u200e\u200f\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e\ufeff\u00ad"
)
# Harakat and Quranic marks beyond camel-tools' AR_DIAC_CHARSET (which covers U+064B-U+0652, U+0670).
EXTRA_MARKS = (
    "\u0610\u0611\u0612\u0613\u0614\u0615\u0616\u0617\u0618\u0619\u061a"
    "\u0653\u0654\u0655\u0656\u0657\u0658\u0659\u065a\u065b\u065c\u065d\u065e\u065f"
    "\u06d6\u06d7\u06d8\u06d9\u06da\u06db\u06dc\u06df\u06e0\u06e1\u06e2\u06e3\u06e4"
    "\u06e7\u06e8\u06ea\u06eb\u06ec\u06ed"
)

_DELETE = {ord(c): None for c in TATWEEL + INVISIBLE_MARKS + EXTRA_MARKS}
_LETTER_FOLDS = {
    ord("\u06a9"): "\u0643",  # keheh -> kaf
    ord("\u06aa"): "\u0643",  # swash kaf -> kaf
    ord("\u06cc"): "\u064a",  # Farsi yeh -> yeh
    ord("\u06d2"): "\u064a",  # yeh barree -> yeh
    ord("\u06c1"): "\u0647",  # heh goal -> heh
    ord("\u06d5"): "\u0647",  # ae -> heh
    ord("\u0624"): "\u0624",  # waw with hamza kept (distinct letter for search)
}
_DIGITS = {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}
_DIGITS.update({ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")})
_TABLE = {**_DELETE, **_LETTER_FOLDS, **_DIGITS}

_NEEDS_NFKC = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")  # Arabic presentation forms


def normalize(text: str) -> str:
    """Return the search form of `text` (any length): what the index and the query both see."""
    if _NEEDS_NFKC.search(text):
        text = unicodedata.normalize("NFKC", text)
    text = text.translate(_TABLE)
    text = dediac_ar(text)
    text = normalize_alef_ar(text)
    text = normalize_alef_maksura_ar(text)
    text = normalize_teh_marbuta_ar(text)
    return text.lower()


@lru_cache(maxsize=500_000)
def normalize_token(token: str) -> str:
    """Cached `normalize` for single tokens and short names (not whole texts): vocabularies are
    Zipfian, so the cache hit rate is high."""
    return normalize(token)
