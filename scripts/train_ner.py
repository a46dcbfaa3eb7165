"""Train (and evaluate) Arshif's named-entity tagger from ../shared/ner.

    python scripts/pretrain_ner_lm.py      # once (~15 min): build/ner_lm.pt, the neural model's
                                           # pretrained token representations
    python scripts/train_ner.py            # build the gazetteer file, train the CRF and the
                                           # convolutional model on everything, write
                                           # search/entities/data/ner_model.npz + ner_neural.npz
    python scripts/train_ner.py --eval     # train on the evaluation split, print P/R/F1 on the
                                           # held-out slice (does not touch the packaged model)
    python scripts/train_ner.py --bench    # tokens/s of the packaged model on corpus text

Evaluation protocol: the LAST 1/6 of the sentences of anercorp_camellab_train.conll are held
out; training uses the rest plus aqmar_dev and newsfane_gold_train (see below). Scores are
entity-level exact match, conlleval-style, on the original (unexploded) tokens.

NewsFANE is ANERcorp re-annotated (same texts, clitics split, another order). Its sentences are
matched to ANERcorp's by character 25-gram shingles:
* sentences that match no ANERcorp *train* sentence are dropped always: by elimination they are
  ANERcorp *test* text (858 sentences, ~27.6k tokens, vs. 25,008 test words), which must not be
  trained on;
* in --eval, sentences that match the held-out slice are dropped too.
NewsFANE's fine classes are read from newsfane_gold_train.fine.conll and mapped to the ANERcorp
tag set (Group -> O: ANERcorp leaves nationality words untagged).

The tagger is the CRF plus a convolutional model (``ner_neural.py``) whose scores are added with
weight ``NEURAL_WEIGHT`` (0.35, see data/NER.md); --eval prints both, the CRF alone and the
combination (what the product uses).

Everything is deterministic (CRFsuite L-BFGS, fixed orders, seeded torch on one thread).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from search.arabic import ANALYSIS_VERSION, normalize, normalize_token
from search.entities import model_version
from search.entities.features import (
    CLUSTERS_FILE,
    DATA_DIR,
    GAZETTEER_FILE,
    LEXICON_FILE,
    PRIORS_FILE,
    VECTORS_FILE,
    FeatureExtractor,
    core_form,
    explode,
    load_clusters,
    load_gazetteer,
    load_vectors,
    strip_proclitics,
)
from search.entities.ner_cli import read_conll
from search.entities.neural import NEURAL_FILE
from search.entities.tagger import MODEL_FILE, NEURAL_WEIGHT, Tagger, spans

ROOT = Path(__file__).resolve().parents[1]

SHARED = Path(os.environ.get("ARSHIF_SHARED") or ROOT.parent / "shared")
TYPES = ("PERS", "ORG", "LOC", "MISC")

# NewsFANE fine class -> ANERcorp type (None = O). See shared/ner/README.md.
FINE_TO_COARSE = {
    **dict.fromkeys(
        (
            "Artist",
            "Athlete",
            "Businessperson",
            "Engineer",
            "Lawyer",
            "Other_PER",
            "Police",
            "Politician",
            "Religious_PER",
            "Scientist",
        ),
        "PERS",
    ),
    "Group": None,
    **dict.fromkeys(
        (
            "Commercial",
            "Educational",
            "Entertainment",
            "Government",
            "Media",
            "Medical-Science",
            "Non-Governmental",
            "Religious_ORG",
            "Sports",
        ),
        "ORG",
    ),
    **dict.fromkeys(
        (
            "Airport",
            "Building-Grounds",
            "Celestial",
            "Continent",
            "County-or-District",
            "GPE-Cluster",
            "Land-Region-Natural",
            "Nation",
            "Path",
            "Plant",
            "Population-Center",
            "State-or-Province",
            "Subarea-Facility",
            "Water-Body",
        ),
        "LOC",
    ),
    **dict.fromkeys(
        ("Air", "Book", "Drug", "Food", "Hardware", "Land", "Movie", "Projectile", "Shooting", "Software", "Water"),
        "MISC",
    ),
}


# ------------------------------------------------------------------------------------ data
def map_fine(tags: list[str], drop_misc: bool = False) -> list[str]:
    out = []
    for t in tags:
        if t == "O":
            out.append("O")
            continue
        coarse = FINE_TO_COARSE.get(t[2:])
        if coarse is None or (drop_misc and coarse == "MISC"):
            out.append("O")
        else:
            out.append(t[:2] + coarse)
    return out


def map_misc(tags: list[str], mode: str) -> list[str]:
    if mode == "keep":
        return tags
    return ["O" if t.endswith("-MISC") else t for t in tags]


_NONWORD = re.compile(r"[\W_]+")
_N = 25


def _key(tokens: list[str]) -> str:
    return _NONWORD.sub("", normalize("".join(tokens)))


def _grams(key: str) -> set[str]:
    if len(key) <= _N:
        return {key} if key else set()
    return {key[i : i + _N] for i in range(len(key) - _N + 1)}


def filter_newsfane(news, aner_train, aner_heldout):
    """Keep NewsFANE sentences whose text is in ANERcorp train but not in the held-out slice."""
    train_g: set[str] = set()
    for toks, _ in aner_train:
        train_g |= _grams(_key(toks))
    held_g: set[str] = set()
    for toks, _ in aner_heldout:
        held_g |= _grams(_key(toks))
    kept, test_like, held = [], 0, 0
    for sent in news:
        g = _grams(_key(sent[0]))
        if not g:
            continue
        if held_g and len(g & held_g) / len(g) > 0.3:
            held += 1
            continue
        if len(g & (train_g | held_g)) / len(g) <= 0.5:
            test_like += 1
            continue
        kept.append(sent)
    return kept, test_like, held


def mention_replaced(sentences, copies: int, seed: int = 13):
    """Copies of the entity-bearing sentences with every mention swapped for another mention of
    the same type from the same sentences (mention replacement, Dai & Adel 2020)."""
    import random

    pool: dict[str, list[list[str]]] = {t: [] for t in TYPES}
    for toks, tags in sentences:
        for typ, a, b in spans(tags):
            pool.setdefault(typ, []).append(list(toks[a:b]))
    rng = random.Random(seed)
    out = []
    for _ in range(copies):
        for toks, tags in sentences:
            found = spans(tags)
            if not found:
                continue
            new_toks, new_tags, cur = [], [], 0
            for typ, a, b in found:
                new_toks += toks[cur:a]
                new_tags += tags[cur:a]
                mention = rng.choice(pool[typ])
                new_toks += mention
                new_tags += ["B-" + typ] + ["I-" + typ] * (len(mention) - 1)
                cur = b
            new_toks += toks[cur:]
            new_tags += tags[cur:]
            out.append((new_toks, new_tags))
    return out


def load_data(args, held_out: int | None):
    """(training sentences, test sentences, counts). `held_out`: which sixth of ANERcorp train
    is the test slice (5 = the last, the evaluation protocol; None = train on everything)."""
    ner = SHARED / "ner"
    aner = read_conll(ner / "anercorp_camellab_train.conll")
    if held_out is not None:
        n_test = len(aner) // 6
        start = len(aner) - n_test * (6 - held_out)
        test = aner[start : start + n_test]
        train_aner = aner[:start] + aner[start + n_test :]
    else:
        train_aner, test = aner, []
    train = list(train_aner)
    info = {"anercorp": len(train_aner)}
    if getattr(args, "augment", 0):
        extra = mention_replaced(train_aner, args.augment)
        train += extra
        info["augmented"] = len(extra)
    if args.aqmar != "none":
        aq = read_conll(ner / "aqmar_dev.conll")
        aq = [(t, map_misc(g, args.aqmar)) for t, g in aq]
        train += aq
        info["aqmar"] = len(aq)
    extra = getattr(args, "extra", None)
    if extra:
        more = read_conll(Path(extra.format(slice="all" if held_out is None else held_out)))
        train += more
        info["extra"] = len(more)
    if args.newsfane != "none":
        fine = read_conll(ner / "newsfane_gold_train.fine.conll")
        news = [(t, map_fine(g, drop_misc=args.newsfane == "nomisc")) for t, g in fine]
        kept, test_like, held = filter_newsfane(news, train_aner, test)
        train += kept
        info.update(newsfane=len(kept), newsfane_dropped_test_like=test_like, newsfane_dropped_heldout=held)
    return train, test, info


# ------------------------------------------------------------------------------------ gazetteer
def build_gazetteer(out: Path) -> dict:
    """Compile word-level gazetteer flags from ../shared/gazetteers into `out` (TSV)."""
    gz = SHARED / "gazetteers"
    flags: dict[str, set[str]] = {}

    def add(word: str, flag: str):
        w = normalize_token(word.strip())
        if len(w) >= 2 and not w.isdigit():
            flags.setdefault(w, set()).add(flag)

    # ANERgazet person list: one name (sometimes two words) per line.
    for line in (gz / "anergazet/AlignedPersGazetteer.txt").read_text(encoding="utf-8").splitlines():
        for w in line.split():
            add(w, "PER")
    # ANERgazet locations (continent markers ==== and separators **** skipped).
    for line in (gz / "anergazet/AlignedLocGazetteer.txt").read_text(encoding="utf-8").splitlines():
        if line.strip().startswith(("====", "****")):
            continue
        for w in line.split():
            add(w, "LOC")
    # ANERgazet organizations: first word and later words.
    for line in (gz / "anergazet/AlignedOrgGazetteer.txt").read_text(encoding="utf-8").splitlines():
        words = line.split()
        for i, w in enumerate(words):
            add(w, "ORG" if len(words) == 1 else "ORGF" if i == 0 else "ORGW")
    # People: first name / last name of Arabic labels.
    lines = (gz / "people_en_ar.tsv").read_text(encoding="utf-8").splitlines()[1:]
    for line in lines:
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        words = [w for w in re.split(r"[\s()،,]+", parts[1]) if w]
        if not words:
            continue
        if len(words) == 1:
            add(words[0], "PPL")
            continue
        add(words[0], "PF")
        add(words[-1], "PL")
        for w in words[1:-1]:
            add(w, "PM")
    # Countries and demonyms.
    for line in (gz / "countries_demonyms_ar.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        surface, kind = parts[0], parts[1]
        words = surface.split()
        if kind.startswith("demonym"):
            if len(words) == 1:
                add(words[0], "DEM")
        else:
            if len(words) == 1:
                add(words[0], "CTRY")
            else:
                for w in words:
                    add(w, "CTRYW")
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        for w in sorted(flags):
            fh.write(f"{w}\t{','.join(sorted(flags[w]))}\n")
    return {"words": len(flags)}


# ------------------------------------------------------------------------------------ training
def explode_labeled(tokens: list[str], tags: list[str]) -> tuple[list[str], list[str]]:
    pieces, labels = [], []
    for tok, tag in zip(tokens, tags, strict=True):
        parts, at = explode(tok)
        for i, p in enumerate(parts):
            pieces.append(p)
            labels.append(tag if i == at else "O")
    return pieces, labels


def train_model(train, extractor, params: dict, verbose: bool = False):
    """Train CRFsuite; `extractor` is one FeatureExtractor or one per training sentence."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=verbose)
    for k, (toks, tags) in enumerate(train):
        x = extractor[k] if isinstance(extractor, list) else extractor
        pieces, labels = explode_labeled(toks, tags)
        trainer.append(x.sentence_features(pieces), labels)
    trainer.select(params.get("algorithm", "lbfgs"))
    trainer.set_params({k: v for k, v in params.items() if k != "algorithm"})
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.crfsuite")
        trainer.train(path)
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        info = tagger.info()
        labels = tagger.labels()
        tagger.close()
    return labels, info.state_features, info.transitions


def evaluate(tagger: Tagger, test, doc_size: int = 0) -> dict:
    """Entity-level scores; doc_size > 0: tag_documents over blocks of doc_size sentences
    (pseudo-documents: ANERcorp has no document boundaries)."""
    sents = [t for t, _ in test]
    if doc_size:
        docs = tagger.tag_documents([sents[i : i + doc_size] for i in range(0, len(sents), doc_size)])
        preds = [s for d in docs for s in d]
    else:
        preds = tagger.tag_sentences(sents)
    counts: dict[str, Counter[str]] = {t: Counter() for t in TYPES}
    for (_, gold), pred in zip(test, preds, strict=True):
        g = set(spans(gold))
        p = set(spans(pred))
        for typ in TYPES:
            gs = {s for s in g if s[0] == typ}
            ps = {s for s in p if s[0] == typ}
            counts[typ]["tp"] += len(gs & ps)
            counts[typ]["gold"] += len(gs)
            counts[typ]["pred"] += len(ps)
    res = {}
    total: Counter[str] = Counter()
    for typ in TYPES:
        total.update(counts[typ])
        res[typ] = _prf(counts[typ])
    res["overall"] = _prf(total)
    res["overall_no_misc"] = _prf(sum((counts[t] for t in ("PERS", "ORG", "LOC")), Counter()))
    return res


def _prf(c: Counter) -> dict:
    p = c["tp"] / c["pred"] if c["pred"] else 0.0
    r = c["tp"] / c["gold"] if c["gold"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f, "gold": c["gold"], "pred": c["pred"], "tp": c["tp"]}


def print_scores(res: dict) -> None:
    print(f"{'type':<16}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}{'pred':>7}")
    for k in (*TYPES, "overall", "overall_no_misc"):
        r = res[k]
        print(f"{k:<16}{r['p']:8.4f}{r['r']:8.4f}{r['f1']:8.4f}{r['gold']:7d}{r['pred']:7d}")


# ------------------------------------------------------------------------------------ priors
# Corpus tag priors ("what does the tagger call this word across 15k news articles?"): a first
# CRF tags unlabelled corpus text; each word's share of entity tags becomes a feature of the
# final CRF. To keep the final CRF from over-trusting them, the priors used on a training
# sentence come from a first CRF that did not see that sentence's fold (jackknife); the priors
# shipped with the model (and used at test time) come from a first CRF trained on all of it.


def split_sentences(body: str) -> list[list[str]]:
    """Whitespace-token 'sentences' of an article body, cut at . ! ? ؟ or every 80 tokens."""
    sents: list[list[str]] = []
    cur: list[str] = []
    for tok in body.split():
        cur.append(tok)
        if tok[-1] in ".!?؟" or len(cur) >= 80:
            sents.append(cur)
            cur = []
    if cur:
        sents.append(cur)
    return sents


def corpus_text_sentences(max_docs: int) -> list[list[str]]:
    sents: list[list[str]] = []
    n = 0
    for path in sorted((SHARED / "corpus").glob("articles-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                if n >= max_docs:
                    return sents
                n += 1
                sents.extend(split_sentences(json.loads(line).get("body") or ""))
    return sents


def tag_counts(tagger: Tagger, sentences: list[list[str]]) -> dict[str, list[int]]:
    """form -> [occurrences, B-PERS, I-PERS, B-ORG, I-ORG, B-LOC, I-LOC, B-MISC, I-MISC]."""
    slot = {f"{b}-{t}": 1 + 2 * i + (b == "I") for i, t in enumerate(TYPES) for b in "BI"}
    counts: dict[str, list[int]] = {}
    for start in range(0, len(sentences), 4000):
        batch = sentences[start : start + 4000]
        for toks, tags in zip(batch, tagger.tag_sentences(batch), strict=True):
            for tok, tag in zip(toks, tags, strict=True):
                parts, at = explode(tok)
                if at < 0:
                    continue
                form = core_form(parts[at])
                c = counts.get(form)
                if c is None:
                    c = counts[form] = [0] * 9
                c[0] += 1
                if tag != "O":
                    c[slot[tag]] += 1
    return counts


def priors_from_counts(counts: dict[str, list[int]], min_count: int = 3) -> dict[str, tuple[str, ...]]:
    out = {}
    for form, c in counts.items():
        n = c[0]
        if n < min_count:
            continue
        labels = []
        top = 0.0
        for i, typ in enumerate(TYPES):
            b, inner = c[1 + 2 * i], c[2 + 2 * i]
            rate = (b + inner) / n
            top = max(top, rate)
            for thr, name in ((0.05, "1"), (0.2, "2"), (0.5, "3"), (0.8, "4")):
                if rate >= thr:
                    labels.append(typ + name)
            if b + inner >= 3:
                if b >= 0.7 * (b + inner):
                    labels.append(typ + "B")
                elif b <= 0.3 * (b + inner):
                    labels.append(typ + "I")
        if top < 0.05:
            labels.append("O")
        out[form] = tuple(labels)
    return out


def save_priors(path: Path, priors: dict[str, tuple[str, ...]]) -> None:
    with gzip.GzipFile(path, "wb", mtime=0) as gz:
        lines = ["# corpus tag priors (scripts/train_ner.py)\n"]
        lines += [w + "\t" + "\t".join(priors[w]) + "\n" for w in sorted(priors) if priors[w]]
        gz.write("".join(lines).encode("utf-8"))


_JOB: dict = {}


def _prior_job(index: int):
    """Train a first-stage CRF without fold `index` (-1: on everything), tag the corpus."""
    job = _JOB
    folds = job["folds"]
    train = [s for k, fold in enumerate(folds) if k != index for s in fold]
    extractor = FeatureExtractor(job["gazetteer"], job["clusters"], job["features"], None, job["vectors"])
    labels, state, trans = train_model(train, extractor, job["params"])
    tagger = Tagger.from_dump(labels, state, trans, extractor)
    return index, priors_from_counts(tag_counts(tagger, job["corpus"]), job["min_count"])


def compute_priors(
    train, gazetteer, clusters, vectors, features, params, n_folds: int, docs: int, workers: int, min_count: int = 3
):
    """Jackknifed priors: (per-training-sentence priors dicts, priors for test time)."""
    import multiprocessing as mp

    size = -(-len(train) // n_folds)
    folds = [train[i : i + size] for i in range(0, len(train), size)]
    _JOB.update(
        folds=folds,
        gazetteer=gazetteer,
        clusters=clusters,
        vectors=vectors,
        features=features,
        params=params,
        corpus=corpus_text_sentences(docs),
        min_count=min_count,
    )
    jobs = [-1, *range(len(folds))]
    if workers > 1:
        with mp.get_context("fork").Pool(workers) as pool:
            results = dict(pool.map(_prior_job, jobs, chunksize=1))
    else:
        results = dict(map(_prior_job, jobs))
    _JOB.clear()
    per_sentence = [results[k] for k, fold in enumerate(folds) for _ in fold]
    return per_sentence, results[-1]


# ------------------------------------------------------------------------------------ lexicon
# Training-data label priors (Abdul-Hamid & Darwish 2010): for each word form (and for its
# proclitic-stripped base), how often the training data tags it B-X / I-X / O, binned into a
# few labels ("LOC4", "PERSB", "O", "n3" ...). The values used on a training sentence are
# jackknifed (counted on the other folds only), so the CRF learns how far to trust them on
# words it has not memorised; the packaged table (used at tagging time) counts all the data.

_LEX_SLOTS = {f"{b}-{t}": 2 * i + (b == "I") for i, t in enumerate(TYPES) for b in "BI"}


def lexicon_counts(sentences) -> dict[str, list[int]]:
    """key -> [B-PERS, I-PERS, B-ORG, I-ORG, B-LOC, I-LOC, B-MISC, I-MISC, occurrences];
    keys: normalized word form, and "+" + its proclitic-stripped base."""
    counts: dict[str, list[int]] = {}
    for toks, tags in sentences:
        for tok, tag in zip(toks, tags, strict=True):
            parts, at = explode(tok)
            if at < 0:
                continue
            form = core_form(parts[at])
            for key in (form, "+" + strip_proclitics(form)[1]):
                c = counts.get(key)
                if c is None:
                    c = counts[key] = [0] * 9
                c[8] += 1
                slot = _LEX_SLOTS.get(tag)
                if slot is not None:
                    c[slot] += 1
    return counts


def lexicon_labels(c: list[int]) -> tuple[str, ...]:
    n = c[8]
    nb = "1" if n == 1 else "2" if n <= 4 else "3" if n <= 19 else "4"
    labels = ["n" + nb]
    top = 0.0
    for i, typ in enumerate(TYPES):
        b, inner = c[2 * i], c[2 * i + 1]
        if b + inner == 0:
            continue
        rate = (b + inner) / n
        top = max(top, rate)
        if rate < 0.05:
            continue
        rb = 1 if rate < 0.2 else 2 if rate < 0.5 else 3 if rate < 0.8 else 4
        labels.append(f"{typ}{rb}")
        if rate >= 0.5:
            labels.append(f"{typ}{rb}n{nb}")
        share = b / (b + inner)
        labels.append(typ + ("B" if share >= 0.7 else "I" if share <= 0.3 else "M"))
    if top < 0.05:
        labels += ["O", "On" + nb]
    return tuple(labels)


def lexicon_from_counts(counts: dict[str, list[int]], minus: dict[str, list[int]] | None = None):
    out = {}
    for key, c in counts.items():
        if minus is not None and key in minus:
            c = [a - b for a, b in zip(c, minus[key], strict=True)]
            if c[8] <= 0:
                continue
        out[key] = lexicon_labels(c)
    return out


def jackknife_lexicons(train, n_folds: int):
    """(one lexicon per training sentence (shared objects, one per fold), full lexicon)."""
    size = -(-len(train) // n_folds)
    folds = [train[i : i + size] for i in range(0, len(train), size)]
    total = lexicon_counts(train)
    per_fold = [lexicon_from_counts(total, lexicon_counts(f)) for f in folds]
    per_sentence = [per_fold[k] for k, fold in enumerate(folds) for _ in fold]
    return per_sentence, lexicon_from_counts(total)


def save_lexicon(path: Path, lexicon: dict[str, tuple[str, ...]]) -> None:
    with gzip.GzipFile(path, "wb", mtime=0) as gz:
        lines = ["# training-data label priors (scripts/train_ner.py)\n"]
        lines += [w + "\t" + "\t".join(lexicon[w]) + "\n" for w in sorted(lexicon)]
        gz.write("".join(lines).encode("utf-8"))


# ------------------------------------------------------------------------------------ bench
def corpus_sentences(limit_docs: int):
    """Whitespace-token 'sentences' (cut at . ! ? ؟) of corpus article bodies."""
    path = SHARED / "corpus" / "articles-00.jsonl.gz"
    docs = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= limit_docs:
                break
            docs.append(split_sentences(json.loads(line).get("body") or ""))
    return docs


def bench(model: Path | None, docs: int, documents: bool = False) -> None:
    """Tokens/s, one tag_sentences call per article (or one tag_documents call per article).
    For a per-core figure run with OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1."""
    t0 = time.perf_counter()
    tagger = Tagger.load(model)
    print(f"load: {time.perf_counter() - t0:.2f}s")
    articles = corpus_sentences(docs)
    n_tok = sum(len(s) for a in articles for s in a)
    for label in ("cold", "warm"):
        t0 = time.perf_counter()
        for a in articles:
            if documents:
                tagger.tag_documents([a])
            else:
                tagger.tag_sentences(a)
        dt = time.perf_counter() - t0
        print(
            f"{label}{' (tag_documents)' if documents else ''}: {len(articles)} articles, "
            f"{n_tok} tokens in {dt:.2f}s: "
            f"{n_tok / dt:,.0f} tokens/s, {len(articles) / dt:,.0f} articles/s (one core)"
        )


# ------------------------------------------------------------------------------------ main
# c1/c2 measured on held-out sixths 0, 2 and 5 (micro-average, tag_sentences / tag_documents):
# 0.05/0.01 -> 0.726/0.742; 0.01/0.1 -> 0.736/0.757; 0.02/0.3 -> 0.736/0.755.
DEFAULT_PARAMS = {
    "algorithm": "lbfgs",
    "c1": 0.01,
    "c2": 0.1,
    "max_iterations": 300,
    "feature.possible_transitions": True,
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval", action="store_true", help="train on the eval split, print scores")
    ap.add_argument("--bench", action="store_true", help="measure tokens/s of the packaged model")
    ap.add_argument("--bench-docs", type=int, default=2000)
    ap.add_argument(
        "--bench-documents",
        action="store_true",
        help="--bench: time tag_documents (one call per article) instead of tag_sentences",
    )
    ap.add_argument(
        "--doc-size", type=int, default=20, help="--eval: pseudo-document size (sentences) for the tag_documents score"
    )
    ap.add_argument(
        "--slices",
        type=lambda v: [int(x) for x in v.split(",")],
        default=[5],
        help="--eval: which sixths of ANERcorp train to hold out, one model each "
        "(default 5 = the last sixth, the protocol; e.g. 0,2,5 for a 3-way check)",
    )
    ap.add_argument("--out", type=Path, default=DATA_DIR / MODEL_FILE, help="model file to write")
    ap.add_argument(
        "--newsfane",
        choices=("none", "all", "nomisc"),
        default="none",
        help="NewsFANE (same texts as ANERcorp, other guidelines): measured to hurt",
    )
    ap.add_argument(
        "--aqmar",
        choices=("none", "keep", "drop"),
        default="drop",
        help="AQMAR MISC: keep, or drop (-> O); none = do not use AQMAR",
    )
    ap.add_argument(
        "--extra",
        help="more training sentences (CoNLL); {slice} in the path is the "
        "held-out sixth (or 'all' when training the packaged model)",
    )
    ap.add_argument("--no-gazetteer", action="store_true")
    ap.add_argument("--no-clusters", action="store_true")
    ap.add_argument("--no-vectors", action="store_true")
    ap.add_argument(
        "--augment", type=int, default=0, help="add N mention-replaced copies of the entity-bearing ANERcorp sentences"
    )
    ap.add_argument("--dense-scale", type=float, default=6.0, help="multiplier of word-vector features")
    ap.add_argument("--c1", type=float, default=DEFAULT_PARAMS["c1"])
    ap.add_argument("--c2", type=float, default=DEFAULT_PARAMS["c2"])
    ap.add_argument(
        "--minfreq",
        type=float,
        default=0,
        help="CRFsuite feature.minfreq: drop features seen fewer times (0: keep all)",
    )
    ap.add_argument("--iterations", type=int, default=DEFAULT_PARAMS["max_iterations"])
    ap.add_argument("--prior-folds", type=int, default=0, help="jackknife folds for corpus tag priors (0: no priors)")
    ap.add_argument("--prior-docs", type=int, default=15000, help="corpus articles tagged for priors")
    ap.add_argument("--prior-iterations", type=int, default=150)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="--eval: keep each slice's model in KEEP/slice<N>/")
    ap.add_argument("--lex-folds", type=int, default=0, help="jackknife folds for training-data label priors (0: none)")
    ap.add_argument("--window", type=int, default=2, help="context window of token features")
    ap.add_argument(
        "--neural",
        type=Path,
        default=ROOT / "build" / "ner_lm.pt",
        help="pretrained token representations (scripts/pretrain_ner_lm.py) for the convolutional model",
    )
    ap.add_argument("--no-neural", action="store_true", help="the CRF alone")
    ap.add_argument(
        "--neural-weight",
        type=float,
        default=NEURAL_WEIGHT,
        help="weight of the convolutional model's scores added to the CRF's",
    )
    ap.add_argument("--neural-epochs", type=int, default=15)
    ap.add_argument("--neural-seed", type=int, default=1)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    if not args.no_neural and not args.bench and not args.neural.exists():
        ap.error(f"{args.neural} not found: run scripts/pretrain_ner_lm.py first (or --no-neural)")

    if args.bench:
        bench(args.out, args.bench_docs, args.bench_documents)
        return 0

    t_start = time.perf_counter()
    if not args.eval:
        train_and_save(args, None, args.out)
    else:
        # mode -> (description, CRF alone?, pseudo-document size or 0 for tag_sentences)
        modes = {
            "sentence": ("tag_sentences", False, 0),
            "document": (f"tag_documents, pseudo-documents of {args.doc_size} sentences", False, args.doc_size),
        }
        if not args.no_neural:  # the CRF alone too, for comparison
            modes = {
                f"{m} (CRF alone)": (how + ", CRF alone", True, size) for m, (how, _, size) in modes.items()
            } | modes
        totals: dict[str, dict[str, Counter]] = {m: {} for m in modes}
        for held in args.slices:
            with tempfile.TemporaryDirectory(prefix="ner_eval_") as tmp:
                out = Path(tmp) / MODEL_FILE
                if args.keep:
                    out = args.keep / f"slice{held}" / MODEL_FILE
                test = train_and_save(args, held, out)
                taggers = {
                    crf_only: Tagger.load(out, neural=not crf_only)
                    for crf_only in {crf_only for _, crf_only, _ in modes.values()}
                }
                results = {mode: evaluate(taggers[crf_only], test, size) for mode, (_, crf_only, size) in modes.items()}
            for mode, res in results.items():
                how = modes[mode][0]
                print(f"held-out slice: sixth #{held} of anercorp_camellab_train ({len(test)} sentences), {how}")
                print_scores(res)
                for k, r in res.items():
                    totals[mode].setdefault(k, Counter()).update({x: r[x] for x in ("tp", "gold", "pred")})
        if len(args.slices) > 1:
            for mode, total in totals.items():
                print(f"micro-average over slices {args.slices}, {mode} mode")
                print_scores({k: _prf(c) for k, c in total.items()})
    print(f"total time: {time.perf_counter() - t_start:.0f}s")
    return 0


def train_and_save(args, held_out: int | None, out: Path):
    """Build the gazetteer, train on the data (minus the held-out sixth), write the model and
    the resource files it needs into out's folder; returns the held-out sentences."""
    data_dir = out.parent
    data_dir.mkdir(parents=True, exist_ok=True)
    packaged = data_dir.resolve() == DATA_DIR.resolve()
    # Gazetteer: compiled from ../shared/gazetteers into the model folder.
    gz_path = data_dir / GAZETTEER_FILE
    if args.no_gazetteer:
        gazetteer = {}
    else:
        print("gazetteer:", build_gazetteer(gz_path))
        gazetteer = load_gazetteer(gz_path)
    clusters = {} if args.no_clusters else load_clusters(DATA_DIR / CLUSTERS_FILE)
    if clusters and not packaged:
        (data_dir / CLUSTERS_FILE).write_bytes((DATA_DIR / CLUSTERS_FILE).read_bytes())
    print(f"clusters: {len(clusters)} words")
    vectors = None if args.no_vectors else load_vectors(DATA_DIR / VECTORS_FILE)
    if vectors and not packaged:
        (data_dir / VECTORS_FILE).write_bytes((DATA_DIR / VECTORS_FILE).read_bytes())
    print(f"vectors: {len(vectors[0]) if vectors else 0} words")

    train, test, info = load_data(args, held_out)
    print("sentences:", info, "held-out:", len(test))
    params = dict(DEFAULT_PARAMS, c1=args.c1, c2=args.c2, max_iterations=args.iterations)
    if args.minfreq:
        params["feature.minfreq"] = args.minfreq
    priors_name = ""
    features = {"window": args.window, "dense_scale": args.dense_scale}
    if args.prior_folds:
        t0 = time.perf_counter()
        first_params = dict(params, max_iterations=args.prior_iterations)
        per_sentence, priors = compute_priors(
            train, gazetteer, clusters, vectors, features, first_params, args.prior_folds, args.prior_docs, args.workers
        )
        priors_name = PRIORS_FILE
        save_priors(data_dir / PRIORS_FILE, priors)
        extractors = {}
        with_priors: list[FeatureExtractor] = []
        for p in per_sentence:
            if id(p) not in extractors:
                extractors[id(p)] = FeatureExtractor(gazetteer, clusters, features, p, vectors)
            with_priors.append(extractors[id(p)])
        extractor: FeatureExtractor | list[FeatureExtractor] = with_priors
        print(f"priors: {len(priors)} words, {time.perf_counter() - t0:.0f}s")
    else:
        extractor = FeatureExtractor(gazetteer, clusters, features, None, vectors)
    lexicon_name = ""
    if args.lex_folds:
        per_sentence, lexicon = jackknife_lexicons(train, args.lex_folds)
        lexicon_name = LEXICON_FILE
        save_lexicon(data_dir / LEXICON_FILE, lexicon)
        base = extractor
        made = {}
        with_lexicon: list[FeatureExtractor] = []
        for k, lex in enumerate(per_sentence):
            x = base[k] if isinstance(base, list) else base
            key = (id(x), id(lex))
            if key not in made:
                made[key] = FeatureExtractor(x.gazetteer, x.clusters, x.config, x.priors, x.vectors, lex)
            with_lexicon.append(made[key])
        extractor = with_lexicon
        print(f"lexicon: {len(lexicon)} keys, {args.lex_folds} folds")
    t0 = time.perf_counter()
    labels, state, trans = train_model(train, extractor, params, args.verbose)
    print(f"trained in {time.perf_counter() - t0:.0f}s: {len(state)} state features")
    config = {
        model_version.KEY: ANALYSIS_VERSION,
        "gazetteer": GAZETTEER_FILE if gazetteer else "",
        "clusters": CLUSTERS_FILE if clusters else "",
        "priors": priors_name,
        "lexicon": lexicon_name,
        "lex_folds": args.lex_folds,
        "vectors": VECTORS_FILE if vectors else "",
        "params": params,
        "data": info,
        "features": features,
        "prior_folds": args.prior_folds,
        "prior_docs": args.prior_docs,
    }
    if not args.no_neural:
        import torch

        from ner_neural import export, fine_tune

        t0 = time.perf_counter()
        torch.set_num_threads(1)  # one thread: the same weights on any machine
        model, vocab = fine_tune(train, args.neural, args.neural_epochs, args.neural_seed)
        export(
            model, vocab, data_dir / NEURAL_FILE, {"data": info, "epochs": args.neural_epochs, "seed": args.neural_seed}
        )
        config.update(neural=NEURAL_FILE, neural_weight=args.neural_weight)
        print(
            f"neural model: {data_dir / NEURAL_FILE} ({(data_dir / NEURAL_FILE).stat().st_size / 1e6:.2f} MB), "
            f"{time.perf_counter() - t0:.0f}s"
        )
    Tagger.save(out, labels, state, trans, config)
    print(f"model: {out} ({out.stat().st_size / 1e6:.2f} MB)")
    return test


if __name__ == "__main__":
    sys.exit(main())
