"""English labels for people, from ../shared/gazetteers/people_en_ar.tsv (ArWikiCats, MIT).

    python scripts/build_people_english.py     # writes search/entities/data/people_en.tsv

Each Arabic name becomes its person key (search.entities.canonical.entity_key), so every spelling
the key merges gets the label. Left out, because a label would claim too much: one-word keys
(«عمر» is not only Umar ibn al-Khattab), keys made only of common first names («محمد علي» is not
only the boxer), and keys two English names share.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from search.entities.canonical import entity_key
from search.entities.english import DATA_FILE, english_label
from search.entities.first_names import COMMON_FIRST_NAMES

REPO = Path(__file__).resolve().parents[1]


def build(shared: Path) -> dict[str, str]:
    labels: dict[str, str | None] = {}
    lines = (shared / "gazetteers" / "people_en_ar.tsv").read_text(encoding="utf-8").splitlines()[1:]
    for line in lines:
        english, _, arabic = line.partition("\t")
        key = entity_key(arabic.strip(), "person") if arabic.strip() else ""
        words = key.split("-")
        if len(words) < 2 or all(w in COMMON_FIRST_NAMES for w in words):
            continue
        label = english_label(english)
        labels[key] = label if labels.get(key, label) == label else None  # two people, one key
    return {key: label for key, label in sorted(labels.items()) if label}


def main() -> int:
    default_shared = Path(os.environ.get("ARSHIF_SHARED", REPO.parent / "shared"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared)
    parser.add_argument("--out", type=Path, default=DATA_FILE)
    args = parser.parse_args()
    labels = build(args.shared)
    header = "# person key\tEnglish label (scripts/build_people_english.py from ArWikiCats people_en_ar.tsv, MIT)\n"
    args.out.write_text(header + "".join(f"{k}\t{v}\n" for k, v in labels.items()), encoding="utf-8")
    print(f"wrote {args.out}: {len(labels)} people")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
