"""Statistical named-entity tagger (PERS / ORG / LOC / MISC, BIO tags) for Arabic news text.

The model is a linear-chain CRF trained with CRFsuite by ``scripts/train_ner.py`` and stored as
plain arrays (``data/ner_model.npz``): feature strings, their weights per label, and the label
transition matrix. Tagging needs only numpy:

* each token type's five feature lists (see ``features.py``) are summed into a (5, labels)
  score block once and cached, so a token costs one table row after the first time it is seen;
* emission scores of a sentence are five shifted slices of those rows added together, plus two
  word-bigram lookups per token;
* Viterbi runs over many sentences at once (one numpy step per position, not per sentence),
  with BIO constraints: ``I-X`` only after ``B-X`` or ``I-X``.

Usage::

    tagger = Tagger.load()
    tagger.tag(["قال", "الرئيس", "محمود", "عباس", "إن", "..."])
    # -> ['O', 'O', 'B-PERS', 'I-PERS', 'O', 'O']
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from .features import (
    BOS, CLUSTERS_FILE, DATA_DIR, EOS, GAZETTEER_FILE, FeatureExtractor, bigram_features,
    explode, load_clusters, load_gazetteer, load_priors, load_vectors,
)

MODEL_FILE = "ner_model.npz"
ENTITY_TYPES = ("PERS", "ORG", "LOC", "MISC")

_MAX_TYPES = 300_000      # cached token types (each a 5 x labels float32 block) before a reset
_CHUNK = 128              # sentences decoded together
_NEG = -1e4


class Tagger:
    """A loaded model. Thread-safe for concurrent `tag` calls (the type cache is guarded)."""

    def __init__(self, labels: Sequence[str], attrs: Sequence[str], weights: np.ndarray,
                 transitions: np.ndarray, extractor: FeatureExtractor, config: dict | None = None):
        self.labels = list(labels)
        self.config = dict(config or {})
        self._nl = len(self.labels)
        self._x = extractor
        self._win = extractor.window
        self._nv = 2 * self._win + 1
        weights = np.asarray(weights, dtype=np.float32)
        # Pre-sum per own feature: "w=X" -> weights of "-2:w=X", "-1:w=X", "w=X", "1:w=X", "2:w=X"
        # (one row per offset), so a token type's scores at every offset are one gather + sum.
        # Word-bigram features and the real-valued vector features are kept apart.
        dense_names = set(extractor.dense_names)
        base_rows: dict[str, int] = {}
        entries: list[tuple[int, int, int]] = []
        bigram_rows: list[int] = []
        self._attr: dict[str, int] = {}
        for i, a in enumerate(attrs):
            if a.startswith(("bl=", "br=")):
                self._attr[a] = len(bigram_rows)
                bigram_rows.append(i)
                continue
            if a in dense_names:
                continue
            k, base = _split_offset(a)
            if abs(k) > self._win:
                continue
            row = base_rows.setdefault(base, len(base_rows))
            entries.append((row, k + self._win, i))
        table = np.zeros((len(base_rows), self._nv, self._nl), dtype=np.float32)
        if entries:
            rows, offs, src = (np.array(c) for c in zip(*entries))
            table[rows, offs] = weights[src]
        self._base_rows = base_rows
        self._table = table
        self._w = weights[np.array(bigram_rows, dtype=np.int64)] if bigram_rows else \
            np.zeros((0, self._nl), dtype=np.float32)
        self._lock = threading.Lock()
        # BIO constraints on transitions and on the first label of a sentence.
        trans = np.array(transitions, dtype=np.float32)
        start = np.zeros(self._nl, dtype=np.float32)
        for j, to in enumerate(self.labels):
            if to.startswith("I-"):
                start[j] = _NEG
                for i, frm in enumerate(self.labels):
                    if frm[2:] != to[2:] or frm == "O":
                        trans[i, j] = _NEG
        self._trans = trans
        self._start = start
        self._o = self.labels.index("O") if "O" in self.labels else 0
        # Weights of the real-valued word-vector features ("e0".."eN") of the scored token.
        attr_index = {a: i for i, a in enumerate(attrs) if a in dense_names}
        self._dense_w = np.zeros((len(extractor.dense_names), self._nl), dtype=np.float32)
        for j, name in enumerate(extractor.dense_names):
            if name in attr_index:
                self._dense_w[j] = weights[attr_index[name]]
        self._reset_cache()

    # ------------------------------------------------------------------ loading / saving
    @classmethod
    def load(cls, path: str | Path | None = None) -> "Tagger":
        """Load a model file (or a folder holding ``ner_model.npz``); default: the packaged one.

        The gazetteer and word-cluster files are read from the model's folder."""
        path = Path(path) if path else DATA_DIR / MODEL_FILE
        if path.is_dir():
            path = path / MODEL_FILE
        with np.load(path, allow_pickle=False) as z:
            labels = z["labels"].tolist()
            attrs = bytes(z["attrs"]).decode("utf-8").split("\n")
            indptr, idx, val = z["indptr"], z["label_idx"], z["weight"]
            trans = z["transitions"]
            config = json.loads(bytes(z["config"]).decode("utf-8"))
        weights = np.zeros((len(attrs), len(labels)), dtype=np.float32)
        rows = np.repeat(np.arange(len(attrs)), np.diff(indptr))
        weights[rows, idx] = val
        folder = path.parent
        gz_name = config.get("gazetteer", GAZETTEER_FILE)
        cl_name = config.get("clusters", CLUSTERS_FILE)
        pr_name = config.get("priors", "")
        vec_name = config.get("vectors", "")
        extractor = FeatureExtractor(
            load_gazetteer(folder / gz_name) if gz_name else {},
            load_clusters(folder / cl_name) if cl_name else {},
            config.get("features"),
            load_priors(folder / pr_name) if pr_name else {},
            load_vectors(folder / vec_name) if vec_name else None,
        )
        return cls(labels, attrs, weights, trans, extractor, config)

    @classmethod
    def from_dump(cls, labels: Sequence[str], state_features: dict[tuple[str, str], float],
                  transitions: dict[tuple[str, str], float], extractor: FeatureExtractor,
                  config: dict | None = None) -> "Tagger":
        """A tagger straight from CRFsuite's dump (``pycrfsuite.Tagger().info()``)."""
        lab = {l: i for i, l in enumerate(labels)}
        attrs = sorted({a for a, _ in state_features})
        index = {a: i for i, a in enumerate(attrs)}
        weights = np.zeros((len(attrs), len(labels)), dtype=np.float32)
        for (a, l), w in state_features.items():
            weights[index[a], lab[l]] = w
        trans = np.zeros((len(labels), len(labels)), dtype=np.float32)
        for (frm, to), w in transitions.items():
            trans[lab[frm], lab[to]] = w
        return cls(labels, attrs, weights, trans, extractor, config)

    @staticmethod
    def save(path: str | Path, labels: Sequence[str], state_features: dict[tuple[str, str], float],
             transitions: dict[tuple[str, str], float], config: dict) -> None:
        """Write a model from CRFsuite's dump (``pycrfsuite.Tagger().info()``)."""
        lab = {l: i for i, l in enumerate(labels)}
        by_attr: dict[str, list[tuple[int, float]]] = {}
        for (attr, label), w in state_features.items():
            if w != 0.0:
                by_attr.setdefault(attr, []).append((lab[label], w))
        attrs = sorted(by_attr)
        indptr = [0]
        idx: list[int] = []
        val: list[float] = []
        for a in attrs:
            for li, w in sorted(by_attr[a]):
                idx.append(li)
                val.append(w)
            indptr.append(len(idx))
        trans = np.zeros((len(labels), len(labels)), dtype=np.float32)
        for (frm, to), w in transitions.items():
            trans[lab[frm], lab[to]] = w
        if any("\n" in a for a in attrs):
            raise ValueError("feature strings must not contain newlines")
        np.savez_compressed(
            path,
            labels=np.array(labels),
            attrs=np.frombuffer("\n".join(attrs).encode("utf-8"), dtype=np.uint8),
            indptr=np.array(indptr, dtype=np.int32),
            label_idx=np.array(idx, dtype=np.uint8),
            weight=np.array(val, dtype=np.float32),
            transitions=trans,
            config=np.frombuffer(json.dumps(config, sort_keys=True).encode("utf-8"), dtype=np.uint8),
        )

    # ------------------------------------------------------------------ tagging
    def tag(self, tokens: Sequence[str]) -> list[str]:
        """BIO tags for one sentence of raw whitespace tokens (punctuation may be attached)."""
        return self.tag_sentences([tokens])[0]

    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags for many sentences (faster per token than calling `tag` on each)."""
        out: list[list[str]] = [[] for _ in sentences]
        order = sorted((i for i, s in enumerate(sentences) if len(s)), key=lambda i: len(sentences[i]))
        for start in range(0, len(order), _CHUNK):
            chunk = order[start:start + _CHUNK]
            tagged = self._tag_chunk([sentences[i] for i in chunk])
            for i, tags in zip(chunk, tagged):
                out[i] = tags
        return out

    def _tag_chunk(self, sentences: list[Sequence[str]]) -> list[list[str]]:
        # Explode tokens into pieces; remember where each original token's word piece is.
        piece_lists: list[list[str]] = []
        index_lists: list[list[int]] = []
        for tokens in sentences:
            pieces: list[str] = []
            index: list[int] = []
            for tok in tokens:
                parts, at = explode(tok)
                index.append(len(pieces) + at if at >= 0 else -1)
                pieces.extend(parts)
            piece_lists.append(pieces)
            index_lists.append(index)
        emissions = self._emissions(piece_lists)
        paths = self._viterbi(emissions)
        labels = self.labels
        result = []
        for path, index in zip(paths, index_lists):
            tags = [labels[path[i]] if i >= 0 else "O" for i in index]
            result.append(_repair_bio(tags))
        return result

    # ------------------------------------------------------------------ scores
    def _reset_cache(self) -> None:
        self._tid: dict[str, int] = {}
        self._words: list[str] = []
        self._tv = np.zeros((1024, self._nv, self._nl), dtype=np.float32)
        for p in (BOS, EOS):
            self._add_type(p)

    def _add_type(self, piece: str) -> int:
        rows = self._base_rows
        ids = [rows[f] for f in self._x.own_features(piece) if f in rows]
        if ids:
            block = self._table[ids].sum(0)
        else:
            block = np.zeros((self._nv, self._nl), dtype=np.float32)
        vec = self._x.dense(piece)
        if vec is not None:
            block[self._win] += vec @ self._dense_w
        tid = len(self._words)
        if tid >= self._tv.shape[0]:
            grown = np.zeros((self._tv.shape[0] * 2, self._nv, self._nl), dtype=np.float32)
            grown[:tid] = self._tv[:tid]
            self._tv = grown
        self._tv[tid] = block
        self._words.append(self._x.word(piece))
        self._tid[piece] = tid
        return tid

    def _emissions(self, piece_lists: list[list[str]]) -> list[np.ndarray]:
        with self._lock:
            if len(self._tid) > _MAX_TYPES:
                self._reset_cache()
            tid = self._tid
            w = self._win
            stream = [0] * w
            gap = [1] * w + [0] * w
            starts = []
            for pieces in piece_lists:
                starts.append(len(stream))
                for p in pieces:
                    t = tid.get(p)
                    if t is None:
                        t = self._add_type(p)
                    stream.append(t)
                stream.extend(gap)
            del stream[len(stream) - w:]
            x = self._tv[np.array(stream, dtype=np.int64)]
            words = [self._words[t] for t in stream]
        m = len(stream) - 2 * w
        e = x[0:m, 0].copy()
        for j in range(1, self._nv):
            e += x[j:m + j, j]
        # Word-bigram features (position p of the stream is row p - w of e).
        attr = self._attr
        rows: list[int] = []
        ids: list[int] = []
        for s, pieces in zip(starts, piece_lists):
            for p in range(s, s + len(pieces)):
                for f in bigram_features(words[p - 1], words[p], words[p + 1]):
                    a = attr.get(f)
                    if a is not None:
                        rows.append(p - w)
                        ids.append(a)
        if rows:
            np.add.at(e, np.array(rows), self._w[np.array(ids)])
        return [e[s - w:s - w + len(pieces)] for s, pieces in zip(starts, piece_lists)]

    def _viterbi(self, emissions: list[np.ndarray]) -> list[list[int]]:
        b = len(emissions)
        lengths = np.array([len(e) for e in emissions])
        t_max = int(lengths.max()) if b else 0
        if t_max == 0:
            return [[] for _ in emissions]
        nl = self._nl
        em = np.zeros((t_max, b, nl), dtype=np.float32)
        for k, e in enumerate(emissions):
            em[:len(e), k] = e
        trans = self._trans[None]
        score = em[0] + self._start
        final = score.copy()
        back = np.zeros((t_max, b, nl), dtype=np.int8)
        last = lengths - 1
        for t in range(1, t_max):
            cand = score[:, :, None] + trans
            best = cand.argmax(1)
            back[t] = best
            score = np.take_along_axis(cand, best[:, None, :], 1)[:, 0, :] + em[t]
            ended = last == t
            if ended.any():
                final[ended] = score[ended]
        best_final = final.argmax(1)
        ar = np.arange(b)
        cur = best_final
        path = np.zeros((t_max, b), dtype=np.int64)
        for t in range(t_max - 1, -1, -1):
            if t < t_max - 1:
                cur = back[t + 1, ar, cur]
            cur = np.where(last == t, best_final, cur)
            path[t] = cur
        path_t = path.T.tolist()
        return [path_t[k][:lengths[k]] for k in range(b)]


def _split_offset(attr: str) -> tuple[int, str]:
    """"-1:w=X" -> (-1, "w=X"); "w=X" -> (0, "w=X")."""
    head, sep, rest = attr.partition(":")
    if sep and head.lstrip("-").isdigit() and head not in ("", "-"):
        return int(head), rest
    return 0, attr


def _repair_bio(tags: list[str]) -> list[str]:
    """Make the tags of the original tokens valid BIO (dropping punctuation pieces may leave
    an I-X after O)."""
    prev = "O"
    for i, t in enumerate(tags):
        if t.startswith("I-") and prev[2:] != t[2:]:
            tags[i] = "B-" + t[2:]
        prev = tags[i]
    return tags


def spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """Entity spans (type, start, end-exclusive), conlleval-style: an I-X that does not continue
    an X span starts a new one."""
    out = []
    cur = None
    for i, t in enumerate(tags):
        if t == "O" or not t or len(t) < 3 or t[1] != "-":
            if cur:
                out.append(tuple(cur))
                cur = None
            continue
        bio, typ = t[0], t[2:]
        if bio == "B" or cur is None or cur[0] != typ:
            if cur:
                out.append(tuple(cur))
            cur = [typ, i, i + 1]
        else:
            cur[2] = i + 1
    if cur:
        out.append(tuple(cur))
    return out
