"""The tagger's models are tied to the Arabic analysis they were trained with.

Both models (the CRF's `ner_model.npz` and the convolutional `ner_neural.npz`) turn words into
features through `search.arabic.normalize_token` and `stem_variants`. A stemming change would
leave them loading fine and silently tagging worse, so each records `analysis_version` (the
value of `search.arabic.ANALYSIS_VERSION` when it was trained) and is refused under another.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from search.arabic import ANALYSIS_VERSION

KEY = "analysis_version"


class ModelMismatch(RuntimeError):
    """A model trained with another version of the Arabic analysis than this code's."""


def check(config: dict, path: str | Path) -> None:
    """Raise ModelMismatch unless `config` (a model's config or meta) records this code's version."""
    trained = config.get(KEY)
    if trained != ANALYSIS_VERSION:
        raise ModelMismatch(
            f"{path}: this entity model was trained with Arabic analysis version "
            f"{'(none recorded)' if trained is None else trained}, and this code analyses with version "
            f"{ANALYSIS_VERSION}; its features would no longer match. Retrain it with "
            "scripts/train_ner.py (search/entities/data/NER.md), or run the code it was trained with"
        )


def stored_config(path: str | Path, member: str) -> dict:
    """The JSON config stored in a model file's `member` array, read without loading the weights."""
    with np.load(path, allow_pickle=False) as arrays:
        return json.loads(bytes(arrays[member]).decode("utf-8"))
