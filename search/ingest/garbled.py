"""Text whose letters were lost upstream, before it reached us.

Some feeds pass Arabic through a conversion to a code page without Arabic letters, which writes
"?" for each one: «?C? ?O?C? ?? C?E???? C?E??E». Nothing can bring the letters back (unlike
text decoded with the wrong code page, which `encoding.py` handles), and such an article can be
neither searched nor read, so the indexer rejects it with a reason instead of storing noise.
In ../shared/corpus this is 21 articles of one outlet (anc-DZP2 … anc-DZP22). Eight others of
the same outlet lost only their invisible direction marks («?بلال? ?قصة?»): still readable, they
stay (a share of 1–16 %).
"""

from __future__ import annotations

import re

LOST = frozenset("?\ufffd")   # the question mark, and U+FFFD (what a decoder writes for a bad byte)
MAX_LOST_SHARE = 0.25         # the corpus's other bodies: 16 % at most (lost marks, not letters)
MIN_LETTERS = 20              # short strings ("؟؟؟", "What?") are not judged
_LETTER = re.compile(r"[^\W\d_]")


def lost_share(text: str) -> float:
    """The share of "letters" that are lost-letter marks, among letters and marks together."""
    lost = sum(text.count(mark) for mark in LOST)
    if lost < MIN_LETTERS * MAX_LOST_SHARE:      # the usual case, at the cost of two counts
        return 0.0
    total = lost + len(_LETTER.findall(text))
    return lost / total if total >= MIN_LETTERS else 0.0


def garbled_reason(text: str) -> str | None:
    """A reject reason when too many of `text`'s letters were lost, else None."""
    share = lost_share(text)
    if share < MAX_LOST_SHARE:
        return None
    return (f"garbled text: {share:.0%} of its letters are '?' (its Arabic was lost in a code-page "
            "conversion before it reached us; nothing to recover)")
