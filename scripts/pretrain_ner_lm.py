"""Pretrain the neural NER model's token representations as a bidirectional language model
over unlabelled corpus text (see ner_neural.py), for a fixed number of training tokens.

    python scripts/pretrain_ner_lm.py            # 12M tokens, about 15 minutes on one core
    python scripts/train_ner.py                  # then: CRF + convolutional model, fine-tuned

Writes build/ner_lm.pt (weights and the feature names they belong to; no corpus text). The
feature vocabulary is that of the labelled NER training sentences, so that fine-tuning finds
its rows; the language model only sees corpus text.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
from tqdm import tqdm

from ner_neural import BiLM, TypeTable, Vocab, length_batches, make_extractor, seed_everything
from search.entities.features import explode_sentence
from train_ner import SHARED, explode_labeled, load_data

ROOT = Path(__file__).resolve().parent.parent

SENTENCE_END = {".", "!", "?", "؟"}
DEFAULT_OUT = ROOT / "build" / "ner_lm.pt"


def corpus_sentences(table: TypeTable, max_tokens: int) -> list[np.ndarray]:
    """Type-id sentences (3-60 pieces, cut at . ! ? ؟) from the first corpus files, up to
    `max_tokens` pieces."""
    sents: list[np.ndarray] = []
    n = 0
    for path in sorted((SHARED / "corpus").glob("articles-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                pieces, _ = explode_sentence((json.loads(line).get("body") or "").split())
                cur: list[int] = []
                for p in pieces:
                    cur.append(table.id(p))
                    if p in SENTENCE_END or len(cur) >= 60:
                        if len(cur) >= 3:
                            sents.append(np.array(cur, dtype=np.int64))
                            n += len(cur)
                        cur = []
                if len(cur) >= 3:
                    sents.append(np.array(cur, dtype=np.int64))
                    n += len(cur)
                if n >= max_tokens:
                    return sents
    return sents


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus-tokens", type=float, default=6e6, help="corpus pieces read")
    ap.add_argument("--train-tokens", type=float, default=12e6, help="pieces trained on (passes x corpus)")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--idrop", type=float, default=0.25)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    if not (SHARED / "corpus").is_dir():
        sys.exit(f"no corpus at {SHARED / 'corpus'}")
    torch.set_num_threads(args.threads)
    rng = seed_everything(args.seed)
    t0 = time.time()
    x = make_extractor()
    train, _, _ = load_data(argparse.Namespace(aqmar="drop", newsfane="none", augment=0), None)
    vocab = Vocab.from_pieces((p for toks, tags in train for p in explode_labeled(toks, tags)[0]), x)
    table = TypeTable(vocab, x, clusters=x.clusters)
    sents = corpus_sentences(table, int(args.corpus_tokens))
    table.freeze()
    print(
        f"vocabulary: {len(vocab.feats)} features, {len(vocab.chars)} chars; corpus: {len(sents)} "
        f"sentences, {sum(map(len, sents))} pieces, {len(table)} types ({time.time() - t0:.0f}s)",
        flush=True,
    )

    model = BiLM(vocab)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    order = rng.permutation(len(sents))
    n_dev = min(1000, len(sents) // 10)
    if len(sents) - n_dev < 10:
        sys.exit("too little corpus text to pretrain on")
    dev = [sents[i] for i in order[:n_dev]]
    train_sents = [sents[i] for i in order[n_dev:]]
    lengths = [len(s) for s in train_sents]

    def dev_loss() -> float:
        model.eval()
        total = count = 0.0
        with torch.no_grad():
            for i in range(0, len(dev), 128):
                for loss, n in model.loss(table, dev[i : i + 128]):
                    total += loss.item()
                    count += n
        model.train()
        return total / count

    print(f"dev loss per token before: {dev_loss():.3f}", flush=True)
    budget = int(args.train_tokens)
    seen = 0
    bar = tqdm(total=budget, unit="tok", unit_scale=True, desc="pretraining", mininterval=5)
    while seen < budget:
        for b in length_batches(lengths, args.batch, rng):
            batch = [train_sents[k] for k in b]
            (lf, nf), (lb, nb) = model.loss(table, batch, rng, args.idrop)
            loss = (lf / nf + lb / nb) / 2
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            n = sum(lengths[k] for k in b)
            seen += n
            bar.update(n)
            bar.set_postfix(loss=f"{loss.item():.3f}", refresh=False)
            if seen >= budget:
                break
    bar.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(
        {
            "state": {k: v for k, v in model.state_dict().items() if k.startswith("enc.")},
            "feats": vocab.feats,
            "chars": vocab.chars,
            "tokens": seen,
            "seed": args.seed,
        },
        args.out,
    )
    print(f"dev loss per token after: {dev_loss():.3f}; {seen} tokens in {time.time() - t0:.0f}s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
