"""Torch side of the convolutional NER model (training only; tagging is numpy, in
``search/entities/neural.py``).

A token type's representation is the sum of learned embeddings of its own CRF features (the
"feature bag": word, affixes, shape, gazetteer flags, word clusters), its corpus word vector and
a character CNN, projected to 128 dimensions. ``pretrain_ner_lm.py`` trains that representation
as a bidirectional language model over corpus text (a BiLSTM predicts the word cluster of the
next and of the previous token); ``train_ner.py`` then puts two 1-D convolutions (width 3, then
width 3 dilated by 2) and a CRF layer on top and fine-tunes on the labelled sentences. The
model is added to the CRF's scores at tagging time (see data/NER.md for the measurements).
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

from search.arabic import ANALYSIS_VERSION
from search.entities import model_version
from search.entities.features import (
    CLUSTERS_FILE,
    DATA_DIR,
    GAZETTEER_FILE,
    VECTORS_FILE,
    FeatureExtractor,
    core_form,
    load_clusters,
    load_gazetteer,
    load_vectors,
    shape,
    strip_proclitics,
)
from search.entities.neural import LABELS, MAX_CHARS, char_form

SIZES = {"bag": 64, "char_emb": 24, "char": 32, "proj": 128, "hidden": 64}
IDENT_PREFIXES = ("w=", "B=", "st=")  # identity features, dropped at random while training
N_CLUSTERS = 2048  # LM targets: the finest word-cluster level (+1 = none)


def make_extractor() -> FeatureExtractor:
    """The CRF's feature extractor over the packaged resources, vectors unscaled."""
    return FeatureExtractor(
        load_gazetteer(DATA_DIR / GAZETTEER_FILE),
        load_clusters(DATA_DIR / CLUSTERS_FILE),
        {"window": 2, "dense_scale": 1.0},
        None,
        load_vectors(DATA_DIR / VECTORS_FILE),
    )


class Vocab:
    """Feature and character inventories (index 0 = padding; chars: 1 = unknown)."""

    def __init__(self, feats: list[str], chars: list[str]):
        self.feats = list(feats)
        self.chars = list(chars)
        self.fid = {f: i + 1 for i, f in enumerate(self.feats)}
        self.cid = {c: i + 2 for i, c in enumerate(self.chars)}

    @classmethod
    def from_pieces(cls, pieces, extractor: FeatureExtractor, min_count: int = 2) -> Vocab:
        fcount: dict[str, int] = {}
        ccount: dict[str, int] = {}
        for p in pieces:
            for f in extractor.own_features(p):
                fcount[f] = fcount.get(f, 0) + 1
            for c in char_form(p):
                ccount[c] = ccount.get(c, 0) + 1
        feats = [f for f, n in fcount.items() if n >= min_count and f != "b"]
        chars = [c for c, n in ccount.items() if n >= min_count]
        return cls(feats, chars)


class TypeTable:
    """Token types (exploded pieces) and their model inputs, kept as flat arrays so that a batch
    of types becomes tensors without a Python loop per feature."""

    def __init__(self, vocab: Vocab, extractor: FeatureExtractor, clusters: dict | None = None):
        self.vocab, self.x = vocab, extractor
        self.clusters = clusters
        self.ids: dict[str, int] = {}
        self._feats: list[np.ndarray] = []
        self._vecs: list[np.ndarray] = []
        self._chars: list[list[int]] = []
        self._targets: list[int] = []
        self._frozen = 0

    def __len__(self) -> int:
        return len(self.ids)

    def id(self, piece: str) -> int:
        t = self.ids.get(piece)
        if t is None:
            t = self.ids[piece] = len(self.ids)
            fid, cid = self.vocab.fid, self.vocab.cid
            self._feats.append(np.array([fid[f] for f in self.x.own_features(piece) if f in fid], dtype=np.int64))
            vec = np.zeros(65, dtype=np.float32)
            v = self.x.dense(piece)
            if v is not None:
                vec[:64] = v
                vec[64] = 1.0
            self._vecs.append(vec)
            self._chars.append([cid.get(c, 1) for c in char_form(piece)])
            if self.clusters is not None:
                self._targets.append(self._cluster(piece, self.clusters))
        return t

    @staticmethod
    def _cluster(piece: str, clusters: dict) -> int:
        form = core_form(piece)
        cl = clusters.get(form)
        if cl is None and shape(piece) == "A":
            cl = clusters.get(strip_proclitics(form)[1])
        return int(cl[-1]) if cl else N_CLUSTERS

    def freeze(self) -> None:
        """Build the flat arrays (call after adding types, before `tensors`)."""
        if self._frozen == len(self.ids):
            return
        lens = np.array([len(f) for f in self._feats], dtype=np.int64)
        self.indptr = np.concatenate([[0], np.cumsum(lens)])
        self.indices = np.concatenate(self._feats) if self._feats else np.zeros(0, np.int64)
        self.vecmat = np.stack(self._vecs)
        self.charmat = np.zeros((len(self._chars), MAX_CHARS), dtype=np.int64)
        for k, cc in enumerate(self._chars):
            self.charmat[k, : len(cc)] = cc
        self.targets = np.array(self._targets, dtype=np.int64)
        ident = np.zeros(len(self.vocab.feats) + 1, dtype=bool)
        for f, i in self.vocab.fid.items():
            ident[i] = f.startswith(IDENT_PREFIXES)
        self.is_ident = ident
        self._frozen = len(self.ids)

    def tensors(self, types: np.ndarray, rng: np.random.Generator | None = None, idrop: float = 0.0):
        """(feature ids, bag offsets, vectors, chars) of `types`; with `rng`, identity features and
        vectors are dropped with probability `idrop` (the model must not lean on the word alone)."""
        lens = self.indptr[types + 1] - self.indptr[types]
        total = int(lens.sum())
        seg = np.repeat(np.arange(len(types)), lens)
        starts = np.repeat(self.indptr[types] - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens)
        flat = self.indices[starts + np.arange(total)]
        vec = self.vecmat[types]
        if rng is not None and idrop:
            keep = ~(self.is_ident[flat] & (rng.random(total) < idrop))
            flat, seg = flat[keep], seg[keep]
            vec = vec * (rng.random(len(types)) >= idrop)[:, None]
        counts = np.bincount(seg, minlength=len(types))
        offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
        chars = self.charmat[types]  # always the full width: a type's vector must not depend on its batch
        return (
            torch.from_numpy(flat),
            torch.from_numpy(offsets),
            torch.from_numpy(np.ascontiguousarray(vec, dtype=np.float32)),
            torch.from_numpy(np.ascontiguousarray(chars)),
        )


class TokenEncoder(nn.Module):
    """Type inputs -> a 128-d representation (feature bag + vector + character CNN)."""

    def __init__(self, n_feats: int, n_chars: int):
        super().__init__()
        s = SIZES
        self.bag = nn.EmbeddingBag(n_feats + 1, s["bag"], mode="sum", padding_idx=0)
        self.cemb = nn.Embedding(n_chars + 2, s["char_emb"], padding_idx=0)
        self.conv = nn.Conv1d(s["char_emb"], s["char"], 3, padding=1)
        self.proj = nn.Linear(s["bag"] + 65 + s["char"], s["proj"])

    def forward(self, flat, offsets, vec, chars):
        c = torch.relu(self.conv(self.cemb(chars).transpose(1, 2))).max(2).values
        return torch.tanh(self.proj(torch.cat([self.bag(flat, offsets), vec, c], 1)))


def batch_index(batch: list[np.ndarray]):
    """Unique types of a batch of type-id sequences, and each position's row among them."""
    uniq, inverse = np.unique(np.concatenate(batch), return_inverse=True)
    width = max(len(s) for s in batch)
    idx = np.zeros((len(batch), width), dtype=np.int64)
    mask = np.zeros((len(batch), width), dtype=bool)
    o = 0
    for k, s in enumerate(batch):
        idx[k, : len(s)] = inverse[o : o + len(s)]
        mask[k, : len(s)] = True
        o += len(s)
    return uniq, torch.from_numpy(idx), torch.from_numpy(mask)


class BiLM(nn.Module):
    """Pretraining: a BiLSTM over the token representations; its forward state at t predicts
    the word cluster of token t+1, its backward state that of token t-1."""

    def __init__(self, vocab: Vocab, dropout: float = 0.2):
        super().__init__()
        self.enc = TokenEncoder(len(vocab.feats), len(vocab.chars))
        h = SIZES["hidden"]
        self.lstm = nn.LSTM(SIZES["proj"], h, batch_first=True, bidirectional=True)
        self.fwd = nn.Linear(h, N_CLUSTERS + 1)
        self.bwd = nn.Linear(h, N_CLUSTERS + 1)
        self.drop = nn.Dropout(dropout)

    def loss(self, table: TypeTable, batch: list[np.ndarray], rng=None, idrop: float = 0.0):
        """Summed cross-entropies (forward, backward) and their token counts."""
        uniq, idx, mask = batch_index(batch)
        rep = self.enc(*table.tensors(uniq, rng, idrop))
        tgt = torch.from_numpy(table.targets[uniq])[idx].masked_fill(~mask, -100)
        tf = torch.full_like(tgt, -100)
        tb = torch.full_like(tgt, -100)
        tf[:, :-1] = tgt[:, 1:]
        tb[:, 1:] = tgt[:, :-1]
        lengths = mask.sum(1)
        packed = nn.utils.rnn.pack_padded_sequence(self.drop(rep[idx]), lengths, batch_first=True, enforce_sorted=False)
        out, _ = self.lstm(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=idx.shape[1])
        h = SIZES["hidden"]
        losses = []
        for head, states, target in ((self.fwd, out[:, :, :h], tf), (self.bwd, out[:, :, h:], tb)):
            keep = target.reshape(-1) >= 0
            logits = head(self.drop(states.reshape(-1, h)[keep]))
            losses.append(
                (nn.functional.cross_entropy(logits, target.reshape(-1)[keep], reduction="sum"), int(keep.sum()))
            )
        return losses


class ConvCRF(nn.Module):
    """The tagger: token representations -> conv (width 3) -> conv (width 3, dilation 2) ->
    label scores, with a CRF layer (transitions, start and end scores)."""

    def __init__(self, vocab: Vocab, dropout: float = 0.5):
        super().__init__()
        s = SIZES
        n = len(LABELS)
        self.enc = TokenEncoder(len(vocab.feats), len(vocab.chars))
        self.c1 = nn.Conv1d(s["proj"], s["hidden"], 3, padding=1)
        self.c2 = nn.Conv1d(s["hidden"], s["hidden"], 3, padding=2, dilation=2)
        self.out = nn.Linear(s["hidden"], n)
        self.trans = nn.Parameter(torch.zeros(n, n))
        self.start = nn.Parameter(torch.zeros(n))
        self.end = nn.Parameter(torch.zeros(n))
        self.drop = nn.Dropout(dropout)

    def emissions(self, table: TypeTable, batch: list[np.ndarray], rng=None, idrop: float = 0.0):
        uniq, idx, mask = batch_index(batch)
        rep = self.enc(*table.tensors(uniq, rng, idrop))
        x = (self.drop(rep[idx]) * mask[:, :, None]).transpose(1, 2)
        h = torch.relu(self.c1(x)) * mask[:, None, :]
        h = torch.relu(self.c2(self.drop(h))) * mask[:, None, :]
        return self.out(self.drop(h.transpose(1, 2))), mask

    def nll(self, em: torch.Tensor, mask: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Negative log-likelihood of the gold label sequences, summed over the batch."""
        length = em.shape[1]
        score = self.start[y[:, 0]] + em[:, 0].gather(1, y[:, :1]).squeeze(1)
        for t in range(1, length):
            step = self.trans[y[:, t - 1], y[:, t]] + em[:, t].gather(1, y[:, t : t + 1]).squeeze(1)
            score = score + step * mask[:, t]
        last = y.gather(1, (mask.sum(1) - 1)[:, None]).squeeze(1)
        score = score + self.end[last]
        alpha = self.start[None] + em[:, 0]
        for t in range(1, length):
            nxt = torch.logsumexp(alpha[:, :, None] + self.trans[None] + em[:, t, None, :], 1)
            alpha = torch.where(mask[:, t, None], nxt, alpha)
        return (torch.logsumexp(alpha + self.end[None], 1) - score).sum()


def load_pretrained(encoder: TokenEncoder, vocab: Vocab, checkpoint: Path) -> int:
    """Copy a pretrained encoder into `encoder`, matching feature and character rows by name
    (the fine-tuning vocabulary is that of its own training sentences). Returns rows matched."""
    ck = torch.load(checkpoint, weights_only=False)
    state = {k[4:]: v for k, v in ck["state"].items() if k.startswith("enc.")}
    old_f = {f: i + 1 for i, f in enumerate(ck["feats"])}
    old_c = {c: i + 2 for i, c in enumerate(ck["chars"])}
    bag = encoder.bag.weight.detach().clone()
    hit = 0
    for f, i in vocab.fid.items():
        j = old_f.get(f)
        if j is not None:
            bag[i] = state["bag.weight"][j]
            hit += 1
    state["bag.weight"] = bag
    cemb = encoder.cemb.weight.detach().clone()
    cemb[:2] = state["cemb.weight"][:2]
    for c, i in vocab.cid.items():
        j = old_c.get(c)
        if j is not None:
            cemb[i] = state["cemb.weight"][j]
    state["cemb.weight"] = cemb
    encoder.load_state_dict(state)
    return hit


def seed_everything(seed: int) -> np.random.Generator:
    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    return np.random.default_rng(seed)


def length_batches(lengths: list[int], size: int, rng: np.random.Generator) -> list[list[int]]:
    """Shuffled batches of similar lengths (sorted within shuffled blocks of 20-50 batches)."""
    order = rng.permutation(len(lengths)).tolist()
    block = size * 20
    batches = []
    for i in range(0, len(order), block):
        part = sorted(order[i : i + block], key=lambda k: lengths[k])
        batches += [part[j : j + size] for j in range(0, len(part), size)]
    rng.shuffle(batches)
    return batches


def export(model: ConvCRF, vocab: Vocab, path: Path, meta: dict) -> None:
    """Write the fine-tuned tagger as plain arrays for ``search.entities.neural.ConvScorer``.
    The feature-bag table (most of the bytes) is stored as int8 with one scale per row."""
    sd = {k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    bag = sd["enc.bag.weight"]
    scale = np.abs(bag).max(1) / 127.0
    scale[scale == 0] = 1.0
    q = np.round(bag / scale[:, None]).astype(np.int8)
    np.savez_compressed(
        path,
        feats=np.frombuffer("\n".join(vocab.feats).encode("utf-8"), dtype=np.uint8),
        chars=np.frombuffer("".join(vocab.chars).encode("utf-8"), dtype=np.uint8),
        bag_q=q,
        bag_scale=scale.astype(np.float32),
        cemb=sd["enc.cemb.weight"],
        conv_w=sd["enc.conv.weight"],
        conv_b=sd["enc.conv.bias"],
        proj_w=sd["enc.proj.weight"],
        proj_b=sd["enc.proj.bias"],
        c1_w=sd["c1.weight"],
        c1_b=sd["c1.bias"],
        c2_w=sd["c2.weight"],
        c2_b=sd["c2.bias"],
        out_w=sd["out.weight"],
        out_b=sd["out.bias"],
        trans=sd["trans"],
        start=sd["start"],
        end=sd["end"],
        labels=np.array(LABELS),
        meta=np.frombuffer(
            json.dumps({**meta, model_version.KEY: ANALYSIS_VERSION}, sort_keys=True).encode("utf-8"), dtype=np.uint8
        ),
    )


def fine_tune(
    train: list[tuple[list[str], list[str]]],
    checkpoint: Path | None,
    epochs: int = 15,
    seed: int = 1,
    batch: int = 16,
    lr: float = 2e-3,
    idrop: float = 0.25,
    log=print,
) -> tuple[ConvCRF, Vocab]:
    """Train the convolutional tagger on labelled sentences (tokens, BIO tags), starting from the
    pretrained token representations in `checkpoint` (None: from scratch)."""
    from train_ner import explode_labeled

    rng = seed_everything(seed)
    x = make_extractor()
    label_id = {label: i for i, label in enumerate(LABELS)}
    exploded = [explode_labeled(toks, tags) for toks, tags in train]
    vocab = Vocab.from_pieces((p for pieces, _ in exploded for p in pieces), x)
    table = TypeTable(vocab, x)
    data = [
        (
            np.array([table.id(p) for p in pieces], dtype=np.int64),
            torch.tensor([label_id.get(label, 0) for label in labels]),
        )
        for pieces, labels in exploded
    ]
    data = [d for d in data if len(d[0])]
    table.freeze()
    model = ConvCRF(vocab)
    if checkpoint is not None:
        hit = load_pretrained(model.enc, vocab, checkpoint)
        log(f"neural: {len(vocab.feats)} features ({hit} pretrained), {len(data)} sentences")
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    lengths = [len(s) for s, _ in data]
    for epoch in range(epochs):
        t0 = time.time()
        total = 0.0
        for b in length_batches(lengths, batch, rng):
            em, mask = model.emissions(table, [data[k][0] for k in b], rng, idrop)
            y = torch.zeros(mask.shape, dtype=torch.long)
            for row, k in enumerate(b):
                y[row, : lengths[k]] = data[k][1]
            loss = model.nll(em, mask, y) / len(b)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            total += loss.item() * len(b)
        log(f"neural epoch {epoch + 1}/{epochs}: loss {total / len(data):.3f} ({time.time() - t0:.0f}s)")
    model.eval()
    return model, vocab
