"""Text whose letters were lost upstream, before it reached us.

Some feeds pass Arabic through a conversion to a code page without Arabic letters, which writes
"?" for each one: «?C? ?O?C? ?? C?E???? C?E??E». Nothing can bring the letters back (unlike
text decoded with the wrong code page, which `encoding.py` handles), and such an article can be
neither searched nor read, so the indexer rejects it with a reason instead of storing noise.
In ../shared/corpus this is 21 articles of one outlet (anc-DZP2 … anc-DZP22).

Other bodies lost only their invisible marks (direction marks, Quranic brackets), and read
«?بلال? ?قصة?»: every "?" there is a lost mark, which `drop_lost_marks` removes. The sign is a
"?" at the start of an Arabic word, which real text never has; 11 bodies of the corpus show it
five times or more (1–16 % of their letters).
"""

from __future__ import annotations

import re

LOST = frozenset("?\ufffd")  # the question mark, and U+FFFD (what a decoder writes for a bad byte)
MAX_LOST_SHARE = 0.25  # the corpus's other bodies: 16 % at most (lost marks, not letters)
MIN_LETTERS = 20  # short strings ("؟؟؟", "What?") are not judged
_LETTER = re.compile(r"[^\W\d_]")
_MARK_BEFORE_WORD = re.compile(r"(?:^|(?<=\s))\?(?=[\u0621-\u064a])")
MIN_LOST_MARKS = 5  # a body with fewer keeps its "?"s (one may be a real question mark)
_SPACES = re.compile(r"[ \t]{2,}")


def lost_share(text: str) -> float:
    """The share of "letters" that are lost-letter marks, among letters and marks together."""
    lost = sum(text.count(mark) for mark in LOST)
    if lost < MIN_LETTERS * MAX_LOST_SHARE:  # the usual case, at the cost of two counts
        return 0.0
    total = lost + len(_LETTER.findall(text))
    return lost / total if total >= MIN_LETTERS else 0.0


def garbled_reason(text: str) -> str | None:
    """A reject reason when too many of `text`'s letters were lost, else None."""
    share = lost_share(text)
    if share < MAX_LOST_SHARE:
        return None
    return (
        f"garbled text: {share:.0%} of its letters are '?' (its Arabic was lost in a code-page "
        "conversion before it reached us; nothing to recover)"
    )


def drop_lost_marks(text: str) -> str:
    """`text` without the "?"s that stand for lost invisible marks, when it shows their sign."""
    if "?" not in text or len(_MARK_BEFORE_WORD.findall(text)) < MIN_LOST_MARKS:
        return text
    return _SPACES.sub(" ", text.replace("?", ""))
