"""Entities of an article as facet values: countries (ISO codes), people and organizations.

Countries come from the gazetteer matcher (search.entities.countries); people and organizations
from the project's statistical tagger (search.entities.tagger), cleaned into canonical names with
stable keys (search.entities.canonical) and corrected by aliases and the editors' overrides
(search.entities.overrides). `make_extractor` is what the indexer plugs into
`search.document.build_document`.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Callable

from search.entities.canonical import display_name, entity_key, last_word_key
from search.entities.countries import find_countries
from search.entities.overrides import Overrides, load_overrides
from search.model import Article

KINDS = {"PERS": "person", "ORG": "org"}
_TOKEN = re.compile(r"[^\W_]+|[^\w\s]")
_SENTENCE_END = re.compile(r"[.!?؟\n]+")
MAX_TAGGED_CHARS = 20_000   # long bodies: people and organizations come from the first part


def _sentences(text: str) -> list[list[tuple[int, int, str]]]:
    out, current = [], []
    for match in _TOKEN.finditer(text):
        if current and "\n" in text[current[-1][1]:match.start()]:
            out.append(current)     # a paragraph break ends a sentence too
            current = []
        current.append((match.start(), match.end(), match.group()))
        if _SENTENCE_END.fullmatch(match.group()) or len(current) >= 120:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


class EntityExtractor:
    def __init__(self, tagger=None, overrides: Overrides | None = None):
        if tagger is None:
            from search.entities.tagger import Tagger
            tagger = Tagger.load()
        self.tagger = tagger
        self.overrides = overrides or load_overrides()

    def _named(self, field: str, text: str) -> list[dict[str, Any]]:
        sentences = _sentences(text[:MAX_TAGGED_CHARS])
        found = []
        for tokens, tags in zip(sentences, self.tagger.tag_sentences([[t[2] for t in s] for s in sentences])):
            from search.entities.tagger import spans
            for typ, a, b in spans(tags):
                kind = KINDS.get(typ)
                if kind is None:
                    continue
                start, end = tokens[a][0], tokens[b - 1][1]
                name = display_name(text[start:end], kind)
                if name:
                    found.append({"facet": kind, "field": field, "start": start, "end": end,
                                  "name": name, "key": entity_key(name, kind)})
        return found

    def __call__(self, article: Article) -> dict[str, Any]:
        mentions: list[dict[str, Any]] = []
        for field, text in (("title", article.title or ""), ("body", article.body or "")):
            for m in find_countries(text):
                mentions.append({"facet": "country", "field": field, "start": m.start, "end": m.end,
                                 "key": m.key, "name": m.surface})
            mentions.extend(self._named(field, text))
        self._merge_surnames(mentions)
        keys: dict[str, Counter] = {"country": Counter(), "person": Counter(), "org": Counter()}
        labels: dict[str, Counter] = {}
        kept = []
        for m in mentions:
            if m["facet"] != "country":
                key = self.overrides.resolve(m["facet"], m["key"])
                if key is None:
                    continue
                m["key"] = key
                labels.setdefault(f"{m['facet']}:{key}", Counter())[m["name"]] += 1
            keys[m["facet"]][m["key"]] += 1
            kept.append(m)
        return {
            **{facet: [k for k, _ in counts.most_common()] for facet, counts in keys.items()},
            "mentions": [[m["facet"], m["key"], m["field"], m["start"], m["end"]] for m in kept],
            "labels": {ref: counts.most_common(1)[0][0] for ref, counts in labels.items()},
        }

    @staticmethod
    def _merge_surnames(mentions: list[dict[str, Any]]) -> None:
        """A bare surname (or first name) seen with the full name in the same article is that person."""
        full = {}
        for m in mentions:
            if m["facet"] == "person" and "-" in m["key"]:
                full.setdefault(last_word_key(m["key"]), (m["key"], m["name"]))
        for m in mentions:
            if m["facet"] == "person" and "-" not in m["key"] and m["key"] in full:
                m["key"], m["name"] = full[m["key"]]


def make_extractor() -> Callable[[Article], dict[str, Any]]:
    return EntityExtractor()
