"""Where a name the tagger calls a person holds a country, city or demonym, decide which is right.

The country matcher and the tagger read the same words independently, so they can disagree:

* a family name that is a demonym or a place: «إسماعيل مغربي», «عبدالله بن محمد السويد»,
  «خوان موناكو». The country is wrong: it is dropped, the person stays.
* a place or nationality in front of the name, which the tagger took into it: «السوداني عمر
  البشير», «والكاميروني صامويل إيتو», a dateline «فاس عبد السلام البقالي». Both are right: the
  person starts after it (if two words or more are left; «تركي القرشي» is a first name).
* a place after a preposition inside the name: «سلطان بتبوك», «عبدالعزيز بالدمام» (the rest of
  «مستشفى الملك عبدالعزيز بالدمام»). The person ends before it; the place stays.
* nothing but places: «وارسو», «أستانا الكازاخستاني». The person is dropped.

Organizations are left alone: «أولمبيك مدنين» is a club and Tunisian.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from typing import Any

from search.arabic import normalize
from search.entities.countries import CountryMention
from search.entities.first_names import NASAB

_WORD = re.compile(r"\S+")


# What may be glued before a place that stands in front of a name: و/ف, then ب/ل («بالسودان
# فولكر بيرتس»). Not ك: «كلاوس» is Claus, not ك + لاوس.
_LEADING_CLITICS = re.compile(r"[وف]?[بل]?")
# A first word followed by one of these is the person's own name: «الخليل بن أحمد».
NAME_LINKS = NASAB | {normalize(w) for w in "أبو آل".split()}


def _words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(text, start, end)]


def _normal(text: str, word: tuple[int, int]) -> str:
    return normalize(text[word[0] : word[1]])


def _leads(text: str, word: tuple[int, int], inside: Sequence[CountryMention]) -> bool:
    """Is this word a place or nationality put in front of a name (not the name's first word)?"""
    s, e = word
    return any(
        c.start < e and s < c.end and (c.start <= s or _LEADING_CLITICS.fullmatch(text[s : c.start])) for c in inside
    )


def reconcile(
    text: str,
    countries: Sequence[CountryMention],
    people: list[dict[str, Any]],
    rename: Callable[[str], tuple[str, str] | None],
    first_names: Collection[str],
) -> tuple[list[CountryMention], list[dict[str, Any]]]:
    """(countries kept, people kept, some of them shortened). `people` are the tagger's person
    mentions (dicts with start, end, name, key); `rename(surface)` gives the (name, key) of a
    shortened mention, or None when what is left is no name; `first_names` are normalized known
    names, which tell a person with a place for a family name from a club or a phrase the tagger
    took for one («قياديان أفغانيان», «امباكت دو مونتريال الكندي»)."""
    dropped: set[int] = set()
    kept_people = []
    for person in people:
        inside = [c for c in countries if person["start"] <= c.start and c.end <= person["end"]]
        if not inside:
            kept_people.append(person)
            continue
        words = _words(text, person["start"], person["end"])
        covered = [any(c.start < e and s < c.end for c in inside) for s, e in words]
        if all(covered):
            continue  # «وارسو»: a place, not a person
        lead = 0
        while lead < len(words) and covered[lead] and _leads(text, words[lead], inside):
            lead += 1
        if not (lead and len(words) - lead >= 2 and _normal(text, words[lead]) not in NAME_LINKS):
            lead = 0  # «تركي الصهيل», «الخليل بن أحمد»
        first = _normal(text, words[lead])
        if first[:1] in "وف" and first not in first_names:
            first = first[1:]
        known = first in first_names or (lead + 1 < len(words) and _normal(text, words[lead + 1]) in NAME_LINKS)
        end = lead + next(
            (
                i
                for i, c in enumerate(covered[lead + 1 :], 1)
                if c and _after_preposition(text, words[lead + i], inside)
            ),
            len(words) - lead,
        )
        family = [i for i in range(lead, end) if covered[i]]
        if family and not known:
            continue  # not a person: «قياديان أفغانيان»
        for i in family:  # «إسماعيل مغربي»: a family name
            s, e = words[i]
            dropped.update(id(c) for c in inside if s <= c.start and c.end <= e)
        if (lead, end) != (0, len(words)):  # «السوداني عمر البشير», «سلطان بتبوك»
            renamed = rename(text[words[lead][0] : words[end - 1][1]])
            if renamed is None:
                continue
            person = {
                **person,
                "start": words[lead][0],
                "end": words[end - 1][1],
                "name": renamed[0],
                "key": renamed[1],
            }
        kept_people.append(person)
    return [c for c in countries if id(c) not in dropped], kept_people


def _after_preposition(text: str, word: tuple[int, int], inside: Sequence[CountryMention]) -> bool:
    """A place (not a demonym: «كليبي» is a name) with a preposition glued to it: «بتبوك»."""
    s, e = word
    return any(s < c.start < e and c.kind != "demonym" for c in inside)
