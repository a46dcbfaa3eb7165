"""Editors' corrections and known aliases, applied at index time and at display time.

`data/entity_aliases.json` (facts written for this project): surface names -> one canonical entity,
e.g. داعش, تنظيم الدولة الإسلامية and الدولة الإسلامية are one organization.
`data/entity_overrides.json` (the editors' file, versioned with the code):
    {"merge": {"person:from-key": "person:to-key"},   # A is the same entity as B
     "rename": {"person:key": "Label to show"},        # fix a label
     "block": ["org:key"]}                              # not an entity: never a facet value
Keys are written `kind:key` (kind = person | org). Override the file's location with
ARSHIF_ENTITY_OVERRIDES.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from search.entities.canonical import entity_key

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Overrides:
    merge: dict[str, str] = field(default_factory=dict)
    rename: dict[str, str] = field(default_factory=dict)
    block: frozenset[str] = frozenset()
    aliases: dict[str, tuple[str, str]] = field(default_factory=dict)  # "kind:key" -> (key, label)
    alias_labels: dict[str, str] = field(default_factory=dict)          # canonical key -> label

    def resolve(self, kind: str, key: str) -> str | None:
        """The key an entity ends up under, or None when it is blocked."""
        seen = set()
        ref = f"{kind}:{key}"
        ref = f"{kind}:{self.aliases[ref][0]}" if ref in self.aliases else ref
        while ref in self.merge and ref not in seen:
            seen.add(ref)
            ref = self.merge[ref] if ":" in self.merge[ref] else f"{kind}:{self.merge[ref]}"
        return None if ref in self.block else ref.split(":", 1)[1]

    def label(self, kind: str, key: str, fallback: str) -> str:
        ref = f"{kind}:{key}"
        if ref in self.rename:
            return self.rename[ref]
        return self.alias_labels.get(key) or fallback


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


@lru_cache(maxsize=1)
def _alias_records() -> list[dict]:
    """The entries of data/entity_aliases.json, read once."""
    return _read(DATA / "entity_aliases.json").get("entities", [])


@lru_cache(maxsize=1)
def alias_entries() -> list[tuple[str, str, list[str]]]:
    """(kind, label, all names) of every known entity in data/entity_aliases.json."""
    return [(e["kind"], e["label"], [e["label"], *e.get("aliases", [])]) for e in _alias_records()]


@lru_cache(maxsize=1)
def alias_exceptions() -> dict[tuple[str, ...], frozenset[str]]:
    """Known names that are everyday words before some next words («القاعدة العسكرية» is a
    military base, not al-Qaeda): normalized name -> normalized next words (`not_before`)."""
    from search.arabic import normalize
    out: dict[tuple[str, ...], frozenset[str]] = {}
    for e in _alias_records():
        if e.get("not_before"):
            words = frozenset(normalize(w) for w in e["not_before"])
            for name in [e["label"], *e.get("aliases", [])]:
                out[tuple(normalize(name).split())] = words
    return out


@lru_cache(maxsize=4)
def _load(overrides_path: str) -> Overrides:
    data = _read(Path(overrides_path))
    aliases: dict[str, tuple[str, str]] = {}
    for kind, label, names in alias_entries():
        key = entity_key(label, kind)
        for name in names:
            aliases[f"{kind}:{entity_key(name, kind)}"] = (key, label)
    return Overrides(merge=dict(data.get("merge", {})), rename=dict(data.get("rename", {})),
                     block=frozenset(data.get("block", [])), aliases=aliases,
                     alias_labels={key: label for key, label in aliases.values()})


def load_overrides() -> Overrides:
    return _load(os.environ.get("ARSHIF_ENTITY_OVERRIDES") or str(DATA / "entity_overrides.json"))
