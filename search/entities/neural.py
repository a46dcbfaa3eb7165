"""Numpy inference of the convolutional NER model trained by ``scripts/train_ner.py`` (torch
side: ``scripts/ner_neural.py``), whose label scores are added to the CRF's in `Tagger`.

Cost is kept per token type, like the CRF's: a type's representation (feature bag + word vector
+ character CNN, projected) and its three contributions to the first convolution are computed
once, when the type is first seen (`type_blocks`); per token, tagging is then a gather, one
64x64 product per tap of the second convolution and the output layer (`emissions`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix

from .features import FeatureExtractor, core_form
from .model_version import check as check_analysis_version

NEURAL_FILE = "ner_neural.npz"
LABELS = ["O"] + [f"{b}-{t}" for t in ("PERS", "ORG", "LOC", "MISC") for b in "BI"]
MAX_CHARS = 16


def char_form(piece: str) -> str:
    """The characters the character CNN reads: the normalized form, long ones cut in the middle."""
    form = core_form(piece)
    if len(form) > MAX_CHARS:
        form = form[: MAX_CHARS // 2] + form[-MAX_CHARS // 2 :]
    return form


class ConvScorer:
    """A loaded convolutional model: per-type blocks and per-token label scores."""

    def __init__(self, path: str | Path):
        with np.load(path, allow_pickle=False) as z:
            a = {k: z[k] for k in z.files}
        self.labels = a["labels"].tolist()
        self.meta = json.loads(bytes(a["meta"]).decode("utf-8"))
        check_analysis_version(self.meta, path)
        feats = bytes(a["feats"]).decode("utf-8").split("\n")
        self._fid = {f: i + 1 for i, f in enumerate(feats)}
        self._cid = {c: i + 2 for i, c in enumerate(bytes(a["chars"]).decode("utf-8"))}
        self._bag = a["bag_q"].astype(np.float32) * a["bag_scale"][:, None]
        self._bag[0] = 0.0
        # character CNN folded per tap: each character's embedding times the tap's weights
        # (row 0, padding, stays zero), so the convolution is three gathers
        self._char_taps = np.einsum("ce,oek->kco", a["cemb"], a["conv_w"]).astype(np.float32)
        self._conv_b = a["conv_b"]
        self._proj_w = np.ascontiguousarray(a["proj_w"].T)
        self._proj_b = a["proj_b"]
        h = a["c1_w"].shape[0]
        # first convolution folded per tap: block[k] = rep @ c1_w[:, :, k].T
        self._c1_w = np.ascontiguousarray(a["c1_w"].transpose(1, 2, 0).reshape(-1, 3 * h))
        self._c1_b = a["c1_b"]
        self._c2_w = np.ascontiguousarray(a["c2_w"].transpose(2, 1, 0))  # (3, in, out)
        self._c2_b = a["c2_b"]
        self._out_w = np.ascontiguousarray(a["out_w"].T)
        self._out_b = a["out_b"]
        self.transitions, self.start, self.end = a["trans"], a["start"], a["end"]
        self.hidden = h

    def type_blocks(
        self,
        pieces: Sequence[str],
        extractor: FeatureExtractor,
        features: Sequence[Sequence[str]] | None = None,
        vectors: Sequence[np.ndarray | None] | None = None,
    ) -> np.ndarray:
        """(n, 3, hidden) first-convolution contributions of token types (as left neighbour,
        itself, right neighbour). `features`, `vectors`: their own CRF features and (scaled)
        word vectors, when the caller has them already."""
        n = len(pieces)
        fid, cid = self._fid, self._cid
        flat: list[int] = []
        starts: list[int] = []
        vec = np.zeros((n, 65), dtype=np.float32)
        chars = np.zeros((n, MAX_CHARS), dtype=np.int64)
        scale = extractor.dense_scale or 1.0
        for k, p in enumerate(pieces):
            starts.append(len(flat))
            flat.append(0)
            own = features[k] if features is not None else extractor.own_features(p)
            flat.extend([fid[f] for f in own if f in fid])
            v = vectors[k] if vectors is not None else extractor.dense(p)
            if v is not None:
                vec[k, :64] = v / scale
                vec[k, 64] = 1.0
            cc = [cid.get(c, 1) for c in char_form(p)]
            chars[k, : len(cc)] = cc
        # feature bag: a sparse (types x features) product, not a gather of every row + sum
        starts.append(len(flat))
        bag = (
            csr_matrix(
                (
                    np.ones(len(flat), dtype=np.float32),
                    np.array(flat, dtype=np.int64),
                    np.array(starts, dtype=np.int64),
                ),
                shape=(n, len(self._bag)),
            )
            @ self._bag
        )
        # character CNN (width 3, zero padding), ReLU, max over all MAX_CHARS positions (as in
        # training: positions past the word have zero embeddings, not zero outputs)
        taps = self._char_taps
        conv = taps[1][chars] + self._conv_b  # (n, MAX_CHARS, channels)
        conv[:, 1:] += taps[0][chars[:, :-1]]
        conv[:, :-1] += taps[2][chars[:, 1:]]
        c = np.maximum(conv, 0).max(1)
        rep = np.tanh(np.concatenate([bag, vec, c], 1) @ self._proj_w + self._proj_b)
        return (rep @ self._c1_w).reshape(n, 3, self.hidden)

    def emissions(self, blocks: np.ndarray, is_token: np.ndarray) -> np.ndarray:
        """Label scores at every stream position, given each position's type block and whether
        it is a real token (sentence gaps, at least two positions wide, are not)."""
        h = blocks[:, 1] + self._c1_b
        h[1:] += blocks[:-1, 0]
        h[:-1] += blocks[1:, 2]
        np.maximum(h, 0, out=h)
        h *= is_token[:, None]
        w = self._c2_w
        g = h @ w[1] + self._c2_b
        g[2:] += h[:-2] @ w[0]
        g[:-2] += h[2:] @ w[2]
        np.maximum(g, 0, out=g)
        return g @ self._out_w + self._out_b
