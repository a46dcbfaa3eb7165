#!/usr/bin/env python3
"""Train (and evaluate) Arshif's named-entity tagger from ../shared/ner.

    python scripts/train_ner.py            # build the gazetteer file, train on everything,
                                           # write search/entities/data/ner_model.npz
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

Everything is deterministic (CRFsuite L-BFGS, fixed orders).
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from search.arabic import normalize, normalize_token  # noqa: E402
from search.entities.features import (  # noqa: E402
    CLUSTERS_FILE, DATA_DIR, GAZETTEER_FILE, FeatureExtractor, explode, load_clusters,
    load_gazetteer,
)
from search.entities.tagger import MODEL_FILE, Tagger, spans  # noqa: E402

SHARED = Path(os.environ.get("ARSHIF_SHARED") or ROOT.parent / "shared")
TYPES = ("PERS", "ORG", "LOC", "MISC")

# NewsFANE fine class -> ANERcorp type (None = O). See shared/ner/README.md.
FINE_TO_COARSE = {
    **{c: "PERS" for c in ("Artist", "Athlete", "Businessperson", "Engineer", "Lawyer", "Other_PER",
                           "Police", "Politician", "Religious_PER", "Scientist")},
    "Group": None,
    **{c: "ORG" for c in ("Commercial", "Educational", "Entertainment", "Government", "Media",
                          "Medical-Science", "Non-Governmental", "Religious_ORG", "Sports")},
    **{c: "LOC" for c in ("Airport", "Building-Grounds", "Celestial", "Continent",
                          "County-or-District", "GPE-Cluster", "Land-Region-Natural", "Nation",
                          "Path", "Plant", "Population-Center", "State-or-Province",
                          "Subarea-Facility", "Water-Body")},
    **{c: "MISC" for c in ("Air", "Book", "Drug", "Food", "Hardware", "Land", "Movie",
                           "Projectile", "Shooting", "Software", "Water")},
}


# ------------------------------------------------------------------------------------ data
def read_conll(path: Path) -> list[tuple[list[str], list[str]]]:
    sents, toks, tags = [], [], []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\r\n")
            if not line.strip():
                if toks:
                    sents.append((toks, tags))
                    toks, tags = [], []
                continue
            tok, _, tag = line.partition("\t")
            toks.append(tok.strip())
            tags.append(tag.strip() or "O")
    if toks:
        sents.append((toks, tags))
    return sents


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
    return {key[i:i + _N] for i in range(len(key) - _N + 1)}


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


def load_data(args, eval_mode: bool):
    ner = SHARED / "ner"
    aner = read_conll(ner / "anercorp_camellab_train.conll")
    if eval_mode:
        n_test = len(aner) // 6
        train_aner, test = aner[:-n_test], aner[-n_test:]
    else:
        train_aner, test = aner, []
    train = list(train_aner)
    info = {"anercorp": len(train_aner)}
    if args.aqmar != "none":
        aq = read_conll(ner / "aqmar_dev.conll")
        aq = [(t, map_misc(g, args.aqmar)) for t, g in aq]
        train += aq
        info["aqmar"] = len(aq)
    if args.newsfane != "none":
        fine = read_conll(ner / "newsfane_gold_train.fine.conll")
        news = [(t, map_fine(g, drop_misc=args.newsfane == "nomisc")) for t, g in fine]
        kept, test_like, held = filter_newsfane(news, train_aner, test)
        train += kept
        info.update(newsfane=len(kept), newsfane_dropped_test_like=test_like,
                    newsfane_dropped_heldout=held)
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
    for tok, tag in zip(tokens, tags):
        parts, at = explode(tok)
        for i, p in enumerate(parts):
            pieces.append(p)
            labels.append(tag if i == at else "O")
    return pieces, labels


def train_model(train, extractor: FeatureExtractor, params: dict, verbose: bool = False):
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=verbose)
    for toks, tags in train:
        pieces, labels = explode_labeled(toks, tags)
        trainer.append(extractor.sentence_features(pieces), labels)
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


def evaluate(tagger: Tagger, test) -> dict:
    preds = tagger.tag_sentences([t for t, _ in test])
    counts = {t: Counter() for t in TYPES}
    for (toks, gold), pred in zip(test, preds):
        g = set(spans(gold))
        p = set(spans(pred))
        for typ in TYPES:
            gs = {s for s in g if s[0] == typ}
            ps = {s for s in p if s[0] == typ}
            counts[typ]["tp"] += len(gs & ps)
            counts[typ]["gold"] += len(gs)
            counts[typ]["pred"] += len(ps)
    res = {}
    total = Counter()
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


# ------------------------------------------------------------------------------------ bench
def corpus_sentences(limit_docs: int):
    """Whitespace-token 'sentences' (cut at . ! ? ؟) of corpus article bodies."""
    path = SHARED / "corpus" / "articles-00.jsonl.gz"
    docs = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= limit_docs:
                break
            body = json.loads(line).get("body") or ""
            sents, cur = [], []
            for tok in body.split():
                cur.append(tok)
                if tok[-1] in ".!?؟" or len(cur) >= 80:
                    sents.append(cur)
                    cur = []
            if cur:
                sents.append(cur)
            docs.append(sents)
    return docs


def bench(model: Path | None, docs: int) -> None:
    t0 = time.perf_counter()
    tagger = Tagger.load(model)
    print(f"load: {time.perf_counter() - t0:.2f}s")
    articles = corpus_sentences(docs)
    n_tok = sum(len(s) for a in articles for s in a)
    for label in ("cold", "warm"):
        t0 = time.perf_counter()
        for a in articles:
            tagger.tag_sentences(a)
        dt = time.perf_counter() - t0
        print(f"{label}: {len(articles)} articles, {n_tok} tokens in {dt:.2f}s: "
              f"{n_tok / dt:,.0f} tokens/s, {len(articles) / dt:,.0f} articles/s (one core)")


# ------------------------------------------------------------------------------------ main
DEFAULT_PARAMS = {"algorithm": "lbfgs", "c1": 0.05, "c2": 0.01, "max_iterations": 300,
                  "feature.possible_transitions": True}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval", action="store_true", help="train on the eval split, print scores")
    ap.add_argument("--bench", action="store_true", help="measure tokens/s of the packaged model")
    ap.add_argument("--bench-docs", type=int, default=2000)
    ap.add_argument("--out", type=Path, default=DATA_DIR / MODEL_FILE, help="model file to write")
    ap.add_argument("--newsfane", choices=("none", "all", "nomisc"), default="all")
    ap.add_argument("--aqmar", choices=("none", "keep", "drop"), default="drop",
                    help="AQMAR MISC: keep, or drop (-> O); none = do not use AQMAR")
    ap.add_argument("--no-gazetteer", action="store_true")
    ap.add_argument("--no-clusters", action="store_true")
    ap.add_argument("--c1", type=float, default=DEFAULT_PARAMS["c1"])
    ap.add_argument("--c2", type=float, default=DEFAULT_PARAMS["c2"])
    ap.add_argument("--iterations", type=int, default=DEFAULT_PARAMS["max_iterations"])
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)

    if args.bench:
        bench(args.out, args.bench_docs)
        return 0

    t_start = time.perf_counter()
    data_dir = args.out.parent if not args.eval else Path(tempfile.mkdtemp(prefix="ner_eval_"))
    # Gazetteer: compiled from ../shared/gazetteers into the model folder.
    gz_path = data_dir / GAZETTEER_FILE
    if args.no_gazetteer:
        gazetteer = {}
    else:
        print("gazetteer:", build_gazetteer(gz_path))
        gazetteer = load_gazetteer(gz_path)
    clusters = {} if args.no_clusters else load_clusters(DATA_DIR / CLUSTERS_FILE)
    if args.eval and clusters:
        (data_dir / CLUSTERS_FILE).write_bytes((DATA_DIR / CLUSTERS_FILE).read_bytes())
    print(f"clusters: {len(clusters)} words")

    train, test, info = load_data(args, args.eval)
    print("sentences:", info, "held-out:", len(test))
    extractor = FeatureExtractor(gazetteer, clusters)
    params = dict(DEFAULT_PARAMS, c1=args.c1, c2=args.c2, max_iterations=args.iterations)
    t0 = time.perf_counter()
    labels, state, trans = train_model(train, extractor, params, args.verbose)
    print(f"trained in {time.perf_counter() - t0:.0f}s: {len(state)} state features")
    config = {"gazetteer": GAZETTEER_FILE if gazetteer else "", "clusters": CLUSTERS_FILE if clusters else "",
              "params": params, "data": info}
    out = data_dir / MODEL_FILE if args.eval else args.out
    Tagger.save(out, labels, state, trans, config)
    print(f"model: {out} ({out.stat().st_size / 1e6:.2f} MB)")
    if args.eval:
        tagger = Tagger.load(out)
        print_scores(evaluate(tagger, test))
    print(f"total time: {time.perf_counter() - t_start:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
