"""The extraction pipeline: an article's countries, people and organizations as facet values.

Countries come from the gazetteer matcher (search.entities.countries). People and organizations
come from known names and aliases (`AliasGazetteer`), then, for organizations, names in quotes
(search.entities.quoted_names) and names of official bodies found by their construction
(search.entities.org_names), then the project's statistical
tagger (search.entities.tagger) — where they overlap, the earlier one wins. All are cleaned into
canonical names with stable keys (search.entities.canonical) and corrected by aliases and the editors' overrides
(search.entities.overrides). `make_extractor` is what the indexer plugs into
`search.document.build_document`.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any

from search.arabic import normalize_token
from search.entities.canonical import (
    DIALECT_MARKERS,
    NEVER_IN_NAMES,
    TITLES,
    corpus_words,
    display_name,
    entity_key,
    first_name_words,
    last_word_key,
    name_words,
)
from search.entities.countries import find_countries, is_place_name
from search.entities.first_names import COMMON_FIRST_NAMES, NASAB
from search.entities.home_country import home_kingdom_mentions
from search.entities.normalized_text import PROCLITICS, NormalizedText
from search.entities.org_names import (
    STOPS,
    complement_adjective,
    find_org_names,
    inner_institution,
    institution_start,
    is_adjective,
    past_complements,
)
from search.entities.overrides import Overrides, load_overrides
from search.entities.people_places import reconcile
from search.entities.quoted_names import find_quoted_orgs
from search.model import Article

KINDS = {"PERS": "person", "ORG": "org"}
# A few first names that news also uses alone for one famous family name are left out: «مبارك»
# is Hosni Mubarak, «صالح» Ali Abdullah Saleh.
_COMMON_FIRST_NAMES = COMMON_FIRST_NAMES - {normalize_token(w) for w in "مبارك صالح حسين عثمان".split()}
# A word with its marks and tatweel inside («الدخيّل», «محمّد»): a shadda is no word break.
_MARKS = "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]"
_TOKEN = re.compile(rf"[^\W_]+(?:{_MARKS}+[^\W_]*)*|{_MARKS}+[^\W_]*|[^\w\s]")
_CLAUSE = re.compile(r"[^.!?؟\n]+[.!?؟]*")  # a sentence: up to its end marks or a line break
MAX_SENTENCE_TOKENS = 120
MAX_TAGGED_CHARS = 20_000  # long bodies: people and organizations come from the first part


class _Sentence:
    """Tokens of one sentence for the tagger; character offsets are found only when asked (only
    sentences with a name need them)."""

    __slots__ = ("start", "end", "skip", "tokens")

    def __init__(self, start: int, end: int, skip: int, tokens: list[str]):
        self.start, self.end, self.skip, self.tokens = start, end, skip, tokens

    def offsets(self, text: str) -> list[tuple[int, int]]:
        spans = [m.span() for m in _TOKEN.finditer(text, self.start, self.end)]
        return spans[self.skip : self.skip + len(self.tokens)]


def _sentences(text: str) -> list[_Sentence]:
    """Sentences as the tagger reads them: cut after . ! ? ؟, at a line break, and every 120
    tokens."""
    out = []
    for match in _CLAUSE.finditer(text):
        tokens = _TOKEN.findall(match.group())
        for k in range(0, len(tokens), MAX_SENTENCE_TOKENS):
            out.append(_Sentence(match.start(), match.end(), k, tokens[k : k + MAX_SENTENCE_TOKENS]))
    return out


# Month names, Gregorian and Levantine: «أبريل (نيسان)» is a date, not the carmaker Nissan.
MONTHS = frozenset(
    normalize_token(w)
    for w in """يناير فبراير مارس أبريل إبريل مايو يونيو يوليو أغسطس
سبتمبر أكتوبر نوفمبر ديسمبر كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين""".split()
)


def _is_date_month(tokens: list[str], a: int, b: int) -> bool:
    """A one-word name that is a month name next to another month name or a number."""
    if b - a != 1 or normalize_token(tokens[a]) not in MONTHS:
        return False
    near = tokens[max(0, a - 3) : a] + tokens[b : b + 3]
    return any(t.isdigit() or normalize_token(t) in MONTHS for t in near)


class AliasGazetteer:
    """Finds the known entities of `data/entity_aliases.json` by their names, whatever the tagger
    says: token sequences matched on normalized forms, with و/ف/ب/ل/ك clitics allowed on the first
    word (للأمم = ل + الأمم), the words of a name separated by spaces or a hyphen only."""

    def __init__(self, overrides: Overrides):
        self.names: dict[tuple[str, ...], tuple[str, str, str]] = {}
        self.longest: dict[str, int] = {}  # first word -> longest name starting with it
        self.bare: set[tuple[str, ...]] = set()  # one-word names of people (هادي، الأسد، بشار)
        from search.entities.overrides import alias_entries, alias_exceptions, aliases_needing_a_cue

        self.not_before = alias_exceptions()
        self.needs_cue = aliases_needing_a_cue()
        for kind, label, names in alias_entries():
            key = entity_key(label, kind)
            for name in names:
                words = tuple(normalize_token(name).split())
                if words:
                    self.names[words] = (kind, key, label)
                    if kind == "person" and len(words) == 1:
                        self.bare.add(words)
                    self.longest[words[0]] = max(self.longest.get(words[0], 0), len(words))
        # Every token form that can start a name: a first word, with or without a proclitic.
        self.starts = {form for word in self.longest for form in _with_clitics(word)}

    def find(self, text: str, doc: NormalizedText | None = None) -> list[tuple[int, int, str | None, str, str, bool]]:
        """(start, end, kind, key, label, weak) of every known name in `text`, longest match
        first. `weak`: a person's one-word name without a title before it (هادي is also «this»
        in Darija, الأسد «the lion», بشار a first name): it counts only if the article names the
        person in full somewhere. `kind` None: a known person's name that is only part of a
        place's or a body's name («مطار الملك خالد»): no mention, and no other reading of those
        words either. `doc` is `NormalizedText(text)` when the caller has it."""
        doc = doc or NormalizedText(text)
        toks, starts = doc.toks, self.starts
        found: list[tuple[int, int, str | None, str, str, bool]] = []
        skip_to, n = 0, len(toks)
        for i in [i for i, t in enumerate(toks) if t in starts]:
            if i < skip_to:
                continue
            best = None
            for first in _clitic_forms(toks[i]):
                for length in range(min(self.longest.get(first, 0), n - i), 0, -1):
                    name = (first, *toks[i + 1 : i + length])
                    entry = self.names.get(name)
                    if (
                        entry
                        and doc.joined(i, i + length)
                        and not (i + length < n and toks[i + length] in self.not_before.get(name, ()))
                        and not (name in self.needs_cue and not _cued(toks, i, i + length))
                    ):
                        best = (length, entry, len(toks[i]) - len(first))
                        break
                if best:
                    break
            if best is None:
                continue
            length, (kind, key, label), cut = best
            skip_to = i + length
            start, end = doc.original_span(i, i + length, cut)
            if kind == "person" and i and toks[i - 1] in NASAB:
                continue  # the father's name in a longer one: «فيصل بن خالد بن عبدالعزيز»
            if kind == "person" and _named_after(toks, i, i + length):
                found.append((start, end, None, key, label, False))  # part of a place's name
                continue
            weak = (toks[i][cut:],) in self.bare and length == 1 and not (i and toks[i - 1] in TITLES)
            found.append((start, end, kind, key, label, weak))
        return found + self._listed_under_a_plural_title(doc)

    def _listed_under_a_plural_title(self, doc: NormalizedText) -> list[tuple[int, int, str, str, str, bool]]:
        """Known people named by first names after a plural title: «الملوك سعود وفيصل وخالد وعبد
        الله» is «الملك سعود», «الملك فيصل»…, each the entity of that name."""
        toks, found = doc.toks, []
        for i, word in enumerate(toks):
            title = _PLURAL_TITLES.get(word)
            if title is None:
                continue
            j = i + 1
            while j < len(toks):
                entry, length = None, 0
                for size in (2, 1):  # «وعبد الله» is one name in two words
                    words = toks[j : j + size]
                    if len(words) < size:
                        continue
                    first = words[0][1:] if j > i + 1 and words[0].startswith("و") else words[0]
                    entry = self.names.get((title, first, *words[1:]))
                    if entry and doc.joined(j, j + size):
                        length = size
                        break
                    entry = None
                if entry is None:
                    break
                start, end = doc.original_span(j, j + length, 1 if j > i + 1 else 0)
                found.append((start, end, *entry, False))
                j += length
        return found


# «الملوك سعود وفيصل»: a plural title before a list of first names, and the singular it stands for.
_PLURAL_TITLES = {
    form: normalize_token(singular)
    for plural, singular in (("الملوك", "الملك"),)
    for form in (normalize_token(plural), "و" + normalize_token(plural))
}
# Nouns of what is named after a person: «مطار الملك خالد», «طريق الملك فهد», «جائزة الملك فيصل»
# (the gold rules count the person only when named on their own), with their clitics.
_NAMED_AFTER = frozenset(
    form
    for word in """
طريق شارع جسر مطار ميناء ملعب استاد ستاد حي مدينة قاعدة جامع مسجد حديقة متنزه منتزه كأس جائزة
برنامج مشروع مكتبة مجمع برج قصر دوار ميدان نفق محطة مدرسة ساحة كرسي بوابة مبنى قاعة صالة مستشفى
مركز كلية جامعة جامعتي معهد دارة مؤسسة وقف منحة مدينتي مستشفيات مستشفيي صندوق مجمعات مراكز
""".split()
    for form in (lambda w: {w} | {c + w for c in PROCLITICS})(normalize_token(word))
)


# What tells that «الملك فهد» is the king himself and not the road, the plan or the hospital
# named after him, for the names that need it (`needs_cue` in data/entity_aliases.json): a word
# before it («في عهد الملك فهد», «المؤسس الملك عبدالعزيز», «خادم الحرمين الشريفين الملك
# عبدالله», «المغفور له») or a blessing or his sons after it («الملك فيصل رحمه الله», «الملك
# عبدالعزيز وأبناؤه»).
_CUES_BEFORE = frozenset(
    normalize_token(w)
    for w in """عهد لعهد بعهد وعهد المؤسس الشريفين جلالة له
الراحل المرحوم أبناء ابناء رجال والده أيام زمن حكم""".split()
)
_BLESSINGS_AFTER = frozenset(
    normalize_token(w) for w in "رحمه يرحمه طيب غفر رحمهم تغمده وأبنائه وأبناؤه وأبناءه وأنجاله".split()
)


def _cued(toks: list[str], start: int, end: int) -> bool:
    return (start > 0 and toks[start - 1] in _CUES_BEFORE) or (end < len(toks) and toks[end] in _BLESSINGS_AFTER)


_ROYAL = frozenset(normalize_token(w) for w in "الملك الأمير".split())


def _named_after(toks: list[str], start: int, end: int) -> bool:
    """Is the person named at toks[start:end] only part of a place's or a body's name: after
    the noun of what is named after people, or, for a king or a prince, before an adjective or a
    «لل…» complement of it («مستشفى الملك فهد التخصصي», «مدينة الملك عبدالعزيز للعلوم»)?"""
    if start and toks[start - 1] in _NAMED_AFTER:
        return True
    if end < len(toks) and toks[start] in _ROYAL:  # «والملك فهد التخصصي» in a list of hospitals
        after = toks[end]
        return is_adjective(after) or (after.startswith("لل") and len(after) > 4 and after not in STOPS)
    return False  # (not «الملك سلمان للوقوف إلى جانب …»: a purpose, see org_names.STOPS)


def _with_clitics(word: str) -> set[str]:
    """The token forms `_clitic_forms` reads back as `word`."""
    forms = {word} | {prefix + word for prefix in PROCLITICS if len(word) >= 2}
    if word.startswith("ال") and len(word) >= 3:
        forms |= {prefix + word[1:] for prefix in PROCLITICS if prefix.endswith("ل")}
    return forms


@lru_cache(maxsize=200_000)
def _clitic_forms(word: str) -> tuple[str, ...]:
    """`word`, then what it can be once a proclitic is cut (للأمم → الأمم)."""
    forms = [word]
    for prefix in PROCLITICS:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            rest = word[len(prefix) :]
            forms.append(rest)
            if prefix.endswith("ل") and rest.startswith("ل"):
                forms.append("ا" + rest)  # للأمم → الأمم
    return tuple(forms)


def is_dialect(text: str) -> bool:
    """Whether `text` is written in spoken Arabic (Darija above all), see `in_dialect`."""
    return in_dialect(NormalizedText(text).toks)


def in_dialect(words: list[str], least: int = 4, share: float = 0.01) -> bool:
    """Whether normalized `words` are spoken Arabic: at least `least` of them, and `share` of
    them, are everyday dialect words. An MSA article quoting one sentence of dialect is not."""
    hits = sum(1 for w in words if w in DIALECT_MARKERS)
    return hits >= least and hits >= share * len(words)


# Darija function words that the gazetteers also list as names (Li, Lia, Lina, Car…): in a dialect
# article «لي» is «who/that» («لي كايلعب», «صفاء حبيركو لي»), never a name.
_DIALECT_FUNCTION_WORDS = frozenset(normalize_token(w) for w in "لي ليه ليا لينا اللي هو هي كانو كار ايلى".split())


def _dialect_person(mention: dict[str, Any]) -> dict[str, Any] | None:
    """A person the tagger found in a dialect article, kept only when the name starts with a
    known first name (ناصر بوريطة، عمر القزابري), without a trailing «لي»; None otherwise: there,
    the tagger takes verbs and phrases for names («كنحولو نفرجوه», «بللي ماكتفهمش»)."""
    if mention["facet"] != "person":
        return mention
    words = mention["name"].split()
    end = len(words)
    while end > 1 and normalize_token(words[end - 1]) in _DIALECT_FUNCTION_WORDS:
        end -= 1
    first = normalize_token(words[0])
    if first not in name_words() or first in _DIALECT_FUNCTION_WORDS:
        return None
    if end == len(words):
        return mention
    name = " ".join(words[:end])
    return {**mention, "name": name, "key": entity_key(name, "person")}


# Words that link a person's name to its next part: «بن», «آل», and the Amazigh «آيت» (sons of),
# after which the tagger, trained on other names, often stops («خالد آيت | الطالب», «عبدالله
# بن | مساعد»). Not the Mauritanian «ولد»: it is also the verb «was born» («ولد في …»).
_NAME_LINKS = NASAB | {normalize_token(w) for w in "آيت أيت ايت آل أبو".split()}


def _past_particles(tokens: list[str], end: int) -> int:
    """`end` of a person's name, moved past a linking word it stops on and the word after it."""
    while 0 < end < len(tokens) and normalize_token(tokens[end - 1]) in _NAME_LINKS and tokens[end][:1].isalpha():
        end += 1
    return end


def _before_a_conjunction(tokens: list[str], a: int, b: int) -> int:
    """`b` of a person's name, cut before «و» + a common Arabic first name or a title: «خالد
    وفهد», «سعود والملك فيصل» are lists, not one person. Not before «و» + any known name:
    «والتون», «واليس» (Walton, Wallace) are names of their own, and «وليد» is not و + ليد."""
    names = name_words()
    for k in range(a + 1, b):
        word = normalize_token(tokens[k])
        if (
            word[:1] == "و"
            and len(word) > 3
            and word not in names
            and (word[1:] in _COMMON_FIRST_NAMES or word[1:] in TITLES)
        ):
            return k
    return b


# A ruler's title after a name, before the place ruled: «قابوس بن سعيد | سلطان عمان», «عبدالله
# الثاني | ملك الأردن», «تميم بن حمد | أمير قطر».
_RULERS = frozenset(normalize_token(w) for w in "سلطان ملك أمير رئيس حاكم".split())


def _before_a_ruled_place(tokens: list[str], a: int, b: int) -> int:
    """`b` of a person's name cut before a ruler's title that the tagger took for the name's
    last word, when the place ruled follows it (not «خالد بن سلطان»: after «بن» it is a name)."""
    if (
        b - a >= 3
        and b < len(tokens)
        and normalize_token(tokens[b - 1]) in _RULERS
        and normalize_token(tokens[b - 2]) not in _NAME_LINKS
        and is_place_name(normalize_token(tokens[b]))
    ):
        return b - 1
    return b


_ARABIC_WORD = re.compile(r"[\u0621-\u064a]{3,}")
# What makes a rare word Arabic rather than a transliterated name: a conjunction or a preposition
# in front («وسنحصد», «بحربته»), a verb's prefix («يرتشف», «تستضيء», but «تش» is the foreign ch),
# an attached pronoun («تكسرها», «اخلاقيتهم», «بحربته»), an adverb's tanwin («مستقويا»).
_ARABIC_AFFIXES = re.compile(r"^(?:[وفبلك]|[يتن](?!ش))|(?:ته|تها|تهم|ها|هم|هما|كم|كما|يا)$")


def _past_a_cut_surname(tokens: list[str], a: int, b: int) -> int:
    """`b` of a person's name that the tagger cut after the first name («جون | ستينجل», «بريت |
    ماكجورك»), moved past the surname. The span must be one or two first names the people
    lists know (not a common Arabic one), and the next word either a known name spelled with
    a madda («آلان»: normalized it is «الان», "now"), or a rare word: outside the corpus'
    150,000 most frequent forms, as a transliteration the tagger has never seen is, and with
    none of the affixes of an Arabic word."""
    if b >= len(tokens) or b - a > 2:
        return b
    firsts = first_name_words()
    if not all(
        (w := normalize_token(t)) in firsts and len(w) > 2 and w not in COMMON_FIRST_NAMES and not w.startswith("ال")
        for t in tokens[a:b]
    ):
        return b
    word = normalize_token(tokens[b])
    if not _ARABIC_WORD.fullmatch(word) or word in NEVER_IN_NAMES or word in TITLES or word in _NAME_LINKS:
        return b
    if tokens[b].startswith("آ") and word in name_words():
        return b + 1
    known = corpus_words()
    if (
        known
        and word not in known
        and not _ARABIC_AFFIXES.search(word)
        and not (word.startswith("ال") and word[2:] in known)
    ):
        return b + 1
    return b


def _named_span(tokens: list[str], typ: str, a: int, b: int) -> tuple[str, int, int] | None:
    """(facet, start, end) of a tagged span, or None: a place or a name right after an
    institution's head is that institution («جامعة أكسفورد»), a person's name runs on past
    «بن»/«آل» and past a surname the tagger cut off, and other places and MISC are not facets
    here."""
    head = institution_start(tokens, a, person=typ == "PERS")
    if head is not None and b - a <= 3:
        return "org", head, past_complements(tokens, b)
    if typ == "ORG":
        inner = inner_institution(tokens, a, b)
        if inner is not None:
            return "org", inner, b
        b = complement_adjective(tokens, b)
    if typ == "PERS":
        b = _past_a_cut_surname(tokens, a, _past_particles(tokens, b))
        return "person", a, _before_a_ruled_place(tokens, a, _before_a_conjunction(tokens, a, b))
    return (KINDS[typ], a, b) if typ in KINDS else None


_DASH_AFTER = re.compile(r"\s*[-–—]")


def _is_byline(body: str, mention: dict[str, Any]) -> bool:
    """A person's name that opens the body, followed by a dash, is the reporter's byline
    («مهنا التميمي- سبق- الجوف:», «لجين الأحمدي – جدة»), not someone the article is about."""
    return (
        mention["facet"] == "person"
        and not body[: mention["start"]].strip(' \n\t"«“')
        and bool(_DASH_AFTER.match(body, mention["end"]))
    )


# Words that make an organization a news outlet: its nationality is an attribution, not a country
# the article is about («وكالة الصحافة الفرنسية», «شبكة سي إن إن الأمريكية»).
_MEDIA = frozenset(
    normalize_token(w)
    for w in """وكالة الأنباء الصحافة صحيفة جريدة شبكة قناة
إذاعة مجلة تلفزيون التلفزيون موقع""".split()
)


def _is_outlet(text: str, org: dict[str, Any]) -> bool:
    """Does the organization mention name a news outlet (by its name, or the word before it)?"""
    words = normalize_token(text[org["start"] : org["end"]]).split()
    before = normalize_token(text[max(0, org["start"] - 12) : org["start"]]).split()[-1:]
    if any(w in _MEDIA for w in words[1:]):
        return True  # وكالة الأنباء …، وكالة الصحافة …
    head = (words[:1] or before)[0] if words or before else ""
    if head and words[:1] and head not in _MEDIA:
        head = before[0] if before else ""
    return any(
        head == w or (head.endswith(w) and len(head) - len(w) <= 2) for w in _MEDIA - {normalize_token("وكالة")}
    )  # صحيفة …، «قناة» …، بشبكة …


def _drop_outlet_nationalities(text: str, field: str, mentions: list[dict[str, Any]]) -> None:
    """A demonym inside a news outlet's name or right after it is the outlet's nationality: the
    annotation rules (tests/data/README.md) list the outlet, not the country. Not other bodies'
    («البحرية الألمانية» is Germany's navy)."""
    outlets = [m for m in mentions if m["facet"] == "org" and m["field"] == field and _is_outlet(text, m)]
    if not outlets:
        return

    def attributed(c: dict[str, Any]) -> bool:
        return bool(c.get("demonym")) and any(
            o["start"] <= c["start"] < o["end"]
            or (0 <= c["start"] - o["end"] <= 2 and not text[o["end"] : c["start"]].strip())
            for o in outlets
        )

    mentions[:] = [m for m in mentions if not (m["facet"] == "country" and m["field"] == field and attributed(m))]


def _family_name_after(text: str, end: int, tagged: list[dict[str, Any]]) -> bool:
    """Is the word after `end` a family name («الربيعة») inside a person's name the tagger read
    around it? (Not «بن …» or «آل سعود»: the same person's chain, the alias's entity.)"""
    word = re.match(r"\s+(\S+)", text[end : end + 40])
    if not word or not normalize_token(word.group(1)).startswith("ال") or normalize_token(word.group(1)) == "ال":
        return False
    after = end + word.end()
    return any(m["facet"] == "person" and m["start"] < end and after <= m["end"] for m in tagged)


def _person_name(surface: str) -> tuple[str, str] | None:
    name = display_name(surface, "person")
    return None if name is None else (name, entity_key(name, "person"))


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


class EntityExtractor:
    def __init__(self, tagger=None, overrides: Overrides | None = None):
        if tagger is None:
            from search.entities.tagger import Tagger

            tagger = Tagger.load()
        self.tagger = tagger
        self.overrides = overrides or load_overrides()
        self.gazetteer = AliasGazetteer(self.overrides)

    def _named(self, texts: list[str]) -> list[list[dict[str, Any]]]:
        """People and organizations found by the tagger in each text. All sentences of all texts
        are tagged in one call: the tagger decodes many sentences at once much faster."""
        from search.entities.tagger import spans

        per_text = [_sentences(text[:MAX_TAGGED_CHARS]) for text in texts]
        flat = [sentence for sentences in per_text for sentence in sentences]
        tags = iter(self.tagger.tag_sentences([s.tokens for s in flat]))
        results = []
        for text, sentences in zip(texts, per_text, strict=True):
            found = []
            for sentence in sentences:
                candidates = [
                    _named_span(sentence.tokens, typ, a, b)
                    for typ, a, b in spans(next(tags))
                    if not _is_date_month(sentence.tokens, a, b)
                ]
                named = [span for span in candidates if span is not None]
                if not named:
                    continue
                offsets = sentence.offsets(text)
                for kind, a, b in named:
                    start, end = offsets[a][0], offsets[b - 1][1]
                    name = display_name(text[start:end], kind)
                    if name:
                        found.append(
                            {"start": start, "end": end, "facet": kind, "name": name, "key": entity_key(name, kind)}
                        )
            results.append(found)
        return results

    def __call__(self, article: Article) -> dict[str, Any]:
        return self.extract_batch([article])[0]

    def extract_batch(self, articles: list[Article]) -> list[dict[str, Any]]:
        fields = [
            (field, text)
            for article in articles
            for field, text in (("title", article.title or ""), ("body", article.body or ""))
        ]
        named = self._named([text for _, text in fields])
        results = []
        for i in range(0, len(fields), 2):
            mentions: list[dict[str, Any]] = []
            docs = [NormalizedText(text) for _, text in fields[i : i + 2]]
            dialect = in_dialect([w for doc in docs for w in doc.toks])
            for (field, text), tagged, doc in zip(fields[i : i + 2], named[i : i + 2], docs, strict=True):
                found = find_countries(text, doc)
                found += home_kingdom_mentions(text, doc, articles[i // 2].source)
                countries, people = reconcile(
                    text, found, [m for m in tagged if m["facet"] == "person"], _person_name, name_words()
                )
                tagged = people + [m for m in tagged if m["facet"] != "person"]
                for c in countries:
                    mentions.append(
                        {
                            "facet": "country",
                            "field": field,
                            "start": c.start,
                            "end": c.end,
                            "key": c.key,
                            "name": c.surface,
                            "demonym": c.kind == "demonym",
                        }
                    )
                known = self.gazetteer.find(text, doc)
                built = find_org_names(text, doc)
                # a known name inside a longer official name is part of it (مركز الملك سلمان للإغاثة)
                known = [k for k in known if not any(s <= k[0] and k[1] <= e and (s, e) != k[:2] for s, e in built)]
                # … and so is a known person's name that the tagger reads on into a family name
                # («عبدالله بن عبدالعزيز الربيعة» is not King Abdullah)
                known = [k for k in known if not (k[2] == "person" and _family_name_after(text, k[1], tagged))]
                for start, end, kind, key, label, weak in known:
                    if kind is not None:
                        mentions.append(
                            {
                                "facet": kind,
                                "field": field,
                                "start": start,
                                "end": end,
                                "key": key,
                                "name": label,
                                "weak": weak,
                            }
                        )
                taken = [(s, e) for s, e, *_ in known]
                # names in quotes, then names by construction (search.entities.org_names)
                for start, end, surface in [*find_quoted_orgs(text), *((s, e, text[s:e]) for s, e in built)]:
                    name = display_name(surface, "org")
                    if name and not _overlaps(start, end, taken):
                        mentions.append(
                            {
                                "facet": "org",
                                "field": field,
                                "start": start,
                                "end": end,
                                "key": entity_key(name, "org"),
                                "name": name,
                            }
                        )
                        taken.append((start, end))
                for m in tagged:
                    if field == "body" and _is_byline(text, m):
                        continue
                    person = _dialect_person(m) if dialect else m
                    if person is not None and not _overlaps(person["start"], person["end"], taken):
                        mentions.append({**person, "field": field})
                _drop_outlet_nationalities(text, field, mentions)
            results.append(self._facets(mentions))
        return results

    def _facets(self, mentions: list[dict[str, Any]]) -> dict[str, Any]:
        strong = {m["key"] for m in mentions if not m.get("weak")}
        mentions[:] = [m for m in mentions if not m.get("weak") or m["key"] in strong]
        self._merge_surnames(mentions)
        self._merge_clitic_forms(mentions)
        self._drop_lone_first_names(mentions)
        keys: dict[str, Counter] = {"country": Counter(), "person": Counter(), "org": Counter()}
        labels: dict[str, Counter] = {}
        kept = []
        for m in mentions:
            if m["facet"] != "country":
                key = self.overrides.resolve(m["facet"], m["key"])
                if key is None:
                    continue
                m["key"] = key
                labels.setdefault(f"{m['facet']}:{key}", Counter())[m["name"]] += 1
            keys[m["facet"]][m["key"]] += 1
            kept.append(m)
        return {
            **{facet: [k for k, _ in counts.most_common()] for facet, counts in keys.items()},
            "mentions": [[m["facet"], m["key"], m["field"], m["start"], m["end"]] for m in kept],
            "labels": {ref: counts.most_common(1)[0][0] for ref, counts in labels.items()},
        }

    def _drop_lone_first_names(self, mentions: list[dict[str, Any]]) -> None:
        """A one-word person name seen once (فهد, مهدي), or a common first name alone however
        often (محمد، عبدالله), is too vague for a facet value, unless it is a known alias; a rarer
        name stays when the article repeats it (ماكرون, السبسي)."""
        single = Counter(m["key"] for m in mentions if m["facet"] == "person" and "-" not in m["key"])
        known = {key for key, _ in self.overrides.aliases.values()}

        def vague(m: dict[str, Any]) -> bool:
            return (
                m["facet"] == "person"
                and m["key"] in single
                and m["key"] not in known
                and (single[m["key"]] == 1 or normalize_token(m["name"]) in _COMMON_FIRST_NAMES)
            )

        mentions[:] = [m for m in mentions if not vague(m)]

    @staticmethod
    def _merge_clitic_forms(mentions: list[dict[str, Any]]) -> None:
        """An organization the tagger read with its proclitic («لمانشستر يونايتد», «وسان جيرمان»)
        is the one the same article names without it."""
        orgs = {m["key"]: m["name"] for m in mentions if m["facet"] == "org"}
        for m in mentions:
            if m["facet"] != "org":
                continue
            for clitic in PROCLITICS:
                bare = m["key"][len(clitic) :]
                if m["key"].startswith(clitic) and bare in orgs:
                    m["key"], m["name"] = bare, orgs[bare]
                    break

    @staticmethod
    def _merge_surnames(mentions: list[dict[str, Any]]) -> None:
        """A bare surname seen with the full name in the same article is that person; so is a
        bare first name, when the article names only one person with it («قال سلمان» after «الملك
        سلمان بن عبدالعزيز»)."""
        full: dict[str, tuple[str, str]] = {}
        firsts: dict[str, dict[str, str]] = {}
        for m in mentions:
            if m["facet"] == "person" and "-" in m["key"]:
                full.setdefault(last_word_key(m["key"]), (m["key"], m["name"]))
                firsts.setdefault(m["key"].split("-", 1)[0], {}).setdefault(m["key"], m["name"])
        for m in mentions:
            if m["facet"] == "person" and "-" not in m["key"]:
                if m["key"] in full:
                    m["key"], m["name"] = full[m["key"]]
                elif len(firsts.get(m["key"], ())) == 1:
                    m["key"], m["name"] = next(iter(firsts[m["key"]].items()))


def make_extractor() -> EntityExtractor:
    return EntityExtractor()
