"""English labels of people, for the facet filter box («Kerry» finds «جون كيري») and the editors'
page. Package data built by scripts/build_people_english.py; an editor's `label_en` in the
overrides file wins (search.entities.overrides)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "people_en.tsv"
_SMALL = frozenset("al el bin bint ibn abu abd de da di du la le van von der den of the y".split())


def english_label(name: str) -> str:
    """«bashar al-assad» → «Bashar al-Assad», «recep tayyip erdoğan» → «Recep Tayyip Erdoğan»:
    each part capitalized, particles inside a name left small."""
    parts = re.split(r"([\s-]+)", name.strip())
    out = []
    for i, part in enumerate(parts):
        if part.strip(" -") and not (i and part in _SMALL):
            part = part[:1].upper() + part[1:]
        out.append(part)
    return "".join(out)


@lru_cache(maxsize=1)
def _labels() -> dict[str, str]:
    if not DATA_FILE.exists():
        return {}
    labels = {}
    for line in DATA_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _, label = line.partition("\t")
            labels[key] = label
    return labels


def person_english(key: str) -> str | None:
    """The English label of a person key, or None when the people list has none."""
    return _labels().get(key)
