"""One real person or organization, one facet value: canonical names and stable keys.

`display_name` cleans what the tagger found into the form shown to people (titles, roles and
clitics stripped, dangling name particles dropped). `entity_key` turns it into a key that is
stable across re-indexing (a pure function of the name) and readable in a URL, and that merges
spelling variants of the same name:

* normalization (alef forms, alef maksura, teh marbuta, harakat, tatweel) as everywhere;
* compound names written with or without the space (عبد الله / عبدالله, أبو بكر / أبوبكر);
* for people, spellings that differ only by a long alef inside the word or by غ/ج for the
  foreign "g" (آلن / آلان, ستينغل / ستينجل, ماكغورك / ماكجورك) share a *skeleton*; the key
  word is the shortest known name with that skeleton (آلن and آلان → «الن», سلمان → «سلمان»,
  جون → «جون», علي → «علي»), or the skeleton itself for a word no name list knows (ستينغل →
  «ستينجل», ماكغورك → «مكجورك»). Words of the فاعل pattern (four or five letters) keep their
  own spelling (هادي is not هدى, ناصر is not نصر). Known names are the person words of the
  tagger's gazetteer (`data/ner_gazetteer.tsv`, compiled from ../shared/gazetteers),
  so keys change only when that file is rebuilt from other lists.

Aliases (داعش = تنظيم الدولة الإسلامية) come from `data/entity_aliases.json`; editors' fixes from
`data/entity_overrides.json` (see search.entities.overrides).
"""

from __future__ import annotations

import re
from functools import lru_cache

from search.arabic import normalize_token
from search.entities.countries import is_demonym
from search.entities.first_names import COMMON_FIRST_NAMES
from search.entities.org_names import HEADS, PORTFOLIOS, indefinite_head, plain_adjective

# Titles and roles that precede names (normalized). Multi-word roles are stripped word by word.
TITLES = frozenset(
    normalize_token(w)
    for w in """
الرئيس رئيس الملك الامير الأمير الأميرة الشيخ الشيخة السيد السيدة الدكتور الدكتورة دكتور دكتورة د المهندس الأستاذ
الاستاذ الجنرال اللواء العميد العقيد الفريق المشير العماد الرائد النقيب المقدم المتقاعد الإمام الامام
سمو صاحب السمو الملكي معالي فخامة سماحة جلالة خادم الحرمين الشريفين ولي العهد وزير الوزير وزيرة
الخارجية الداخلية الدفاع المالية نائب المبعوث مبعوث الأمين الامين العام المتحدث الناطق باسم
السفير القاضي المستشار النائب البابا الحاج المدرب اللاعب الفنان الفنانة الكاتب الشاعر الصحفي
المرشح المرشحة زعيم الزعيم قائد القائد مدير المدير محافظ المحافظ أمير عضو الداعية الرئيسة المفتي
والي الوالي
الملازم الرقيب العريف الكولونيل كولونيل الليفتنانت ليفتنانت الميجور ميجور الكابتن الأدميرال
الأميرال المارشال الماريشال البريغادير البريجادير
""".split()
)
# (Ranks written from English and French, «الليفتنانت كولونيل فاليري هندرسون», are titles too.)
# («والي» is the Maghreb's governor, «والي سوسة»: in the corpus almost never a first name.)
# Function words that are never part of a name, in Modern Standard Arabic and in Moroccan Darija
# (Goud.ma and Hespress write it): the tagger, trained on MSA, takes «كاين لي», «هادشي لي», «لي
# غادي» for people. Not «لي» itself (Li is a Chinese surname) nor «هادي» (a first name).
NEVER_IN_NAMES = frozenset(
    normalize_token(w)
    for w in """
الذي التي الذين اللذين اللتين هذا هذه هذان هاتان ذلك تلك هؤلاء أولئك حيث عندما لقد قد لم لن
كان كانت ليس ليست أيضا كما إنه أنه إنها أنها
كاين كاينة كاينين كاينا هادشي داكشي هاداك هاديك هادو هاد ديال ديالو ديالها ديالهم غادي غاديين
بزاف شي دابا واش علاش كيفاش فين باش راه راها حيت بحال مزيان ماشي والو كولشي كيقولو كيقول
فيروس
""".split()
)
# Everyday words of spoken Arabic, Moroccan Darija first (Goud.ma, Hespress). Many of them in an
# article mean that it is written in dialect, which the MSA-trained tagger reads poorly.
DIALECT_MARKERS = frozenset(
    normalize_token(w)
    for w in """
ديال ديالو ديالها ديالهم ديالي بزاف دابا واش علاش كيفاش فين باش راه راها حيت بحال مزيان ماشي
والو كولشي غادي هادشي داكشي كاين كاينة بلي اللي ديما شحال واخا خاصو خاصها كيقولو كيقول
""".split()
)
# Words that no person's name holds: the end of a place or a body named after a king («مطار
# الملك خالد الدولي», «مدينة الملك عبدالعزيز للعلوم»), and words said of God («الله تعالى»).
_NEVER_IN_PERSON_NAMES = frozenset(normalize_token(w) for w in "الدولي الدولية تعالى سبحانه وتعالى".split())
# «سيدي X» in Maghreb news is a town (سيدي بنور، سيدي قاسم، سيدي بوزيد), not a person.
# «سيدي بوزيد» is a town; «بني ملال», «بني أمية», «بني آدم», «بنو هاشم» are towns, tribes and
# mankind («the sons of …»), never one person.
_PLACE_FIRST_WORDS = frozenset(normalize_token(w) for w in "سيدي بني بنو".split())
NAME_PARTICLES_END = frozenset(normalize_token(w) for w in "بن بنت ابن أبو ابو آل ال عبد أم".split())
# «أم» ends an organization's name when it is the M of FM («الجوهرة أف أم», «موزاييك أف أم»).
_ORG_PARTICLES_END = NAME_PARTICLES_END - {normalize_token("أم")}
_COMPOUND = re.compile(r"\b(عبد|ابو|أبو|أبا|ابا) (ال\S+|الله|\S+)")
_CLITIC_BEFORE_ARTICLE = re.compile(r"^(?:و|ف)?(?:ب|ك|ل)?(?=ال)|^(?:و|ف)?ل(?=ل)")
_NISBA = re.compile(r"^ال\w{3,}(?:ي|ية|يه)$")
# Blessings and epithets that follow a name in the press («رحمه الله», «المكنى أبو …»).
# A mention that is nothing but a blessing («حفظهم الله») is no name at all.
_TRAILING = re.compile(
    r"(?:^|\s+)(?:(?:ي?(?:رحم|حفظ|رعا|أيد|ايد)(?:ه|ها|هم|هما)|غفر\s+له)\s+الله"
    r"|رضي\s+الله\s+عن(?:ه|ها|هم)|عليه\s+السلام|الله\s+عز(?:\s+و\s*جل)?"
    r"|صل[ىي](?:\s+الله(?:\s+عليه(?:\s+و\s*سلم)?)?)?"
    r"|(?:المكنى|المكني|الملقب|المعروف|المدعو)\b.*)$"
)
_CLITIC_BEFORE_KUNYA = re.compile(r"^(?:و|ف)?(?:ب|ل|ك)(?=[أا](?:بو|بي|با|بن)$)")
# First names that ب/ل/ك never begin: with one of these after it, the letter is a preposition.
_NO_CLITIC_NAME_STARTS = tuple(normalize_token(w) for w in "محمد أحمد عبد".split())
# First names that look like ل + a name: «لحسن» is Lahcen (لحسن الداودي), not ل + حسن;
# Lakhdar, Labib, Lisan (al-Din), Loujain, Lubna; the surname Lalou.
_L_NAMES = frozenset(normalize_token(w) for w in "لحسن لحسين لخضر لبيب لسان لجين لبنى لعلو".split())
# و-initial first names that are not و + name
_WAW_NAMES = frozenset(
    normalize_token(w)
    for w in "وليد وائل وحيد وديع وسام وفاء وجدي وهيب وصفي وضاح وداد وفيق وجيه وهبي ولاء وئام وعد".split()
)


_NAME_FLAGS = frozenset({"PER", "PF", "PM", "PL", "PPL"})  # person flags of ner_gazetteer.tsv


@lru_cache(maxsize=1)
def name_words() -> frozenset[str]:
    """Normalized words that the gazetteers know as parts of people's names."""
    from search.entities.features import load_gazetteer

    return frozenset(w for w, flags in load_gazetteer().items() if _NAME_FLAGS.intersection(flags))


@lru_cache(maxsize=1)
def first_name_words() -> frozenset[str]:
    """Normalized words the people lists know as first names (the first word of a listed
    person's name: جون، بريت، ريتشارد), and the common Arabic ones."""
    from search.entities.features import load_gazetteer

    return frozenset(w for w, flags in load_gazetteer().items() if "PF" in flags) | COMMON_FIRST_NAMES


@lru_cache(maxsize=1)
def corpus_words() -> frozenset[str]:
    """The 150,000 most frequent normalized word forms of the news corpus (the tagger's word
    clusters): a word outside them is rare, as a transliterated surname is («ماكجورك»)."""
    from search.entities.features import load_clusters

    return frozenset(load_clusters())


def _is_portfolio(word: str) -> bool:
    """«الخارجية», «بالداخلية», «للدفاع»: a ministry's portfolio, which `TITLES` also holds."""
    plain = normalize_token(word)
    return any(
        plain[len(c) :] in PORTFOLIOS or (c.endswith("ل") and "ا" + plain[len(c) :] in PORTFOLIOS)
        for c in ("", "و", "ب", "ل", "ف", "وب", "ول", "فب", "فل")
        if plain.startswith(c)
    )


def _strip_clitics(word: str, kind: str) -> str:
    if kind == "org":
        head = indefinite_head(normalize_token(word))
        if head and head[0]:
            return word[head[0] :]  # بجامعة هارفارد, لمعهد غوته: the head without و/ب/ل
        stripped = _CLITIC_BEFORE_ARTICLE.sub("", word)
        if stripped.startswith("ال") and len(stripped) < 5:
            return word  # وكالة is not و + ك + الة
        if stripped.startswith("ل") and word.startswith(("لل", "ولل", "فلل")):
            stripped = "ا" + stripped  # للأمم → الأمم
        return stripped if len(stripped) >= 3 else word
    if _CLITIC_BEFORE_KUNYA.match(word):
        return _CLITIC_BEFORE_KUNYA.sub("", word)  # بأبي عياض, لابن تيمية
    if word[:1] in ("و", "ف") and len(word) > 3:
        plain, known = normalize_token(word), name_words()
        if plain in known or plain in _WAW_NAMES:
            return word  # فيصل، فاطمة، وليد: names, not و/ف + name
        if plain[1:] in known or word[0] == "و":
            word = word[1:]  # وكيري، فخالد
    if word[:1] in ("ب", "ل", "ك") and len(word) > 3:
        rest, plain = normalize_token(word[1:]), normalize_token(word)
        if plain not in _L_NAMES and (
            rest.startswith(_NO_CLITIC_NAME_STARTS)
            or rest in COMMON_FIRST_NAMES
            or (word[0] == "ل" and _lam_before_name(rest, plain))
        ):
            word = word[1:]  # لمحمد، بأحمد، لعماد، لنجيب محفوظ (but لبنى، بسام، لجين are names)
    return word


def _lam_before_name(rest: str, plain: str) -> bool:
    """Is a ل-initial first word ل + a name the gazetteers know, when the word itself is no
    name? Only ل: with ب and ك the same test strips real names (بسام، بدرو، كاميليا). Names read
    from Latin ones starting لا/لو/لي (Laura, Louis, Lee) are kept whatever follows the ل. On the
    whole corpus this rewrote about 330 people's names in about 380 articles, nearly all for
    the better."""
    names = name_words()
    return rest in names and plain not in names and rest[:1] not in ("ا", "و", "ي")


def display_name(surface: str, kind: str) -> str | None:
    """The name as shown in facets, or None when nothing name-like is left."""
    surface = _TRAILING.sub("", surface.strip())
    words = [w for w in re.split(r"\s+", surface.strip(" \t\n\"'«»“”()[]،,.:؛-")) if w]
    if kind == "org" and len(words) == 2 and _is_portfolio(words[0]) and is_demonym(normalize_token(words[1])):
        return "وزارة " + _strip_clitics(words[0], kind) + " " + words[1]  # «الخارجية العمانية»
    while (
        words
        and normalize_token(words[0]) in TITLES
        and not (kind == "org" and len(words) > 1 and _is_portfolio(words[0]))
    ):  # «الدفاع المدني»
        words.pop(0)
        # a nationality after a role («وزير الخارجية الأمريكي جون كيري») belongs to the role
        while len(words) > 2 and _NISBA.match(words[0]):
            words.pop(0)
    lil_committee = bool(words) and normalize_token(words[0]) in _LIL_COMMITTEE_FORMS
    if words:
        words[0] = _strip_clitics(words[0], kind)
    particles = _ORG_PARTICLES_END if kind == "org" else NAME_PARTICLES_END
    while words and normalize_token(words[-1]) in particles:
        words.pop()
    name = " ".join(words)
    if len(normalize_token(name).replace(" ", "")) < 2 or not re.search(r"[^\W\d_]", name):
        return None
    if any(normalize_token(w) in NEVER_IN_NAMES for w in words):
        return None
    if kind == "person" and (
        normalize_token(words[0]) in _PLACE_FIRST_WORDS
        or any(normalize_token(w) in _NEVER_IN_PERSON_NAMES or _is_lil_complement(w) for w in words)
    ):
        return None
    if kind == "org":
        name = _TRAILING_CODE.sub("", name)
        if _is_bare_head_or_fragment(name):
            return None
        if lil_committee and len(words) > 1 and plain_adjective(normalize_token(words[1])):
            name = "ال" + name  # «للجنة المحلية» is ل + «اللجنة المحلية» (not «للجنة الأجهزة»)
    return name


_CLUB = normalize_token("نادي")
# «للجنة» is ل + «لجنة» or ل + «اللجنة»: the second when an adjective follows (not a masdar, التنمية)
_LIL_COMMITTEE_FORMS = frozenset(normalize_token(w) for w in "للجنة وللجنة فللجنة".split())

# A long number after a name is a phone or SMS code of an advertisement («Stc 635031»), not part
# of it; a short one is («فرانس 24», «سخالين 2»).
_TRAILING_CODE = re.compile(r"(?:\s+\d{4,})+$")

# Heads that are also a body's whole name: «الاتحاد» is Al-Ittihad of Jeddah in sports news.
_HEADS_THAT_ARE_NAMES = frozenset({normalize_token("الاتحاد")})


def _is_lil_complement(word: str) -> bool:
    """«للعلوم», «للطاقة»: ل + article, the complement of a body's name (not «للا», Lalla)."""
    plain = normalize_token(word)
    return plain.startswith("لل") and len(plain) >= 5


_FM = frozenset(normalize_token(w) for w in ("افام", "إفإم", "أفأم"))


def _is_bare_head_or_fragment(name: str) -> bool:
    """«منظمة», «الوزارة» alone name no body; two letters («بي», «اف») are a cut-off piece of
    a longer name («بي بي سي», «الجوهرة أف أم»), and so is «أف أم» alone."""
    plain = normalize_token(name).replace(" ", "")
    if len(plain) < 3 or plain in _FM:
        return True
    if " " in name or plain in _HEADS_THAT_ARE_NAMES:
        return False
    return plain in HEADS or (plain.startswith("ال") and plain[2:] in HEADS)


def _skeleton_word(word: str) -> str:
    """The word without long alefs inside it and with غ as ج; the article of a compound (عبدال،
    ابوال) keeps its alef, so عبدالله and عبدالإله stay apart."""
    for prefix in ("عبدال", "ابوال"):
        if word.startswith(prefix) and len(word) > len(prefix) + 1:
            return prefix + _skeleton_word(word[len(prefix) :])
    if len(word) > 3:
        word = word[0] + word[1:-1].replace("ا", "") + word[-1]
    return word.replace("غ", "ج") if len(word) > 3 else word


@lru_cache(maxsize=1)
def _known_by_skeleton() -> dict[str, str]:
    """skeleton -> the shortest known name with it (then alphabetical first): جون, not جوان;
    آلن and آلان → الن; سلمن → سلمان."""
    best: dict[str, str] = {}
    for word in sorted(name_words()):
        sk = _skeleton_word(word)
        if sk not in best or len(word) < len(best[sk]):
            best[sk] = word
    return best


def _person_key_word(word: str) -> str:
    """The key form of one word of a person's name. A word with the article keeps its spelling:
    it is an Arabic family name or nisba (الغنوشي، الزياني), not a transliteration. So does a
    word of the فاعل pattern (alef second: هادي، ناصر، عادل): without the alef it is another name
    (هدى، نصر، عدل). So does a word of the فعال or فعالة pattern (alef
    third of four letters, or of five ending in ة, and not first: صلاح، شجاع، الحجار، سلامة),
    which the skeleton would make صالح، شجع، الحجر، سلمة. Other words go by their skeleton, so
    that transliterations merge (آلن، آلان; and ماكغورك، ماكجورك: six letters or more with the
    alef second are no فاعل word)."""
    if word.startswith("ال") and len(word) > 4:
        return word  # a family name with the article is Arabic: الغنوشي is not «الجنوشي»
    core = word
    if core[1:2] == "ا" and len(core) <= 5:
        return word  # فاعل, فاعلة: a longer word with its alef second is a transliteration
    if core[2:3] == "ا" and core[0] != "ا" and (len(core) == 4 or (len(core) == 5 and core[4] == "ه")):
        return word  # فعال, فعالة: صلاح، شجاع، الحجار، سلامة are not صالح، شجع، الحجر، سلمة
    sk = _skeleton_word(word)
    return _known_by_skeleton().get(sk, sk)


@lru_cache(maxsize=200_000)
def entity_key(name: str, kind: str) -> str:
    """Stable, readable key of a display name: the same for its spelling variants."""
    text = normalize_token(name)
    text = _COMPOUND.sub(lambda m: m.group(1) + m.group(2), text)
    if kind == "person":
        text = text.replace("ئ", "ي")  # قائد / قايد, عائشة / عايشة: one name, two spellings
    words = text.split()
    if kind == "person":
        words = [_person_key_word(w) for w in words]
    else:
        # «أميركي/أمريكي»: one word, two spellings («وزارة الخارجية الأميركية/الأمريكية»)
        words = [w.replace("اميرك", "امريك") for w in words]
        if len(words) == 2 and words[0] == _CLUB and words[1].startswith("ال"):
            words = words[1:]  # «نادي النصر» is «النصر»: one club, one facet value
    return "-".join(words)


def last_word_key(key: str) -> str:
    return key.rsplit("-", 1)[-1]
