"""Country mentions in Arabic news text, keyed by ISO 3166-1 alpha-2 (`US`, `KW`, `PS`; `XK` for
Kosovo, as in CLDR).

A country is found from its names and their variants and run-on forms (الولاياتالمتحدة), from
its demonyms in every form (الأمريكي، الأمريكية، الأميركيون، الأمريكيين، المصريتين), and from
capitals and major cities that stand for it (واشنطن تحض… → US). The gazetteer is package data
(`data/countries.json`, compiled by `scripts/build_country_gazetteer.py`, provenance in
`data/COUNTRIES.md`).

Matching
--------
Lookups are dictionary lookups on normalized tokens (`search.arabic.normalize`: alef forms,
ى/ي, ة/ه, harakat and tatweel folded), longest match first over token sequences, so
امريكا/أميركا/أمريكا, سوريا/سورية, السعوديه/السعودية all match, and «الولايات المتحدة الأمريكية»
is one mention, not a name plus a demonym. Tokens of a multi-word form must be separated by
spaces (or a hyphen) only, never by punctuation.

Proclitics و ف ب ل ك (and وب ول وك فب فل فك, and لل/ولل/فلل before an article:
للسعودية = ل + السعودية) are stripped only when the whole token is not itself a known form and
the remainder is: بريطانيا, بلجيكا, لبنان, ليبيا, كندا, كوبا, فرنسا, فلسطين… are never cut.
When both readings are known forms of different countries (وجدة: Oujda, or «و + جدة» Jeddah),
the document decides: the country otherwise mentioned wins, and neither is kept when the
document mentions neither (وجدة is also «and a grandmother»).
Offsets are into the original text; a stripped clitic is outside the mention (وبريطانيا →
«بريطانيا»), except for لل where the article's lam is fused (للسعودية → the whole token).

Disambiguation rules (each checked against the corpus in ../shared/corpus)
--------------------------------------------------------------------------
* Regions and phrases are matched and dropped (longest match): أمريكا اللاتينية/الجنوبية/
  الشمالية/الوسطى, القارة الأمريكية, الأمريكيتين, المغرب العربي/الكبير/الإسلامي, بلاد المغرب,
  صلاة/أذان المغرب, المحيط الهندي, التمر الهندي, بني إسرائيل, القدس العربي (newspaper),
  فيلق القدس, جنة عدن, الرباط الصليبي (ligament), سوسة النخيل (weevil), كوبا أمريكا (football),
  نصف قطر (radius)… Regions (الخليج، أوروبا، أفريقيا، الشام) are not keyed at all, nor is bare
  «المملكة»: Saudi outlets use it for Saudi Arabia, but it also means any kingdom, and Saudi
  articles name the country anyway.
* المغرب (Morocco) vs the sunset prayer: dropped after صلاة/أذان/موعد/وقت/قبيل/عقب/إفطار…,
  before والعشاء/العربي/الكبير/الإسلامي, and after المشرق.
* مالي is far more often the adjective "financial" than Mali. It counts as ML only with a strong
  local signal (جمهورية/دولة/شمال/جنوب/وسط/غرب/شرق/عاصمة/رئيس/حكومة مالي, or directly next to
  another country in a list: «ليبيا ومالي»), or, when the document has such a signal or names
  باماكو/تمبكتو, after a preposition (في/إلى/من/مع/عن/ضد…) or with a clitic (لمالي، بمالي).
  The demonym forms (المالي، المالية، الماليين…) count only in such a document and only after
  الجيش/الرئيس/القوات/الحكومة/السلطات/الجنود/الشعب/المتمردين. The same "strong signal or
  country already in the document" guard applies to other forms that are everyday words in
  some contexts: بنين (boys), كابل (cable, also Kabul), درعا (shield, also Daraa), الرقة
  (delicacy, also Raqqa), صيدا (prey, also Sidon), ليون (also the UN envoy Bernardino León),
  بليز (Blaise), غوام (the GUAM organization), أروبا (Maghreb spelling of Europe), سرت, سبها,
  باكو, دكا, برن, بوتان.
* Definite masculine demonyms double as family names (سعد بن رحيل السويدي، محمد المصري): dropped
  after «بن/بنت X» and after a short list of common first names.
* اليمني / يمنى: after normalization «اليمنى» (the right hand/side) equals «اليمني» (Yemeni),
  and «مجرى» (stream, course) equals «مجري» (Hungarian). A form whose original spelling ends in
  ى counts only for Yemen and only after a masculine head noun (الرئيس اليمنى, Egyptian
  spelling); «مجريات الأحداث» and bare «مجري» are excluded from Hungarian.
* تركي (Turkish) is also a very common Saudi first name: dropped after titles (الأمير، الدكتور،
  الشيخ…) and بن, and before بن/آل or a family name (تركي الفيصل).
* مصر is dropped in «(إنه|هو|…) مصر على» (مُصِرّ, "insists on").
* مسقط is dropped in «مسقط رأسه» (birthplace); جدة/بريدة must be spelled with ة (جده = his
  grandfather, بريده = his mail); مأرب written مآرب (ulterior motives) and فاس written فأس (axe)
  are dropped; ينبع before من is the verb "stems from".
* عمان: Oman or Amman (Jordan). Oman with «سلطنة عمان», «سلطان عمان» or the spelling عُمان;
  Amman (JO, kind "city") with the spelling عمّان, after «العاصمة الأردنية», in «أمانة عمان»,
  before «الأردنية», «بالأردن», «في الأردن». A member of a coordinated list (joined by و or a
  comma) next to a country's name is Oman («الأردن ومصر والكويت وعمان وقطر»), next to a city
  outside the Gulf Amman («بيروت ودمشق وعمان»); Gulf cities say nothing («خامي عمان ودبي»).
  Otherwise the document decides: Amman if it mentions Jordan (الأردن، أردني، إربد…) more than
  Oman (مسقط، عماني، صلالة…), Oman otherwise — including when it mentions neither, which in this
  corpus is mostly Gulf lists and Gulf news. «خليج عمان», «بحر عمان» (a sea) are neither.
* طرابلس: Libya by default; Lebanon with «طرابلس الشام», «طرابلس اللبنانية», «شمال لبنان», or when
  the document mentions Lebanon more than Libya.
* القدس → PS (Arabic news uses it almost only in the Palestinian context: the occupied city, the
  Aqsa; UN resolutions treat East Jerusalem as occupied Palestinian territory); «القدس الغربية»
  → IL. رام الله، غزة، قطاع غزة، الضفة الغربية → PS (kind "city": places that stand for the
  country). تل أبيب → IL.
* Venues of international organizations are not mapped: جنيف، فيينا، نيويورك، لاهاي، لوزان،
  كامب ديفيد — «محادثات جنيف» is about Syria or Yemen, not Switzerland. بروكسل → BE (EU is not
  an ISO 3166-1 country; the EU reading is noted in COUNTRIES.md).
* The language reading of a feminine demonym is dropped: «اللغة الفرنسية», «باللغة التركية»,
  «بالإنجليزية/بالفرنسية» (ب + feminine demonym). English (إنجليزي) is never a demonym key;
  إنجلترا/إسكتلندا/ويلز → GB.
* Bare «كوريا/كوري» → KR (the North is almost always qualified); bare «الكونغو» → CD.

Speed (≈4,000–5,800 articles/s on one core over ../shared/corpus): the text is normalized in
one pass and split into words (`search.entities.normalized_text`); only tokens that can start
a form are looked up further, and character offsets are computed only for tokens that take part
in a match.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from search.arabic import normalize
from search.entities.first_names import COMMON_FIRST_NAMES
from search.entities.first_names import NASAB as _NASAB
from search.entities.normalized_text import NormalizedText

__all__ = [
    "CountryMention",
    "find_countries",
    "is_demonym",
    "is_place_name",
    "country_labels",
    "search_country_keys",
    "article_countries",
    "all_country_keys",
]

DATA_PATH = Path(__file__).resolve().parent / "data" / "countries.json"


@dataclass(frozen=True, slots=True)
class CountryMention:
    key: str  # ISO 3166-1 alpha-2
    start: int  # offsets into the original text: text[start:end] == surface
    end: int
    surface: str
    kind: str  # "name" | "demonym" | "city"
    city: str | None = None  # canonical city name for kind == "city"


# --------------------------------------------------------------------------------------------
# Rule vocabulary (written in plain spelling, normalized at load)
# --------------------------------------------------------------------------------------------


def _n(words: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in words.split())


_CLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك")
_LL = (("لل", 0), ("ولل", 1), ("فلل", 1))  # prefix, chars of it outside the mention

_MAGHRIB_PREV = _n(
    "صلاة لصلاة وصلاة بصلاة أذان آذان وأذان لأذان موعد وقت قبيل عقب بعيد إفطار صلاتي صلاتا فريضة المشرق والمشرق مشرق"
)
_MAGHRIB_NEXT = _n("والعشاء العربي الكبير الإسلامي والمشرق")
_MISR_INSIST_PREV = _n(
    "إنه أنه هو وهو فهو أنا إنني انني إني أنت لأنه لكنه فإنه بأنه وإنه الجميع مازال ولازال لازال يزال"
)
_TURKI_PREV = _n(
    "الأمير والأمير للأمير بالأمير سمو الشيخ الدكتور د الإمام الأستاذ المهندس "
    "اللواء الركن العميد العقيد المقدم الرائد النقيب الفريق بن ابن أبو أبي الزميل "
    "الشاعر الفنان اللاعب المواطن الكاتب المدرب الحارس السيد"
)
_TURKI_NEXT = _n("بن ابن آل ال")
_YE_MASC_HEADS = _n(
    "الرئيس الجيش الشعب الوزير النظام الجانب المبعوث الوفد الشأن المواطن "
    "الدستور الأمن الحوار المخلوع السفير الملف البرلمان الاقتصاد الريال الصراع "
    "الشباب الطيران الداخل الساحل الرئاسي الإعلامي الجنوب الشمال الشارع "
    "المنتخب الدوري الفريق الحوثي"
)
_LANG_PREV = _n("اللغة باللغة للغة واللغة لغة بلغة اللغتين اللغات اللهجة باللهجة")
_ML_STRONG_PREV = _n(
    "جمهورية دولة شمال جنوب وسط غرب شرق شمالي جنوبي عاصمة رئيس حكومة بجمهورية بدولة بشمال بجنوب وشمال وجنوب لشمال"
)
_ML_WEAK_PREV = _n("في إلى الى من مع عن ضد داخل نحو بين و منتخب مباراة أمام")
_ML_DEMONYM_PREV = _n("الجيش القوات الحكومة السلطات الجنود الشعب المتمردين المتمردون الرئيس العسكريين الجنديين")
_AMMAN_PREV2 = (normalize("العاصمة"), normalize("الأردنية"))
_AMMAN_PREV = _n("أمانة لأمانة بأمانة وأمانة")
_OMAN_PREV = _n("سلطان لسلطان سلطنة بسلطنة لسلطنة وسلطنة")
_AMMAN_NEXT = _n("الأردنية بالأردن")  # «عمان الأردنية», «عمان بالأردن», and «عمان في الأردن»
_IN = normalize("في")
_JORDAN = normalize("الأردن")
_GULF = frozenset({"AE", "BH", "KW", "OM", "QA", "SA"})
_TRIPOLI_LB_NEXT = _n("الشام اللبنانية")
_TRIPOLI_LY_NEXT = _n("الغرب الليبية")
_DARAA_NEXT_PREFIX = normalize("تذكاري")
_YANBU_NEXT = _n("من منه منها")

# Forms that are everyday words in some contexts: counted only with a strong local signal
# (for ML, handled separately) or when the document otherwise mentions the same country.
_GUARDED = _n("مالي بنين كابل درعا الرقة صيدا سرت سبها باكو دكا برن بوتان ليون بليز غوام أروبا نيوي")
# Definite masculine demonyms are also family names (سعد بن رحيل السويدي، محمد المصري): such a
# form is dropped after «بن/بنت + name» or after a common first name. (علي is left out: after
# normalization it is also the preposition على; the list is in search.entities.first_names.)
_FIRST_NAMES = COMMON_FIRST_NAMES - {normalize("علي")}

# Forms that must be spelled with ة in the original (ه is a pronoun suffix: جده his grandfather).
_TEH_REQUIRED = _n("جدة بريدة وجدة")
# Forms dropped when the original spelling carries this hamza (مآرب motives, فأس axe).
_HAMZA_TRAPS = {normalize("مأرب"): "آ", normalize("فاس"): "أ"}
# Normalized forms whose original spelling with final ى is another word.
_MAKSURA_TRAPS = {
    normalize("يمني"): "YE",
    normalize("اليمني"): "YE",
    normalize("مجري"): "HU",
    normalize("المجري"): "HU",
}
_OMAN = normalize("عمان")
_TRIPOLI = normalize("طرابلس")
_MALI = normalize("مالي")
_MAGHRIB = normalize("المغرب")
_MISR = normalize("مصر")
_ALA = normalize("على")
_NORTH = normalize("شمال")
_LEBANON = normalize("لبنان")
_TURKI = normalize("تركي")
_MUSCAT = normalize("مسقط")
_RAS = normalize("رأس")
_YANBU = normalize("ينبع")
_DARAA = normalize("درعا")


# --------------------------------------------------------------------------------------------
# Gazetteer
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Form:
    key: str | None  # None: a blocked phrase (matched, then dropped)
    kind: str  # name | demonym | city | blocked
    city: str | None
    norm: str  # normalized form, tokens joined by one space


class _Gazetteer:
    def __init__(self, data: dict):
        self.labels: dict[str, tuple[str, str | None]] = {}
        self.search_terms: dict[str, set[str]] = {}
        self.forms: dict[tuple[str, ...], _Form] = {}
        self.max_len: dict[str, int] = {}
        self.collisions: list[tuple[str, str, str]] = []

        def add(form: str, key: str | None, kind: str, city: str | None = None) -> None:
            toks = tuple(normalize(form).split())
            if not toks:
                return
            old = self.forms.get(toks)
            if old is not None:
                # Blocked phrases win; otherwise the first (names before demonyms before cities).
                if old.key != key and kind != "blocked" and old.kind != "blocked":
                    self.collisions.append((" ".join(toks), str(old.key), str(key)))
                if kind != "blocked":
                    return
            self.forms[toks] = _Form(key, kind, city, " ".join(toks))
            self.max_len[toks[0]] = max(self.max_len.get(toks[0], 0), len(toks))

        for key, entry in data["countries"].items():
            self.labels[key] = (entry["ar"], entry.get("en"))
            terms = self.search_terms.setdefault(key, set())
            for text in [entry["ar"], entry.get("en") or "", key, *entry.get("en_aliases", ()), *entry["names"]]:
                if text:
                    terms.add(normalize(text).strip())
            for form in entry["names"]:
                add(form, key, "name")
        for key, entry in data["countries"].items():
            for form in entry.get("demonyms", ()):
                add(form, key, "demonym")
        for canonical, (key, *variants) in data["cities"].items():
            for form in [canonical, *variants]:
                add(form, key, "city", canonical)
        for phrase in data["blocked"]:
            add(phrase, None, "blocked")

        # First-token index, with clitic-prefixed variants: token -> [(cut, base first token)].
        first: dict[str, list[tuple[int, str]]] = {}
        bases = list(self.max_len)
        for base in bases:
            first.setdefault(base, []).append((0, base))
        for base in bases:
            if len(base) < 2:
                continue
            for clitic in _CLITICS:
                first.setdefault(clitic + base, []).append((len(clitic), base))
            if base.startswith("ال") and len(base) > 3:
                for prefix, cut in _LL:
                    first.setdefault(prefix + base[2:], []).append((cut, base))
        # whole token first, then the shortest clitic
        self.first = {tok: sorted(c, key=lambda x: (x[1] != tok, x[0])) for tok, c in first.items()}


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    return _Gazetteer(json.loads(DATA_PATH.read_text("utf-8")))


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Raw:
    form: _Form
    i: int  # first token index
    j: int  # last token index + 1
    start: int
    end: int
    cut: int  # normalized chars of clitic cut from the first token
    alt: _Form | None = None  # other reading (clitic stripped) with another key
    alt_start: int = 0
    pending: str | None = None  # name of a document-level resolver


def _match(doc: NormalizedText, gz: _Gazetteer) -> list[_Raw]:
    out: list[_Raw] = []
    toks = doc.toks
    n = len(toks)
    first, max_len, forms = gz.first, gz.max_len, gz.forms
    candidates = [i for i, t in enumerate(toks) if t in first]
    skip_to = 0
    for i in candidates:
        if i < skip_to:
            continue  # inside the previous match
        whole = stripped = None  # (cut, length, form)
        for cut, base in first[toks[i]]:  # the whole token (cut 0) comes first
            if whole is not None and cut == 0:
                continue
            for length in range(min(max_len[base], n - i), 0, -1):
                form = forms.get((base, *toks[i + 1 : i + length]) if length > 1 else (base,))
                if form is None:
                    continue
                if length > 1 and not doc.joined(i, i + length):
                    continue
                if cut == 0:
                    whole = (cut, length, form)
                else:
                    stripped = (cut, length, form)
                break
            if stripped is not None:
                break
        best = whole or stripped
        if best is None:
            continue
        cut, length, form = best
        start, end = doc.original_span(i, i + length, cut)
        raw = _Raw(form, i, i + length, start, end, cut)
        if whole is not None and stripped is not None:
            alt_cut, alt_len, alt = stripped
            if alt_len == length and alt.key and form.key and alt.key != form.key:
                raw.alt = alt
                raw.alt_start = doc.original_span(i, i + 1, alt_cut)[0]
        out.append(raw)
        skip_to = i + length
    return out


def _prev(toks: list[str], i: int, k: int = 1) -> str:
    return toks[i - k] if i - k >= 0 else ""


def _next(toks: list[str], j: int) -> str:
    return toks[j] if j < len(toks) else ""


def _local_rules(text: str, toks: list[str], raw: _Raw) -> bool:
    """Apply the context rules that need only neighbouring tokens. Returns False to drop the
    mention; may set `raw.pending` for document-level resolution."""
    if _dropped(text, toks, raw):
        return False
    raw.pending = _pending(text, toks, raw)
    return raw.pending != "drop"


def _dropped(text: str, toks: list[str], raw: _Raw) -> bool:
    form = raw.form
    norm = form.norm
    surface = text[raw.start : raw.end]
    prev, nxt = _prev(toks, raw.i), _next(toks, raw.j)
    if norm in _MAKSURA_TRAPS and surface.rstrip().endswith("ى"):
        return not (_MAKSURA_TRAPS[norm] == "YE" and prev in _YE_MASC_HEADS)
    if norm == _MAGHRIB:
        return prev in _MAGHRIB_PREV or nxt in _MAGHRIB_NEXT
    if norm == _MISR:
        return nxt == _ALA and prev in _MISR_INSIST_PREV
    if norm == _TURKI:
        return prev in _TURKI_PREV or nxt in _TURKI_NEXT or (nxt.startswith("ال") and len(nxt) > 3 and raw.cut == 0)
    if norm == _MUSCAT:
        return nxt.startswith(_RAS)
    if norm == _YANBU:
        return nxt in _YANBU_NEXT
    if norm == _DARAA:
        return nxt.startswith(_DARAA_NEXT_PREFIX)
    if norm in _TEH_REQUIRED:
        return not surface.endswith("ة")
    trap = _HAMZA_TRAPS.get(norm)
    if trap and trap in surface:
        return True
    if form.kind == "demonym" and norm.startswith("ال"):
        if norm.endswith("ي") and raw.cut == 0 and (prev in _FIRST_NAMES or _prev(toks, raw.i, 2) in _NASAB):
            return True  # a family name
        if norm.endswith("يه"):
            if prev in _LANG_PREV:
                return True  # اللغة الفرنسية
            if raw.cut and toks[raw.i][: raw.cut].endswith("ب") and form.key != "ML":
                return True  # بالفرنسية: "in French"
    return False


def _pending(text: str, toks: list[str], raw: _Raw) -> str | None:
    """How the document decides: None (keep as is), "XX!" (keep, as country XX), "drop", or the
    name of a document-level rule."""
    form = raw.form
    norm = form.norm
    prev, nxt = _prev(toks, raw.i), _next(toks, raw.j)
    if norm == _OMAN:
        surface = unicodedata.normalize("NFD", text[raw.start : raw.end])
        if "\u0651" in surface:  # عمّان
            return "JO!"
        if "\u064f" in surface or prev in _OMAN_PREV:  # عُمان, سلطنة عمان
            return "OM!"
        if prev in _AMMAN_PREV or (prev == _AMMAN_PREV2[1] and _prev(toks, raw.i, 2).endswith(_AMMAN_PREV2[0])):
            return "JO!"  # العاصمة الأردنية عمان
        if nxt in _AMMAN_NEXT or (nxt == _IN and _next(toks, raw.j + 1) == _JORDAN):
            return "JO!"  # عمان في الأردن
        return "oman"
    if norm == _TRIPOLI:
        if nxt in _TRIPOLI_LB_NEXT or (nxt == _NORTH and _next(toks, raw.j + 1) == _LEBANON):
            return "LB!"
        if nxt in _TRIPOLI_LY_NEXT:
            return "LY!"
        return "tripoli"
    if form.key == "ML" and form.kind == "demonym":
        return "ml-demonym" if prev in _ML_DEMONYM_PREV else "drop"
    if norm == _MALI:
        if prev in _ML_STRONG_PREV:
            return "ML!"
        if raw.cut or prev in _ML_WEAK_PREV or not prev:
            return "ml-weak"
        return "ml-list"  # kept only when it sits in a list of countries
    if norm in _GUARDED:
        return "guarded"
    if raw.alt is not None:
        return "alt"
    return None


# What stands between two members of a list: «و» (the clitic of the next member, or a word of its
# own), a comma, or both («الكويت وعمان», «المغرب، عمان»).
_LIST_GAPS = frozenset({"و", ",", "،", "، و", "،و", ", و", ",و"})


def _list_neighbour_kind(text: str, raw: _Raw, by_end: dict[int, _Raw], by_start: dict[int, _Raw]) -> str | None:
    """ "name" when `raw` is a member of a coordinated list and a neighbour joined to it is a
    country's name, else "city" when one is a city outside the Gulf, else None. A hyphen or a
    space alone makes no list: «عمان - الأردن» is a dateline. Gulf cities are listed with Oman
    the country («خامي عمان ودبي», «أسواق دبي وعمان»), so they say nothing about Amman."""
    kinds = set()
    before, after = by_end.get(raw.i), by_start.get(raw.j)
    joined = [before] if before is not None and text[before.end : raw.start].strip() in _LIST_GAPS else []
    if after is not None and text[raw.end : after.start].strip() in _LIST_GAPS:
        joined.append(after)
    for other in joined:
        if other.form.kind == "name" or other.form.key not in _GULF:
            kinds.add(other.form.kind)
    return "name" if "name" in kinds else "city" if "city" in kinds else None


def _resolve(raws: list[_Raw], text: str = "") -> list[tuple[_Raw, str, _Form]]:
    """Document-level resolution of the pending mentions → (raw, key, form used)."""
    counts: Counter[str | None] = Counter()
    for r in raws:
        if r.pending is None:
            counts[r.form.key] += 1
        elif r.pending.endswith("!"):
            counts[r.pending[:-1]] += 1
    # A country in a list: directly adjacent (in tokens) to another country *name*.
    ends = {r.j for r in raws if r.form.kind == "name"}
    starts = {r.i for r in raws if r.form.kind == "name"}
    by_end = {r.j: r for r in raws if r.form.kind in ("name", "city")}
    by_start = {r.i: r for r in raws if r.form.kind in ("name", "city")}

    out = []
    for r in raws:
        p = r.pending
        key, form = r.form.key, r.form
        if p is None:
            pass
        elif p.endswith("!"):
            key = p[:-1]
        elif p in ("ml-weak", "ml-list"):
            in_list = r.i in ends or r.j in starts
            if not (in_list or (p == "ml-weak" and counts["ML"])):
                continue
        elif p == "ml-demonym":
            if not counts["ML"]:
                continue
        elif p == "guarded":
            if not (counts[key] or r.i in ends or r.j in starts):
                continue
        elif p == "oman":
            listed = _list_neighbour_kind(text, r, by_end, by_start)
            if listed == "name":
                key = "OM"  # «الأردن ومصر والكويت وعمان وقطر»: a country among countries
            elif listed == "city":
                key = "JO"  # «في مصر وبيروت ودمشق وعمان»: a capital among capitals
            else:
                key = "JO" if counts["JO"] > counts["OM"] else "OM"
        elif p == "tripoli":
            key = "LB" if counts["LB"] > counts["LY"] else "LY"
        elif p == "alt":  # وجدة: Oujda if Morocco is in the document, else «و + جدة» if Saudi
            assert r.alt is not None  # Arabia is, else neither ("and grandmother")
            if not counts[form.key]:
                if not counts[r.alt.key]:
                    continue
                key, form = r.alt.key, r.alt
                r.start = r.alt_start
        if key is not None:  # (blocked phrases, the only forms without a key, are gone already)
            out.append((r, key, form))
    return out


def find_countries(text: str, doc: NormalizedText | None = None) -> list[CountryMention]:
    """Country mentions in `text`, in text order, with offsets into the original text.
    `doc` is `NormalizedText(text)` when the caller already has it."""
    if not text:
        return []
    gz = _gazetteer()
    doc = doc or NormalizedText(text)
    toks = doc.toks
    raws = [r for r in _match(doc, gz) if r.form.key is not None and _local_rules(text, toks, r)]
    mentions = []
    for r, key, form in _resolve(raws, text):
        kind, city = form.kind, form.city
        if form.norm == _OMAN and key == "JO":
            kind, city = "city", "عمّان"
        elif form.norm == _TRIPOLI:
            city = "طرابلس"
        mentions.append(
            CountryMention(key, r.start, r.end, text[r.start : r.end], kind, city if kind == "city" else None)
        )
    return mentions


def article_countries(title: str | None, body: str | None) -> list[tuple[str, int]]:
    """Facet values for one article: (ISO2, mention count), most mentioned first.
    Title and body are read together so that document-level rules see the whole article."""
    text = (title or "") + "\n\n" + (body or "")
    counts = Counter(m.key for m in find_countries(text))
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


# --------------------------------------------------------------------------------------------
# Labels and the facet filter box
# --------------------------------------------------------------------------------------------


def is_demonym(word: str) -> bool:
    """Is the normalized word a demonym of some country (العراقي، الألمانية، السعوديين)?"""
    form = _gazetteer().forms.get((word,))
    return form is not None and form.kind == "demonym" and form.key is not None


def is_place_name(word: str) -> bool:
    """Is the normalized word, alone, the name of a country or a city the gazetteer knows (جدة،
    تبوك، دبي، مصر)? Guarded everyday words (مالي، كابل) are not."""
    form = _gazetteer().forms.get((word,))
    return form is not None and form.kind in ("name", "city") and form.key is not None and word not in _GUARDED


def country_labels(key: str) -> tuple[str, str | None]:
    """(Arabic label, English label) for an ISO2 key; unknown keys come back as (key, None)."""
    return _gazetteer().labels.get((key or "").upper(), (key, None))


def all_country_keys() -> list[str]:
    return sorted(_gazetteer().labels)


def _strip_article(term: str) -> str:
    return term[2:] if term.startswith("ال") and len(term) > 3 else term


def search_country_keys(text: str) -> list[str]:
    """Keys whose Arabic or English label, name variant or alias matches a filter string
    ("Kuwait", "kuw", "الكويت", "كويت", "KW"): exact matches first, then word-prefix matches."""
    q = normalize(text or "").strip().strip(".")
    if not q:
        return []
    gz = _gazetteer()
    q_bare = _strip_article(q)
    exact, prefix = [], []
    for key, terms in gz.search_terms.items():
        rank = None
        for term in terms:
            bare = _strip_article(term)
            if q == term or q_bare == bare:
                rank = 0
                break
            words = term.split()
            if (
                term.startswith(q)
                or bare.startswith(q_bare)
                or any(w.startswith(q) or _strip_article(w).startswith(q_bare) for w in words[1:])
            ):
                rank = 1 if rank is None else rank
        if rank == 0:
            exact.append(key)
        elif rank == 1:
            prefix.append(key)
    if not exact and not prefix:
        # A demonym typed in the box (كويتي، الأمريكية) finds its country too.
        form = gz.forms.get(tuple(q.split()))
        if form is not None and form.key:
            exact.append(form.key)
    return sorted(exact) + sorted(prefix)


@lru_cache(maxsize=1)
def _terms_index() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Every search term of every country, and the same term without its article -> keys."""
    whole: dict[str, set[str]] = {}
    bare: dict[str, set[str]] = {}
    for key, terms in _gazetteer().search_terms.items():
        for term in terms:
            whole.setdefault(term, set()).add(key)
            bare.setdefault(_strip_article(term), set()).add(key)
    return whole, bare


def country_keys_named(text: str) -> list[str]:
    """The countries a text names ("Kuwait", "الكويت", "كويت", "كويتي", "KW"): the exact matches
    of `search_country_keys`, by lookup instead of a scan (the search box asks for every letter)."""
    q = normalize(text or "").strip().strip(".")
    if not q:
        return []
    whole, bare = _terms_index()
    keys = whole.get(q, set()) | bare.get(_strip_article(q), set())
    if not keys:
        form = _gazetteer().forms.get(tuple(q.split()))
        if form is not None and form.key:
            keys = {form.key}
    return sorted(keys)
