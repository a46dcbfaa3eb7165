"""Token features for the named-entity tagger (shared by training and tagging).

Design for speed: every feature of a token depends on its own string only, never on the
sentence, except for a few word-bigram features. A token type therefore has five fixed lists
of feature strings, one per position it can take relative to the token being scored
(-2, -1, 0, +1, +2). The training script hands the concatenated lists to CRFsuite; the tagger
pre-sums the learned weights of each list once per token type (vocabularies are Zipfian), so
tagging costs a few array additions per token whatever the number of features.

Tokens are first "exploded": punctuation glued to the front or back of a word becomes its own
token, as it is in the training corpora (``عباس،`` -> ``عباس`` ``،``).
"""

from __future__ import annotations

import gzip
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from search.arabic import normalize_token, stem_variants

if TYPE_CHECKING:  # numpy is imported where the vectors are loaded, not with this module
    import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"
GAZETTEER_FILE = "ner_gazetteer.tsv"
CLUSTERS_FILE = "ner_clusters.tsv.gz"
PRIORS_FILE = "ner_priors.tsv.gz"
VECTORS_FILE = "ner_vectors.npz"
LEXICON_FILE = "ner_lexicon.tsv.gz"

BOS = "<s>"
EOS = "</s>"

# --------------------------------------------------------------------------------------------
# Tokens


@lru_cache(maxsize=200_000)
def explode(token: str) -> tuple[tuple[str, ...], int]:
    """Split leading/trailing punctuation off `token`.

    Returns the pieces and the index of the word piece (-1 when the token is all punctuation).
    Punctuation inside a word (``3.5``, ``U.S``) stays.
    """
    n = len(token)
    start = 0
    while start < n and not _is_word_char(token[start]):
        start += 1
    if start == n:
        return (token,), -1
    end = n
    while not _is_word_char(token[end - 1]):
        end -= 1
    if start == 0 and end == n:
        return (token,), 0
    pieces = list(token[:start])
    pieces.append(token[start:end])
    pieces.extend(token[end:])
    return tuple(pieces), start


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNM"


def core_form(piece: str) -> str:
    """The lookup form of one exploded piece: normalized (alef/yeh/teh marbuta folds, no marks)."""
    form = normalize_token(piece)
    return form if form else piece


# Proclitic strings (normalized), longest first: conjunction, preposition, article.
_PROCLITICS = sorted(
    {c + p + a for c in ("", "و", "ف") for p in ("", "ب", "ل", "ك") for a in ("", "ال")} - {""} | {"لل", "ولل", "فلل"},
    key=len,
    reverse=True,
)


_PROCLITIC_LENGTHS = sorted({len(p) for p in _PROCLITICS}, reverse=True)
_PROCLITIC_SET = frozenset(_PROCLITICS)
_PROCLITIC_FIRST = frozenset(p[0] for p in _PROCLITICS)


def strip_proclitics(form: str) -> tuple[str, str]:
    """(proclitics, base) of a normalized word, keeping at least three letters of base; the
    longest proclitic string that fits wins."""
    if not form or form[0] not in _PROCLITIC_FIRST:
        return "", form
    for n in _PROCLITIC_LENGTHS:
        if len(form) - n >= 3 and form[:n] in _PROCLITIC_SET:
            return form[:n], form[n:]
    return "", form


def shape(piece: str) -> str:
    has_ar = has_lat = has_dig = False
    for ch in piece:
        if "\u0600" <= ch <= "\u06ff":
            if "\u0660" <= ch <= "\u0669" or "\u06f0" <= ch <= "\u06f9":
                has_dig = True
            else:
                has_ar = True
        elif ch.isdigit():
            has_dig = True
        elif ch.isalpha():
            has_lat = True
    if has_ar and not (has_lat or has_dig):
        return "A"
    if has_lat and not (has_ar or has_dig):
        return "L" + ("u" if piece[:1].isupper() else "l")
    if has_dig and not (has_ar or has_lat):
        return "D"
    if not (has_ar or has_lat or has_dig):
        return "P"
    return "X"


# --------------------------------------------------------------------------------------------
# Hand-written trigger words (facts of the language, written for this project).
# Titles and roles that precede person names; heads of organization names; place nouns.

_TRIGGERS_RAW = {
    "TP": """الرئيس رئيس الرئيسة رئيسة وزير الوزير وزيرة الوزيرة الشيخ الشيخة الأمير الأميرة الملك
        الملكة السيد السيدة الدكتور الدكتورة د المهندس الأستاذ الجنرال العقيد اللواء العميد المشير
        الفريق الرائد النقيب العريف الزعيم الإمام آية البابا الأب المطران القس الحاخام النائب السفير
        المتحدث الناطق المستشار المستشارة المدير مدير الأمين أمين نائب السلطان الحاكم حاكم المحافظ
        محافظ القائد قائد المدرب مدرب اللاعب لاعب النجم الفنان الفنانة المطرب المطربة الكاتب الكاتبة
        الشاعر الروائي المخرج الممثل الممثلة الصحفي المحامي القاضي المفتي الخليفة المبعوث المندوب
        السناتور السيناتور عضو العضو المرشح رئيسها رئيسه زعيم المدعي المحقق الباحث البروفسور
        البروفيسور الحارس المهاجم المدافع الوسط المعلق الداعية الحاج المواطن الطفل الشاب الشهيد
        المتهم الضحية الجندي الأسير المعتقل الراحل الفقيد العاهل المستشار ولي""",
    "TN": """بن ابن أبو أبي أبا بنت أم آل عبد""",
    "TO": """شركة الشركة مؤسسة المؤسسة وزارة الوزارة منظمة المنظمة حزب الحزب حركة الحركة جامعة
        الجامعة جمعية الجمعية اتحاد الاتحاد مجلس المجلس هيئة الهيئة بنك البنك مصرف المصرف وكالة
        الوكالة صندوق الصندوق نادي النادي فريق منتخب المنتخب جبهة الجبهة لجنة اللجنة محكمة المحكمة
        مركز المركز معهد المعهد أكاديمية الأكاديمية كلية الكلية مجموعة المجموعة تنظيم التنظيم جيش
        الجيش قوات القوات الأمم برنامج البرنامج صحيفة الصحيفة مجلة المجلة قناة القناة إذاعة الإذاعة
        تلفزيون التلفزيون رابطة الرابطة نقابة النقابة غرفة الغرفة بورصة البورصة ائتلاف الائتلاف
        تحالف التحالف كتائب سرايا ديوان الديوان مديرية المديرية إدارة الإدارة مكتب المكتب سلطة
        السلطة مستشفى المستشفى مصنع المصنع مجمع جماعة الجماعة حكومة الحكومة البرلمان برلمان
        الكونغرس الكونجرس محطة المحطة دار الدار مجلس""",
    "TL": """مدينة المدينة بلدة البلدة قرية القرية محافظة المحافظة ولاية الولاية إقليم الإقليم منطقة
        المنطقة عاصمة العاصمة جزيرة الجزيرة جزر نهر النهر جبل جبال بحر البحر خليج الخليج مخيم
        المخيم حي شارع الشارع ميناء الميناء مطار المطار بلاد دولة الدولة قطاع القطاع الضفة شمال
        جنوب شرق غرب شمالي جنوبي شرقي غربي وسط عاصمتها ضواحي مقاطعة المقاطعة قضاء القضاء ريف
        بمدينة ومدينة لمدينة""",
}


def _load_triggers() -> dict[str, tuple[str, ...]]:
    flags: dict[str, set[str]] = {}
    for flag, words in _TRIGGERS_RAW.items():
        for w in words.split():
            flags.setdefault(normalize_token(w), set()).add(flag)
    return {w: tuple(sorted(f)) for w, f in flags.items()}


TRIGGERS = _load_triggers()


# Which own features (by name) a token also contributes at distance 1, 2 and 3 from the scored
# token: "-1:w=…", "2:g=…". A pure function of the own features, so that the tagger can pre-sum
# weights per own feature (see tagger.py).
_CLUSTER_NAMES = {f"{p}{i}" for p in ("c", "cb") for i in range(8)}
CONTEXT_NAMES = {
    1: frozenset({"w", "B", "sh", "pc", "s2", "g", "t", "pr", "lx", "lb"} | _CLUSTER_NAMES),
    2: frozenset({"w", "B", "g", "t", "pr", "lx", "lb"} | {c for c in _CLUSTER_NAMES if not c.endswith("0")}),
    3: frozenset({"w", "t", "c1", "c3", "cb1", "cb3"}),
}


# --------------------------------------------------------------------------------------------
# Resources


def load_gazetteer(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """word -> gazetteer flags (see data/README.md); empty when the file is absent."""
    path = path or DATA_DIR / GAZETTEER_FILE
    out: dict[str, tuple[str, ...]] = {}
    if not path.exists():
        return out
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            word, _, flags = line.rstrip("\n").partition("\t")
            if word and flags:
                out[word] = tuple(flags.split(","))
    return out


def load_clusters(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """word -> cluster ids at several granularities; empty when the file is absent."""
    return _load_gz_table(path or DATA_DIR / CLUSTERS_FILE)


def load_priors(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """word -> corpus tag-prior labels (see scripts/train_ner.py); empty when absent."""
    return _load_gz_table(path or DATA_DIR / PRIORS_FILE)


def load_lexicon(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """word -> binned training-data label priors (see scripts/train_ner.py); keys of the
    proclitic-stripped base table start with "+". Empty when absent."""
    return _load_gz_table(path or DATA_DIR / LEXICON_FILE)


def load_vectors(path: Path | None = None) -> tuple[dict[str, int], np.ndarray] | None:
    """(word -> row, float32 matrix) of the packaged word vectors; None when absent."""
    import numpy as np

    path = path or DATA_DIR / VECTORS_FILE
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as z:
        words = bytes(z["words"]).decode("utf-8").split("\n")
        matrix = z["q"].astype(np.float32) * z["scale"][None, :]
    return {w: i for i, w in enumerate(words)}, matrix


def _load_gz_table(path: Path) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    if not path.exists():
        return out
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        header = fh.readline()
        if not header.startswith("#"):
            fh.seek(0)
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                out[parts[0]] = tuple(parts[1:])
    return out


# --------------------------------------------------------------------------------------------
# Features


class FeatureExtractor:
    """Turns exploded tokens into feature strings; caches the five views of each token type."""

    def __init__(
        self,
        gazetteer: dict[str, tuple[str, ...]] | None = None,
        clusters: dict[str, tuple[str, ...]] | None = None,
        config: dict | None = None,
        priors: dict[str, tuple[str, ...]] | None = None,
        vectors: tuple[dict[str, int], np.ndarray] | None = None,
        lexicon: dict[str, tuple[str, ...]] | None = None,
    ):
        self.gazetteer = gazetteer or {}
        self.lexicon = lexicon or {}
        self.clusters = clusters or {}
        self.priors = priors or {}
        self.vectors = vectors
        self.config = dict(config or {})
        self.window = int(self.config.get("window", 2))
        self.dense_scale = float(self.config.get("dense_scale", 6.0))
        self.dense_names = () if vectors is None else tuple(f"e{j}" for j in range(vectors[1].shape[1]))
        self._views: dict[str, tuple[tuple[str, ...], ...]] = {}
        self._words: dict[str, str] = {}

    # -- per type ---------------------------------------------------------------------------
    def views(self, piece: str) -> tuple[tuple[str, ...], ...]:
        """The feature lists of a token type, one per offset -window..+window from the scored token."""
        v = self._views.get(piece)
        if v is None:
            v = self._compute_views(piece)
            if len(self._views) < 1_000_000:
                self._views[piece] = v
        return v

    def dense(self, piece: str):
        """The word vector of a token type (scaled), or None: real-valued features "e0".."eN"."""
        if self.vectors is None or piece in (BOS, EOS):
            return None
        index, matrix = self.vectors
        form = core_form(piece)
        row = index.get(form)
        if row is None:
            row = index.get(strip_proclitics(form)[1])
        return None if row is None else matrix[row] * self.dense_scale

    def word(self, piece: str) -> str:
        """The form used in bigram features."""
        w = self._words.get(piece)
        if w is None:
            w = BOS if piece == BOS else EOS if piece == EOS else core_form(piece)
            if len(self._words) < 1_000_000:
                self._words[piece] = w
        return w

    def own_features(self, piece: str) -> tuple[str, ...]:
        """Features of a token type at its own position (``name=value`` strings, no duplicates).
        Its features at the other offsets are a name-filtered subset with an ``k:`` prefix."""
        if piece in (BOS, EOS):
            return ("b", "w=" + piece)
        form = core_form(piece)
        sh = shape(piece)
        pro, base = strip_proclitics(form) if sh == "A" else ("", form)
        stem = stem_variants(form)[-1] if sh == "A" else form
        gz = self.gazetteer
        gflags = list(gz.get(form, ()))
        tflags = list(TRIGGERS.get(form, ()))
        if base != form:
            gflags += ["B" + f for f in gz.get(base, ())]
            tflags += ["B" + f for f in TRIGGERS.get(base, ())]
        cl = self.clusters.get(form)
        cprefix = "c"
        if cl is None and base != form:
            cl = self.clusters.get(base)
            cprefix = "cb"
        n = len(form)

        own = ["b", "w=" + form, "sh=" + sh, "ln=" + str(min(n, 8))]
        if sh == "A" or sh[0] == "L":
            for k in (1, 2, 3, 4):
                if n > k:
                    own.append(f"p{k}={form[:k]}")
                    own.append(f"s{k}={form[-k:]}")
            raw_last = piece[-1]
            if raw_last != form[-1]:
                own.append("rs1=" + raw_last)
        if base != form:
            own.append("B=" + base)
            own.append("pc=" + pro)
            if len(base) > 3:
                own.append("Bs2=" + base[-2:])
                own.append("Bp2=" + base[:2])
        if stem != form and stem != base:
            own.append("st=" + stem)
        own += ["g=" + f for f in gflags]
        own += ["t=" + f for f in tflags]
        if cl:
            own += [f"{cprefix}{i}={c}" for i, c in enumerate(cl)]
        elif sh == "A":
            own.append("c=none")
        own += ["pr=" + f for f in self.priors.get(form, ())]
        if self.lexicon and sh != "P":
            lex = self.lexicon
            own += ["lx=" + f for f in lex.get(form, ("unk",))]
            own += ["lb=" + f for f in lex.get("+" + strip_proclitics(form)[1], ("unk",))]
        return tuple(dict.fromkeys(own))

    def _compute_views(self, piece: str) -> tuple[tuple[str, ...], ...]:
        own = self.own_features(piece)
        views = []
        for k in range(-self.window, self.window + 1):
            if k == 0:
                views.append(own)
                continue
            names = CONTEXT_NAMES[min(abs(k), 3)]
            views.append(tuple(f"{k}:{f}" for f in own if f.partition("=")[0] in names))
        return tuple(views)

    # -- per sentence (training path) ---------------------------------------------------------
    def sentence_features(self, pieces: list[str]) -> list:
        """Features of an exploded sentence as handed to CRFsuite: a list of feature strings per
        token, or a {feature: value} dict per token when word vectors are in use."""
        w = self.window
        padded = [BOS] * w + list(pieces) + [EOS] * w
        views = [self.views(p) for p in padded]
        words = [self.word(p) for p in padded]
        out: list[list[str] | dict[str, float]] = []
        for i in range(len(pieces)):
            feats: list[str] = []
            for j in range(2 * w + 1):
                feats.extend(views[i + j][j])
            feats.extend(bigram_features(words[i + w - 1], words[i + w], words[i + w + 1]))
            if self.vectors is not None:
                item = dict.fromkeys(feats, 1.0)
                vec = self.dense(pieces[i])
                if vec is not None:
                    item.update(zip(self.dense_names, vec.tolist(), strict=True))
                out.append(item)
            else:
                out.append(feats)
        return out


def bigram_features(prev: str, cur: str, nxt: str) -> tuple[str, str]:
    return ("bl=" + prev + "|" + cur, "br=" + cur + "|" + nxt)


def explode_sentence(tokens: Iterable[str]) -> tuple[list[str], list[int]]:
    """Exploded pieces of a sentence and, for each original token, the index of its word piece
    (or of its first piece when it is all punctuation)."""
    pieces: list[str] = []
    index: list[int] = []
    for tok in tokens:
        parts, word_at = explode(tok)
        index.append(len(pieces) + max(word_at, 0))
        pieces.extend(parts)
    return pieces, index
