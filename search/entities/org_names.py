"""Names of official bodies and organizations found by their Arabic construction, not by a list.

The tagger cuts or misses long official names (الهيئة العامة للسياحة والتراث الوطني, وزارة
العلاقة مع الهيئات الدستورية …): they are rare as wholes, but built one way. An organization
name here is a *head noun* of an organization type followed by its complements:

* an indefinite head in construct with a definite noun: وزارة الداخلية، مجلس الشورى، بلدية
  العيون، جبهة النصرة، هيئة الهلال الأحمر السعودي (also after a clitic: بوزارة، لهيئة، وجمعية);
* or a definite head with an adjective, when the name has at least three words: الهيئة العامة
  للطيران المدني، المجلس الأعلى للقضاء، الاتحاد العام التونسي للشغل — or two, a national body
  and a country's demonym: البرلمان العراقي (other two-word ones such as «الشركة اليابانية»,
  «التنظيم الإرهابي» are descriptions far more often than names);
* a head whose complement is itself a definite head is a part of that body (مجلس إدارة الشركة
  الوطنية…, إدارة النادي): the name is the inner one;
* after the first complement, only what extends a name: adjectives (nisba -ي/-ية and a few
  others: العام، الأعلى، المتحدة …), «لل…»/«وال…» complements (للسياحة والتراث) and a few
  «ل + noun» ones in construct (لشؤون الزراعة، لكرة القدم، لحقوق الإنسان); a royal title
  takes the name that follows (مركز الملك سلمان للإغاثة، جامعة الملك سعود).

So a name stops before a verb, a preposition, a person's title (وزارة الداخلية اللواء …) or a
verbal noun (قرر مجلس الوزراء الموافقة → «مجلس الوزراء»); after a deputy's title, before the
deputy's remit (وكيل وزارة الصحة للخدمات العلاجية → «وزارة الصحة»). Generic phrases with the same shape
(مجلس الإدارة، هيئة التدريس، غرفة العمليات، حركة المرور) are listed in `GENERIC` — reviewed by
hand from the most frequent matches over ../shared/corpus (`arshif entities --top` shows what an
archive produces; editors block the rest in the overrides file).
"""

from __future__ import annotations

from search.arabic import normalize_token
from search.entities.countries import is_demonym, is_place_name
from search.entities.normalized_text import PROCLITICS, NormalizedText

MAX_WORDS = 8


def _norm_set(words: str) -> frozenset[str]:
    return frozenset(normalize_token(w) for w in words.split())


HEADS = _norm_set("""
وزارة هيئة جمعية بلدية مجلس وكالة لجنة محكمة ديوان جبهة حزب حركة شركة مؤسسة جامعة مركز
منظمة اتحاد نادي مصرف بنك صندوق مستشفى معهد كلية رابطة جماعة مفوضية أمانة غرفة مجمع
إدارة نقابة برلمان مكتبة أكاديمية منتدى حرس مرصد
""")
# Not heads, though some names start with them: حركة (حركة المرور، حركة الأسعار), مصلحة (مصلحة
# البلدين), سلطة (سلطة القانون), دائرة (دائرة الفقر) are everyday words far more often; the
# known ones (حركة حماس، حركة فتح) are aliases, and the tagger finds others.


def _head_forms() -> dict[str, tuple[int, bool]]:
    """Every written form of a head: token -> (clitic length, definite). وبوزارة = وب + وزارة;
    للهيئة = ل + الهيئة, kept whole (the article's alef is gone; وللهيئة → «للهيئة»)."""
    forms: dict[str, tuple[int, bool]] = {}
    for head in HEADS:
        for clitic in ("", *PROCLITICS):
            forms.setdefault(clitic + head, (len(clitic), False))
            if clitic.endswith("ل"):
                forms.setdefault(clitic + "ل" + head, (len(clitic) - 1, True))
            else:
                forms.setdefault(clitic + "ال" + head, (len(clitic), True))
    return forms


HEAD_FORMS = _head_forms()
_GUARD = normalize_token("حرس")
# A guard is also part of other bodies' names (وزارة الحرس الوطني، الإدارة العامة للحرس الوطني).
_GUARD_FORMS = frozenset(form for form in HEAD_FORMS if form.endswith(_GUARD))
# Heads that with a demonym name one body of that country (البرلمان العراقي، الاتحاد السعودي);
# «الشركة اليابانية», «النادي الإيطالي» are «the Japanese company» of the sentence before.
NATIONAL_HEADS = _norm_set("برلمان مجلس اتحاد جامعة بنك مصرف منظمة هيئة")
# Courts whose one adjective names them: «المحكمة العليا», «المحكمة الدستورية» are a country's
# supreme and constitutional courts, not «the court» of the sentence before.
NAMED_COURTS = _norm_set("العليا الدستورية")
_COURT = normalize_token("محكمة")
# Guards likewise: «الحرس الوطني» (Saudi Arabia's National Guard), «الحرس البحري» (Tunisia's),
# «الحرس المدني» (Spain's), «الحرس الثوري» (Iran's); «الحرس الشخصي» is anyone's bodyguard.
NAMED_GUARDS = _norm_set("الوطني الثوري الجمهوري البحري المدني الملكي الحدودي الرئاسي الأميري")
# Titles whose holder's remit follows the body's name with ل (وكيل الوزارة للشؤون الفنية).
DEPUTIES = _norm_set("وكيل وكيلة مساعد مساعدة نائب")
_DEPUTY_FORMS = frozenset(c + d for c in ("", *PROCLITICS) for d in DEPUTIES)  # ووكيل، لوكيل
ROYAL_TITLES = _norm_set("الملك الأمير الشيخ الملكة الأميرة السلطان")
NAME_LINKS = _norm_set("بن بنت آل")
_COMPOUND_FIRST = _norm_set("عبد أبو ابو")
ADJECTIVES = _norm_set("""
العام العامة الأعلى العليا الأحمر الأخضر الكبير الكبرى المتحدة الموحدة المستقلة المستقل المدني
المدنية الحر الحرة الدائم الدائمة المشترك المشتركة الخاص الخاصة المركزي المركزية البيضاء
المختلط المختلطة الفيدرالي الفدرالي المقدسة المنورة المكرمة الشريف العرب المالحة
""")
# A nisba adjective (الوطني، الدولية، السعودي; plural السعوديين، السعوديون) ends a definite word
# of five letters or more.
_NISBA_ENDINGS = ("ي", "يه", "يين", "يون")
# Words that end a name even when they look like a complement: people's titles and roles,
# time words, and verbal nouns of purpose (وزارة الخارجية للقاء …، النادي الأهلي للمرة الثانية).
STOPS = _norm_set("""
اللواء العميد العقيد الفريق المهندس الدكتور الأستاذ السيد المتحدث الناطق المستشار الرئيس
المدير الأمين الوزير النائب القاضي الشيخ الأمير المحامي الرسمي الحالي السابق الجديد المقبل
الماضي الماضية الحالية السابقة الجديدة الموافقة للمرة للعام للسنة للموسم للقاء للنظر للفوز
للاحتجاج للمطالبة للإشراف للحصول للمشاركة للتعبير للتباحث للتشاور للحديث للتأكيد للرد
للإعلان للتصدي للوقوف لمناقشة لبحث للتأهل للقول للتأكد للتحقق للتعرف للاطلاع للاستماع
للاستفسار للتواصل للتنسيق
""")
# A club or a management named after a city is better left to the tagger and the aliases
# («نادي مانشستر يونايتد», «إدارة برشلونة»); «سورية» after a head is mostly «Syrian».
_NO_PLACE_HEADS = frozenset(c + h for h in _norm_set("نادي إدارة") for c in ("", *PROCLITICS))
_PLACE_ADJECTIVES = _norm_set("سورية")
# Saudi and other local bodies are named after an area: «أمانة منطقة حائل», «شرطة محافظة جدة»
# (not «مركز محافظة الأنبار», the governorate's capital).
_AREAS = _norm_set("منطقة محافظة مدينة")
_CENTRE_FORMS = frozenset(c + normalize_token("مركز") for c in ("", *PROCLITICS))
_YEAR = normalize_token("العام")
_RELATIVES = _norm_set("الذي التي الذين اللذين اللتين اللواتي")
# «former», «current»…: after «والـX» they make X a person's role, not a part of the name.
_FORMER = _norm_set("السابق السابقة الحالي الحالية الأسبق الأسبقة")
GENERIC = frozenset(
    normalize_token(p)
    for p in """
مجلس الإدارة|مجالس الإدارة|هيئة التدريس|غرفة العمليات|حركة المرور|حركة الرياح|حركة السير|حركة الملاحة
حركة التجارة|حركة الأسواق|حركة البيع|حركة الطيران|حركة النزوح|حركة السفر|حركة الاحتجاجات|حركة التنقل
إدارة النادي|إدارة الشركة|إدارة المدرسة|إدارة الأزمة|إدارة الأزمات|إدارة المخاطر|إدارة المشروع
إدارة الموارد|إدارة الفريق|إدارة المباراة|إدارة الحكم|إدارة البلاد|إدارة الدولة|إدارة الأعمال
إدارة الكرة|إدارة المهرجان|إدارة المدينة|حركة الشاحنات|حركة المسافرين|حركة الرياح السطحية
لجنة التحكيم|لجنة الحكام|لجنة التحقيق|مجلس العائلة|مجلس العزاء|مركز الشرطة|مركز المدينة
مركز الصدارة|مركز الدائرة|الجمعية العمومية|اللجنة المنظمة|شركة الطيران|جماعة المسجد|هيئة التحرير|صندوق القمامة
هيئة النظر|هيئة المحكمة|إدارة الاختلاف|إدارة الوقت|إدارة الأموال
صندوق البريد|صندوق الاقتراع|صندوق الانتخابات|غرفة المعيشة|غرفة النوم|غرفة الطعام|غرفة الانتظار
غرفة الملابس|غرفة الإنعاش|غرفة العناية المركزة|مركز المهاجم|مركز الحراسة|مركز الدفاع
الحرس الشخصي|الحرس الخاص|حرس شخصي|الحرس القديم
""".replace("\n", "|").split("|")
    if p.strip()
)


# «for the affairs of», «for football» …: ل + a noun in construct with a definite one, frequent in
# names (مفوضية الأمم المتحدة لشؤون اللاجئين، الاتحاد السعودي لكرة القدم، المجلس الوطني لحقوق
# الإنسان). Other ل + noun phrases after a body are mostly purposes (لتعزيز التعاون).
_AFFAIRS = _norm_set("لشؤون لشئون لكرة لحقوق لدول لرعاية لمكافحة لتنمية لأبحاث لدراسات لعلوم لألعاب لتحلية لصوامع")


def _definite(word: str) -> bool:
    return word.startswith("ال") and len(word) >= 4


def is_adjective(word: str) -> bool:
    """Is the normalized word an adjective that extends a name (العام، الوطني، السعودية)?"""
    return word in ADJECTIVES or (_definite(word) and len(word) >= 5 and word.endswith(_NISBA_ENDINGS))


def _complement(word: str) -> bool:
    """«للسياحة», «والتراث», «وللثقافة»: a further complement joined by ل or و; not «والذي»
    («and which») nor «والدكتور» («and Dr …»)."""
    return (
        word.startswith(("لل", "وال", "ولل"))
        and len(word) >= 5
        and not (word[0] == "و" and (word[1:] in STOPS or word[1:] in _RELATIVES))
    )


def _extent(toks: list[str], i: int, definite_head: bool, portfolio: bool = False) -> int:
    """Index after the last word of the name whose head is toks[i]; i + 1 when there is none.
    `portfolio`: the name follows a deputy's title, whose «ل…» complement is the deputy's remit
    (وكيل وزارة الصحة للخدمات العلاجية → «وزارة الصحة»)."""
    n = len(toks)
    j = i + 1
    if j >= n or toks[j] in STOPS:
        return i + 1
    first = toks[j]
    # «أمانة منطقة حائل», «بلدية محافظة جدة»: an area and its name
    area = (
        not definite_head
        and toks[i] not in _INSTITUTION_FORMS
        and toks[i] not in _CENTRE_FORMS
        and first in _AREAS
        and j + 1 < n
        and (_definite(toks[j + 1]) or is_place_name(toks[j + 1]))
    )
    if definite_head:
        if not is_adjective(first):
            return i + 1
    elif not (
        _definite(first)
        or area
        or (
            not portfolio and toks[i] not in _NO_PLACE_HEADS and first not in _PLACE_ADJECTIVES and is_place_name(first)
        )
    ):
        return i + 1  # «غرفة جدة», «جامعة تبوك», «بنك مصر»: a place's name is definite
    j += 2 if area else 1
    if first in ROYAL_TITLES:  # مركز الملك سلمان بن عبدالعزيز للإغاثة
        taken = 0
        while j < n and taken < 4 and toks[j] not in STOPS:
            # «جامعة الملك عبد العزيز»: «عبد العزيز» is one name written in two words
            joined = toks[j - 1] in _COMPOUND_FIRST
            if _definite(toks[j]) and not joined:
                break
            if not (taken == 0 or joined or toks[j] in NAME_LINKS or toks[j - 1] in NAME_LINKS):
                break
            j += 1
            taken += 1
        if not taken:
            return i + 1
    while j < n and j - i < MAX_WORDS and toks[j] not in STOPS:
        if portfolio and toks[j].startswith("ل"):
            break
        if toks[j] == _YEAR and j + 1 < n and toks[j + 1] in STOPS:
            break  # «منظمة العفو الدولية العام الماضي»: «last year», not «general»
        if toks[j] in _AFFAIRS and j + 1 < n and _definite(toks[j + 1]):
            j += 2  # لشؤون اللاجئين، والشؤون الإسلامية
        elif is_adjective(toks[j]) or (
            _complement(toks[j])
            and (toks[j] not in HEAD_FORMS or toks[j] in _GUARD_FORMS)
            and not (j + 1 < n and toks[j + 1] in _FORMER)
        ):
            j += 1  # not «حزب الاستقلال والعمدة السابق»: «and the former mayor»
        else:
            break
    return j


# Heads whose name is often a foreign or personal name that the tagger finds on its own, as a
# place or a person: «جامعة أكسفورد», «جامعة كوين ماري», «معهد غوته», «مستشفى حمد». The head is
# part of such a name («أكسفورد» alone is the city). Not «شركة»/«بنك»: «أبل», «باركليز» are
# those bodies' names without it.
INSTITUTION_HEADS = _norm_set("جامعة معهد كلية أكاديمية مستشفى")
_HOSPITAL = normalize_token("مستشفى")
# (an area's name makes no institution: «مستشفى محافظة الشملي» is a hospital, a facility)
_INSTITUTION_FORMS = frozenset(c + h for h in INSTITUTION_HEADS for c in ("", *PROCLITICS))


def indefinite_head(word: str) -> tuple[int, str] | None:
    """(clitic length, head) when the normalized `word` is an indefinite head, bare or after
    و/ب/ل («بجامعة» → (1, «جامعة»)); None for any other word."""
    cut, definite = HEAD_FORMS.get(word, (0, True))
    return None if definite else (cut, word[cut:])


def institution_start(tokens: list[str], start: int, person: bool) -> int | None:
    """Index of the institution head that a name at `start` completes: an indefinite head right
    before it (بجامعة أكسفورد), or, for a person's name, «المستشفى» with one adjective between
    (بالمستشفى الجامعي فرحات حشاد). Not other definite heads: a person there is in apposition
    («أستاذ في الجامعة الأميركية أشرف الشريف»), a place is where it is («المعهد الفرنسي بصنعاء»).
    None when there is none."""
    if start >= 1:
        head = indefinite_head(normalize_token(tokens[start - 1]))
        if head and head[1] in INSTITUTION_HEADS:
            return start - 1
    if person and start >= 2 and is_adjective(normalize_token(tokens[start - 1])):
        word = normalize_token(tokens[start - 2])
        cut, definite = HEAD_FORMS.get(word, (0, False))
        if definite and word[cut + 2 :] == _HOSPITAL:
            return start - 2
    return None


def inner_institution(tokens: list[str], start: int, end: int) -> int | None:
    """Index of an institution's head with a preposition inside a tagged name («فاينبرج بجامعة
    نورث ويسترن»: Feinberg at Northwestern University): the name the facet wants starts there."""
    for k in range(start + 1, end):
        head = indefinite_head(normalize_token(tokens[k]))
        if head and head[0] and head[1] in INSTITUTION_HEADS:
            return k
    return None


def past_complements(tokens: list[str], end: int, most: int = 3) -> int:
    """`end` moved past the «لل…» complement that continues an institution's name, and the
    «وال…» ones after it («كلية بايلور | للطب», «معهد X | للعلوم والتقنية»); not past a «وال…»
    alone: «جامعة جوتنبيرج والمتحف» is two bodies."""
    stop = min(len(tokens), end + most)
    first = end
    while end < stop and tokens[end - 1][-1:].isalpha():
        word = normalize_token(tokens[end])
        lil = word.startswith("لل") and len(word) >= 4 and word not in STOPS  # للطب
        if not (lil or (end > first and (_complement(word) or is_adjective(word)))):
            break  # «جامعة فيينا للعلوم التطبيقية»: an adjective of the complement
        end += 1
    return end


def plain_adjective(word: str) -> bool:
    """An adjective that is no verbal noun: «المحلية», «الأولمبية», a demonym; not «التنمية»,
    «التوجيه» (their -ية/-يه ending looks like a nisba's)."""
    return is_demonym(word) or (is_adjective(word) and not word.startswith("الت"))


_LIL_COMMITTEE = normalize_token("للجنة")


def complement_adjective(tokens: list[str], end: int) -> int:
    """`end` of an organization's name moved past the adjective of its last «لل…» complement,
    which the tagger leaves out («جامعة فيينا للعلوم | التطبيقية»)."""
    if (
        0 < end < len(tokens)
        and normalize_token(tokens[end - 1]).startswith("لل")
        and is_adjective(normalize_token(tokens[end]))
    ):
        return end + 1
    return end


def _generic(head: str, complements: list[str]) -> bool:
    """Whether the name is, or starts with, a generic phrase: «هيئة التدريس والمعيدين» is
    «هيئة التدريس» extended, as generic as it."""
    return any(" ".join((head, *complements[:k])) in GENERIC for k in range(1, len(complements) + 1))


# An armed force or a police named by its country, with at most one adjective between: «الجيش
# الليبي», «الشرطة الماليزية», «البحرية الألمانية», «خفر السواحل الإيطالي», «الجيش الوطني الليبي».
# A ministry named by its portfolio and its country: «الخارجية العمانية» (its display name is
# «وزارة الخارجية العمانية», search.entities.canonical); the feminine agrees with the ministry,
# «الدفاع الأمريكي» is «American defence».
FORCES = _norm_set("الجيش الشرطة البحرية")
PORTFOLIOS = _norm_set("الخارجية الداخلية الدفاع")
_COAST, _GUARDS = normalize_token("خفر"), normalize_token("السواحل")


def _national_forms() -> dict[str, tuple[int, str]]:
    """Every written form of a force, a portfolio or «خفر»: token -> (clitic length, head), clitics
    of one or two letters tried shortest first: «الجيش», «بالشرطة», «وخفر», «وللخارجية»,
    «للجيش» = ل + الجيش. Built once, as HEAD_FORMS is: a lookup per token."""
    heads = FORCES | PORTFOLIOS
    forms: dict[str, tuple[int, str]] = {}
    for cut in range(3):
        for clitic in [""] if cut == 0 else [c for c in PROCLITICS if len(c) == cut]:
            for head in (*heads, _COAST):
                forms.setdefault(clitic + head, (cut, head))
            if clitic.endswith("ل"):
                for head in heads:
                    if head.startswith("ا"):
                        forms.setdefault(clitic + head[1:], (cut - 1, head))
    return forms


_NATIONAL_FORMS = _national_forms()


def _national_bodies(toks: list[str]) -> list[tuple[int, int, int]]:
    """(first token, end, clitic length) of the forces and ministries named by their country."""
    found = []
    for i, word in enumerate(toks):
        head = _NATIONAL_FORMS.get(word)
        if head is None:
            continue
        cut, name = head
        if not cut and i and _definite(toks[i - 1]):
            continue  # «السياسة الخارجية الإيرانية», «الملاحة البحرية الصينية»: an adjective
        j = i + 1
        if name == _COAST:
            if j >= len(toks) or toks[j] != _GUARDS:
                continue
            j += 1
        elif name in FORCES and j + 1 < len(toks) and is_adjective(toks[j]) and not is_demonym(toks[j]):
            j += 1
        if (
            j < len(toks)
            and toks[j].startswith("ال")
            and is_demonym(toks[j])
            and (name not in PORTFOLIOS or toks[j].endswith("يه"))
        ):
            found.append((i, j + 1, cut))
    return found


def find_org_names(text: str, doc: NormalizedText | None = None) -> list[tuple[int, int]]:
    """(start, end) of every organization name built as described above, in text order."""
    doc = doc or NormalizedText(text)
    toks = doc.toks
    found: list[tuple[int, int]] = []
    taken: list[tuple[int, int]] = []  # token spans of the names found
    skip_to = 0
    for i in [i for i, token in enumerate(toks) if token in HEAD_FORMS]:
        if i < skip_to:
            continue
        cut, definite = HEAD_FORMS[toks[i]]
        if (
            i + 1 < len(toks)
            and HEAD_FORMS.get(toks[i + 1], (1, False)) == (0, True)
            and toks[i + 1] not in _GUARD_FORMS
        ):
            continue  # إدارة الشركة …: the inner body is the name (وزارة الحرس الوطني is one)
        end = _extent(toks, i, definite, portfolio=not definite and cut == 0 and i > 0 and toks[i - 1] in _DEPUTY_FORMS)
        if toks[i] in _GUARD_FORMS:  # a guard is named by one word, and its country
            end = min(end, i + 2 + (i + 2 < len(toks) and is_demonym(toks[i + 2])))
        if end == i + 1 or (
            definite
            and end - i < 3
            and not (toks[i][cut + 2 :] in NATIONAL_HEADS and is_demonym(toks[i + 1]))
            and not (toks[i][cut + 2 :] == _COURT and toks[i + 1] in NAMED_COURTS)
            and not (toks[i][cut + 2 :] == _GUARD and toks[i + 1] in NAMED_GUARDS)
        ):
            continue
        if _generic(toks[i][cut:], toks[i + 1 : end]):
            continue
        if not doc.joined(i, end):
            continue
        if toks[i][cut - 1 :].startswith(_LIL_COMMITTEE) and plain_adjective(toks[i + 1]):
            cut -= 1  # «للجنة المحلية» is ل + «اللجنة»: the name keeps the ل (canonical)
        found.append(doc.original_span(i, end, cut))
        taken.append((i, end))
        skip_to = end
    for i, end, cut in _national_bodies(toks):
        if not any(a < end and i < b for a, b in taken) and doc.joined(i, end):
            found.append(doc.original_span(i, end, cut))
    return sorted(found)
