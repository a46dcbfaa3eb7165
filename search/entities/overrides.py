"""Editors' corrections and known aliases, applied at index time and at display time.

`data/entity_aliases.json` (facts written for this project): surface names -> one canonical entity,
e.g. داعش, تنظيم الدولة الإسلامية and الدولة الإسلامية are one organization.
`data/entity_overrides.json` (the editors' file, versioned with the code):
    {"merge": {"person:from-key": "person:to-key"},   # A is the same entity as B
     "rename": {"person:key": "Label to show"},        # fix a label
     "label_en": {"person:key": "English label"},      # the English label (facet filter, editors)
     "block": ["org:key"],                             # not an entity: never a facet value
     "rejected": [["person:a", "person:b"]]}           # a suggested merge an editor refused
Keys are written `kind:key` (kind = person | org). Override the file's location with
ARSHIF_ENTITY_OVERRIDES.

The file is read again when it changes (labels apply at once; merges and blocks at the next index
run). A file that does not parse or holds a wrong entry is refused with a message naming its line
(`OverridesError`), and the last good version stays in use: a typo never takes search down.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from search.config import setting
from search.entities.canonical import entity_key

DATA = Path(__file__).resolve().parent / "data"
KINDS = ("person", "org")
SECTIONS = ("merge", "rename", "label_en", "block", "rejected")

log = logging.getLogger(__name__)


class OverridesError(ValueError):
    """The overrides file cannot be used as it is; `str()` names the file and the line."""

    def __init__(self, name: str, line: int, message: str):
        super().__init__(f"{name}, line {line}: {message}")
        self.line = line


@dataclass(frozen=True)
class Overrides:
    merge: dict[str, str] = field(default_factory=dict)
    rename: dict[str, str] = field(default_factory=dict)
    block: frozenset[str] = frozenset()
    aliases: dict[str, tuple[str, str]] = field(default_factory=dict)  # "kind:key" -> (key, label)
    alias_labels: dict[str, str] = field(default_factory=dict)  # canonical key -> label
    label_en: dict[str, str] = field(default_factory=dict)
    rejected: frozenset[tuple[str, str]] = frozenset()

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

    def english(self, kind: str, key: str) -> str | None:
        """The English label an editor gave, else the people list's (search.entities.english)."""
        found = self.label_en.get(f"{kind}:{key}")
        if found is None and kind == "person":
            from search.entities.english import person_english

            found = person_english(key)
        return found


# --------------------------------------------------------------------------------------------
# Validation


def _line_of(text: str, value: str) -> int:
    """Line (1-based) of the first place `value` is written as a JSON string in `text`."""
    for written in (json.dumps(value, ensure_ascii=False), json.dumps(value)):
        at = text.find(written)
        if at >= 0:
            return text.count("\n", 0, at) + 1
    return 1


def is_ref(ref: Any) -> bool:
    """Is `ref` a value written "kind:key" (kind person or org, the key without spaces)?"""
    if not isinstance(ref, str) or len(ref) > 500:
        return False
    kind, _, key = ref.partition(":")
    return kind in KINDS and bool(key) and not any(c.isspace() or not c.isprintable() for c in key)


def _check_ref(ref: Any, text: str, name: str, where: str, anchor: str | None = None) -> str:
    """`ref` itself when it is a "kind:key" string, else OverridesError at its line."""
    line = _line_of(text, ref if isinstance(ref, str) else (anchor or where))
    if not isinstance(ref, str):
        found = json.dumps(ref, ensure_ascii=False)
        raise OverridesError(name, line, f'{where}: expected a "kind:key" string, found {found}')
    if not is_ref(ref):
        raise OverridesError(
            name,
            line,
            f"{where}: «{ref}» is not a key written kind:key (kind person or org, "
            "the key without spaces, as `arshif entities --top` shows it)",
        )
    return ref


def parse_overrides(text: str, name: str = "entity_overrides.json") -> dict[str, Any]:
    """The sections of an overrides file, checked: JSON syntax, known sections, every entry a
    "kind:key" of the right shape, merges within one kind and without a cycle. OverridesError
    names the line of the first problem."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise OverridesError(name, error.lineno, f"not valid JSON: {error.msg} (column {error.colno})") from None
    if not isinstance(data, dict):
        raise OverridesError(name, 1, 'the file must hold one JSON object: {"merge": {…}, "rename": {…}, "block": […]}')
    for section, value in data.items():
        if section.startswith("_"):
            continue
        if section not in SECTIONS:
            raise OverridesError(
                name, _line_of(text, section), f"unknown section «{section}» (known: {', '.join(SECTIONS)})"
            )
        expected = list if section in ("block", "rejected") else dict
        if not isinstance(value, expected):
            raise OverridesError(
                name,
                _line_of(text, section),
                f"«{section}» must be a JSON {'list […]' if expected is list else 'object {…}'}",
            )
    merge = data.get("merge", {})
    for source, target in merge.items():
        _check_ref(source, text, name, "merge")
        _check_ref(target, text, name, f"merge of «{source}»", anchor=source)
        if source.split(":", 1)[0] != target.split(":", 1)[0]:
            raise OverridesError(
                name, _line_of(text, source), f"merge: «{source}» and «{target}» are not the same kind"
            )
    for source in merge:
        seen, ref = {source}, merge[source]
        while ref in merge:
            if ref in seen:
                raise OverridesError(name, _line_of(text, source), f"merge: «{source}» leads back to itself (a cycle)")
            seen.add(ref)
            ref = merge[ref]
    for section in ("rename", "label_en"):
        for ref, label in data.get(section, {}).items():
            _check_ref(ref, text, name, section)
            if not isinstance(label, str) or not label.strip():
                raise OverridesError(
                    name, _line_of(text, ref), f"{section} of «{ref}»: the label must be a non-empty string"
                )
    for ref in data.get("block", []):
        _check_ref(ref, text, name, "block")
    for pair in data.get("rejected", []):
        if not (isinstance(pair, list) and len(pair) == 2):
            raise OverridesError(
                name, _line_of(text, "rejected"), 'rejected: each entry is a pair ["kind:key", "kind:key"]'
            )
        for ref in pair:
            _check_ref(ref, text, name, "rejected")
    return data


# --------------------------------------------------------------------------------------------
# Loading, reloaded when the file changes


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
    """(kind, label, all names) of every known entity in data/entity_aliases.json. An entity
    whose short names need a cue (`needs_cue`) is not found by its label either: «عبدالله بن
    عبدالعزيز» is the king, and also «عبدالله بن عبدالعزيز الربيعة»; the tagger reads the
    label's words, which give the same key."""
    return [
        (e["kind"], e["label"], [*([] if e.get("needs_cue") else [e["label"]]), *e.get("aliases", [])])
        for e in _alias_records()
    ]


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


@lru_cache(maxsize=1)
def aliases_needing_a_cue() -> frozenset[tuple[str, ...]]:
    """Normalized names that count only with a cue around them (`needs_cue`: «الملك فهد» is
    also a road, a hospital and a plan named after him; see search.entities.pipeline._cued)."""
    from search.arabic import normalize

    king = normalize("الملك")
    return frozenset(
        tuple(normalize(name).split())
        for e in _alias_records()
        if e.get("needs_cue")
        for name in e.get("aliases", [])
        if normalize(name).split()[0] == king
    )


@lru_cache(maxsize=1)
def _aliases() -> dict[str, tuple[str, str]]:
    aliases: dict[str, tuple[str, str]] = {}
    for kind, label, names in alias_entries():
        key = entity_key(label, kind)
        for name in names:
            aliases[f"{kind}:{entity_key(name, kind)}"] = (key, label)
    return aliases


def build_overrides(data: dict[str, Any]) -> Overrides:
    """Overrides from the checked sections of a file (see `parse_overrides`), with the aliases."""
    aliases = _aliases()
    return Overrides(
        merge=dict(data.get("merge", {})),
        rename=dict(data.get("rename", {})),
        block=frozenset(data.get("block", [])),
        aliases=aliases,
        alias_labels=dict(aliases.values()),
        label_en=dict(data.get("label_en", {})),
        rejected=frozenset(tuple(pair) for pair in data.get("rejected", [])),
    )


_chosen_file: Path | None = None  # Settings.entity_overrides of this process's app or command


def use_overrides_file(path: str | None) -> None:
    """Use the editors' file `path` in this process (and the index workers it forks); None: the
    one ARSHIF_ENTITY_OVERRIDES names, else the packaged file. `create_app` calls it with its
    settings, so that `Settings(entity_overrides=…)` is obeyed and not only the variable. The
    choice is the process's (the index workers and the labels read it outside any request): with
    two apps in one process, the one created last decides."""
    global _chosen_file
    _chosen_file = Path(path) if path else None


def overrides_path() -> Path:
    return _chosen_file or Path(setting("entity_overrides") or DATA / "entity_overrides.json")


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino


@dataclass
class _Loaded:
    stamp: tuple[int, int, int] | None
    overrides: Overrides
    error: str | None


_loaded: dict[Path, _Loaded] = {}
_lock = threading.Lock()


def load_overrides() -> Overrides:
    """The overrides in use: the file as it is now, read again when its date, size or inode
    changed (one stat per call, a few microseconds), or its last good version while it is broken
    (see `overrides_problem`)."""
    path = overrides_path()
    current = _loaded.get(path)
    stamp = _stamp(path)
    if current is not None and stamp == current.stamp:
        return current.overrides
    with _lock:
        try:
            data = parse_overrides(path.read_text(encoding="utf-8"), path.name) if stamp else {}
            loaded = _Loaded(stamp, build_overrides(data), None)
        except (OverridesError, OSError, UnicodeDecodeError) as error:
            kept = current.overrides if current is not None else build_overrides({})
            message = str(error) if isinstance(error, OverridesError) else f"{path.name}: {error}"
            if current is None or current.error != message:
                log.warning(
                    "entity overrides refused, %s; %s",
                    message,
                    "the last good version stays in use" if current is not None else "none applied",
                )
            loaded = _Loaded(stamp, kept, message)
        _loaded[path] = loaded
        return loaded.overrides


def overrides_problem() -> str | None:
    """Why the overrides file is refused right now (its last good version is in use), or None."""
    load_overrides()
    loaded = _loaded.get(overrides_path())
    return loaded.error if loaded else None


def check_overrides() -> None:
    """Raise OverridesError when the overrides file cannot be used (before an index run: values
    indexed without the editors' merges would be wrong until the next run)."""
    path = overrides_path()
    if path.exists():
        parse_overrides(path.read_text(encoding="utf-8"), path.name)


def forget_loaded() -> None:
    """Read the file again at the next `load_overrides` (after this process wrote it, in case
    the write kept its date, size and inode)."""
    loaded = _loaded.get(overrides_path())
    if loaded is not None:
        loaded.stamp = None
