"""Organizations named in quotes: «معهد "باستور"», «صحيفة «الحياة»», «لـ"الوطن"».

The Arabic press puts a body's proper name in quotes after the word for what it is, and quotes
a news outlet it attributes to. Neither the construction rules (search.entities.org_names: a
quote breaks the name) nor the tagger (quotes are rare in its training data) see them:

* a head noun and a quoted name of one to four words: the name is the organization, alone
  («صحيفة "الحياة"» → الحياة, «شركة "أرامكو"» → أرامكو, as the annotation rules write them),
  or with the head when it is part of the name («معهد "باستور"», «جامعة "شيفيلد"»);
* «لـ"X"» («told X»), when X is the name of a news outlet: outlets named with everyday words
  (الوطن، المدينة، اليوم، سبق) are organizations only there.
"""

from __future__ import annotations

import re

from search.arabic import STOPWORDS, normalize
from search.entities.first_names import COMMON_FIRST_NAMES

# Heads after which the quoted name alone is the organization's name, as it is named elsewhere
# («مجموعة "فولكس فاغن"» is فولكس فاغن, «مركز "بروكينغز"» is بروكينغز).
_BARE_HEADS = (
    "صحيفة|جريدة|موقع|قناة|مجلة|وكالة|شركة|حزب|تنظيم|دار|شبكة|إذاعة|اذاعة|مركز|جمعية|"
    "منظمة|مؤسسة|هيئة|مجموعة|بنك|مصرف|حركة|جماعة|اتحاد|منتدى|رابطة|نقابة|مجلس|لجنة|"
    "ائتلاف|تحالف|جبهة|كتائب"
)
# Heads that are part of the name: «جامعة "شيفيلد"» is جامعة شيفيلد.
_NAMED_HEADS = "معهد|جامعة|مدرسة|أكاديمية|اكاديمية|نادي"
_OPEN, _CLOSE = "[«\"“»„']", "[»\"”«']"
_WORD = r"[^\W\d_][\w\u0640\u064b-\u065f\u0670]*"
_NAME = rf"{_WORD}(?:[ \-]{_WORD}){{0,3}}"
_BEFORE = r"(?<![\w\u0640\u064b-\u065f])"  # not inside a word
_CLITICS = r"(?:[وف])?(?:[بلك])?"

# A quoted name, then what stands right before it: a head, or «لـ».
_QUOTED = re.compile(rf"{_OPEN}\s*(?P<name>{_NAME})\s*{_CLOSE}")
_HEAD_BEFORE = re.compile(rf"{_BEFORE}{_CLITICS}(?:ال)?(?P<head>{_BARE_HEADS}|{_NAMED_HEADS})\s*ـ?\s*$")
_TOLD_BEFORE = re.compile(rf"{_BEFORE}[وف]?لـ?\s*ـ?\s*$")
_LOOK_BACK = 16  # characters before the quote where the head or «لـ» must be

# News outlets whose names are everyday words, found only as «لـ"X"»: the outlets of the shared
# corpus and the best-known Arab papers and channels.
OUTLETS = frozenset(
    normalize(w)
    for w in """
الوطن|المدينة|الرياض|اليوم|الجزيرة|عكاظ|سبق|الوئام|الاقتصادية|الشرق الأوسط|عين اليوم|هسبريس|كود
|الحياة|الأهرام|الخليج|البيان|الاتحاد|القدس العربي|العربية|الشروق|المصري اليوم|اليوم السابع
|النهار|السفير|الأخبار|الرأي|الغد|الدستور|الشرق|الراية|الوطن العربي|العرب|الصباح|المساء
|الجوهرة أف أم|الجوهرة|العربي الجديد|سكاي نيوز عربية|الحدث|الأيام|الجريدة|القبس|الأنباء
""".replace("\n", "").split("|")
    if w.strip()
)
_BARE = frozenset(normalize(w) for w in _BARE_HEADS.split("|"))


def _name_like(name: str) -> bool:
    """Not a quoted phrase («تغلب على»), a scare-quoted description («منظمة "متطرفة"», «"الظلامي
    الرجعي"») or the end of a quote that ran on («"وأحمد عطيف"»)."""
    words = normalize(name).split()
    if any(w in STOPWORDS for w in words):
        return False
    if words[0].startswith("و") and (words[0][1:3] == "ال" or words[0][1:] in COMMON_FIRST_NAMES):
        return False
    return not all(
        w.endswith(("ي", "يه", "يون", "يين")) and (w.startswith("ال") or w.endswith("يه")) for w in words
    )  # nisba adjectives only: «"الظلامي الرجعي"», «"إرهابية"»


def find_quoted_orgs(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of each organization named in quotes, in text order; `name` is what
    the facet shows (head + name, or the name alone), start/end the span highlighted."""
    found: list[tuple[int, int, str]] = []
    for m in _QUOTED.finditer(text):
        name = m.group("name")
        before = text[max(0, m.start() - _LOOK_BACK) : m.start()]
        head = _HEAD_BEFORE.search(before)
        if head:
            if not _name_like(name):
                continue
            word = head.group("head")
            if normalize(word) in _BARE or normalize(name).startswith(normalize(word)):
                found.append((m.start("name"), m.end("name"), name))
            else:
                start = m.start() - len(before) + head.start("head")
                found.append((start, m.end("name"), f"{word} {name}"))
        elif _TOLD_BEFORE.search(before) and normalize(name) in OUTLETS:
            found.append((m.start("name"), m.end("name"), name))
    return found  # in text order, without overlaps: quotes do not overlap, and a head stands
    # between the previous closing quote and its own opening one
