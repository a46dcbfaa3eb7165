"""Learn word clusters for the NER tagger from ../shared/corpus (unlabelled news text).

    python scripts/build_word_clusters.py      # writes search/entities/data/ner_clusters.tsv.gz

Method (deterministic, CPU, a few minutes):
1. Tokens: whitespace split, punctuation split off, normalized exactly as the tagger does
   (``search.entities.features.explode`` / ``core_form``).
2. Word vectors: positional co-occurrence counts (the words at -2, -1, +1, +2, each position its
   own context block) for the top --vocab words against the top --contexts forms; positive PMI
   with context-distribution smoothing (alpha 0.75); truncated SVD (--dim) weighted by
   sqrt(singular values), rows L2-normalized.
3. Clusters: k-means with the finest k, then the centroids are clustered again into each
   coarser k, so the granularities nest like a Brown-cluster hierarchy.
Output: gzip TSV, one line per word: ``word<TAB>id_k1<TAB>id_k2...`` with ks from coarse to fine;
and ``ner_vectors.npz``: the leading SVD dimensions of the most frequent words, int8 with one
scale per dimension. Only words, cluster ids and numbers are stored; no corpus text.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from search.entities.features import (
    CLUSTERS_FILE,
    DATA_DIR,
    VECTORS_FILE,
    core_form,
    explode,
    shape,
)

ROOT = Path(__file__).resolve().parents[1]

SHARED = Path(os.environ.get("ARSHIF_SHARED") or ROOT.parent / "shared")


def corpus_docs(corpus: Path):
    for path in sorted(corpus.glob("articles-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                yield " ".join(x for x in (rec.get("title"), rec.get("body")) if x)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    ap.add_argument("--out", type=Path, default=DATA_DIR / CLUSTERS_FILE)
    ap.add_argument("--vocab", type=int, default=150_000)
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--contexts", type=int, default=10_000)
    ap.add_argument("--dim", type=int, default=128)
    ap.add_argument("--ks", default="32,128,512,2048")
    ap.add_argument(
        "--vectors-out",
        type=Path,
        default=DATA_DIR / VECTORS_FILE,
        help="word vectors for the tagger (int8, the first --vector-dims SVD dimensions "
        "of the --vector-words most frequent words)",
    )
    ap.add_argument("--vector-dims", type=int, default=64)
    ap.add_argument("--vector-words", type=int, default=100_000)
    args = ap.parse_args(argv)
    ks = sorted(int(k) for k in args.ks.split(","))
    t0 = time.perf_counter()

    # 1. token ids per document
    forms: dict[str, int] = {}
    docs: list[np.ndarray] = []
    for text in corpus_docs(args.corpus):
        ids = []
        for tok in text.split():
            for piece in explode(tok)[0]:
                f = core_form(piece)
                i = forms.get(f)
                if i is None:
                    i = forms[f] = len(forms)
                ids.append(i)
        docs.append(np.array(ids, dtype=np.int32))
    names = np.array(list(forms), dtype=object)
    counts = np.bincount(np.concatenate(docs), minlength=len(forms))
    print(f"{len(docs)} docs, {counts.sum()} tokens, {len(forms)} forms ({time.perf_counter() - t0:.0f}s)", flush=True)

    # 2. vocabularies (ties broken by form, for determinism)
    order = sorted(range(len(forms)), key=lambda i: (-counts[i], names[i]))
    words = [i for i in order if counts[i] >= args.min_count and shape(names[i]) != "P"][: args.vocab]
    contexts = order[: args.contexts]
    wmap = np.full(len(forms), -1, dtype=np.int64)
    wmap[words] = np.arange(len(words))
    cmap = np.full(len(forms), -1, dtype=np.int64)
    cmap[contexts] = np.arange(len(contexts))
    nc = len(contexts)

    # 3. positional co-occurrences
    mat = sp.csr_matrix((len(words), 4 * nc), dtype=np.float64)
    batch_rows: list[np.ndarray] = []
    batch_cols: list[np.ndarray] = []

    def flush():
        nonlocal mat
        if batch_rows:
            r = np.concatenate(batch_rows)
            c = np.concatenate(batch_cols)
            mat = mat + sp.csr_matrix((np.ones(len(r)), (r, c)), shape=mat.shape)
            batch_rows.clear()
            batch_cols.clear()

    pending = 0
    for doc in docs:
        w = wmap[doc]
        c = cmap[doc]
        for block, off in enumerate((-2, -1, 1, 2)):
            if off < 0:
                tw, tc = w[-off:], c[:off]
            else:
                tw, tc = w[:-off], c[off:]
            ok = (tw >= 0) & (tc >= 0)
            batch_rows.append(tw[ok])
            batch_cols.append(tc[ok] + block * nc)
            pending += int(ok.sum())
        if pending > 20_000_000:
            flush()
            pending = 0
    flush()
    print(f"co-occurrence matrix {mat.shape}, {mat.nnz} non-zeros ({time.perf_counter() - t0:.0f}s)", flush=True)

    # 4. PPMI with smoothed context distribution
    coo = mat.tocoo()
    total = coo.sum()
    row_sum = np.asarray(coo.sum(1)).ravel()
    col_sum = np.asarray(coo.sum(0)).ravel() ** 0.75
    col_p = col_sum / col_sum.sum()
    pmi = np.log(coo.data * 1.0 / total) - np.log(row_sum[coo.row] / total) - np.log(col_p[coo.col])
    keep = pmi > 0
    ppmi = sp.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=coo.shape)

    from sklearn.cluster import KMeans
    from sklearn.utils.extmath import randomized_svd

    u, s, _ = randomized_svd(ppmi, n_components=args.dim, n_iter=5, random_state=0)
    vec = u * np.sqrt(s)
    vec /= np.linalg.norm(vec, axis=1, keepdims=True) + 1e-9
    print(f"svd done ({time.perf_counter() - t0:.0f}s)", flush=True)
    if args.vectors_out:
        top = vec[: args.vector_words, : args.vector_dims]
        scale = np.abs(top).max(0) / 127.0
        q = np.round(top / scale).astype(np.int8)
        joined = "\n".join(names[i] for i in words[: args.vector_words]).encode("utf-8")
        np.savez_compressed(
            args.vectors_out, words=np.frombuffer(joined, dtype=np.uint8), q=q, scale=scale.astype(np.float32)
        )
        print(f"wrote {args.vectors_out} ({args.vectors_out.stat().st_size / 1e6:.2f} MB)", flush=True)

    # 5. nested k-means: finest first, then cluster the centroids
    finest = KMeans(n_clusters=ks[-1], n_init=1, max_iter=25, random_state=0).fit(vec)
    labels = {ks[-1]: finest.labels_}
    centers = finest.cluster_centers_
    weights = np.bincount(finest.labels_, minlength=ks[-1])
    for k in reversed(ks[:-1]):
        km = KMeans(n_clusters=k, n_init=4, random_state=0).fit(centers, sample_weight=weights)
        labels[k] = km.labels_[labels[ks[-1]]]
    print(f"k-means done ({time.perf_counter() - t0:.0f}s)", flush=True)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(args.out, "wb", mtime=0) as gz:
        lines = [f"# word clusters k={','.join(map(str, ks))} (scripts/build_word_clusters.py)\n"]
        for r, i in sorted(enumerate(words), key=lambda x: names[x[1]]):
            lines.append(names[i] + "\t" + "\t".join(str(labels[k][r]) for k in ks) + "\n")
        gz.write("".join(lines).encode("utf-8"))
    print(
        f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB, {len(words)} words) "
        f"in {time.perf_counter() - t0:.0f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
