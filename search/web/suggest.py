"""Entities from the search box: the people, organizations and countries a typed name stands for.

A journalist types «John Allen», «Kuwait», «جون آلان», «داعش» or «ISIS»; the text search finds
little or nothing (the articles write جون آلن, الكويت, تنظيم الدولة), but the facets know these
entities. This module finds them by:
- countries: the gazetteer's Arabic and English (CLDR) names, variants and demonyms;
- people and organizations: the editors' aliases and the canonical key (`entity_key`, which
  merges spelling variants: جون آلان → جون آلن), the Arabic label and each of its words as a
  prefix (as you type), and for Latin letters a consonant skeleton shared with the Arabic
  spelling (`sound_keys`).
Candidates are ranked by how exactly they match, then by how many articles name them; each one
offered is counted for the search it would give (the current filters, the typed words replaced
by the entity), and dropped when that search is empty.
"""

from __future__ import annotations

import threading
import time
from array import array
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from search.arabic import normalize
from search.engines.base import Engine, SearchRequest
from search.entities.canonical import display_name, entity_key
from search.entities.countries import country_keys_named, search_country_keys
from search.entities.overrides import load_overrides
from search.query.state import SearchState
from search.schema import ENTITY_FACETS
from search.web.labels import entity_label, facet_label
from search.web.sound_keys import MIN_KEY, arabic_keys, is_latin, latin_key, span_keys

KIND_LABELS = {"country": "دولة", "person": "شخص", "org": "منظمة"}  # "person: جون آلن"
MAX_TEXT = 100  # characters of the box looked at
MAX_TAIL_START = 256  # label tails are indexed from a word starting before this character
MAX_COUNTRY_WORDS = 6  # longer text is not a country's name («جمهورية الكونغو الديمقراطية»)
MIN_PREFIX = 2  # characters typed before prefixes are offered
POPULARITY_BUCKETS = 60_000  # values counted per facet for the ranking (tantivy caps at 65,000)
CANDIDATES = 40  # candidates ranked before the best few are counted
PREFIX_SCAN = 2000  # label tails looked at for a prefix (then ranked by articles)
SOUND_SHARE = 0.1  # a sound-alike is offered with at least this share of the best one's articles
# How a candidate matched: the text names it (alias, key, label, country name), sounds like its
# name or the first or last words of it (another spelling or script), or begins one of its names.
EXACT, SOUND, PREFIX = 0, 1, 2


@dataclass
class Suggestion:
    facet: str
    key: str
    label: str
    label_en: str | None
    count: int
    url: str
    exact: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "facet": self.facet,
            "key": self.key,
            "label": self.label,
            "label_en": self.label_en,
            "count": self.count,
            "url": self.url,
        }


def _word_starts(label: str) -> list[int]:
    return [0] + [i + 1 for i, c in enumerate(label) if c == " " and i + 1 < MAX_TAIL_START]


class NameIndex:
    """People and organizations of one index, looked up by key, label, label words and sound.

    Held by every web worker, so kept compact (some 80,000 names in the corpus): names are
    numbered, label tails are one sorted array of (number, start) and sounds one sorted array
    of hashes, searched by bisection."""

    def __init__(self, entity_labels: dict[str, str], popularity: dict[tuple[str, str], int], complete: bool = True):
        self.entity_labels = entity_labels
        self.countries = {key: n for (facet, key), n in popularity.items() if facet == "country"}
        self.complete = complete  # the popularity counts are exact (not filled in)
        self.refs: list[str] = []  # "person:key", as in entity_labels
        self.labels: list[str] = []  # normalized labels
        self.articles = array("l")  # articles naming each one, in the whole index
        hashes, owners = array("q"), array("l")  # a sound of each name, and whose it is
        memo: dict[str, tuple[str, str]] = {}
        overrides = load_overrides()
        for ref in entity_labels:
            facet, _, key = ref.partition(":")
            count = popularity.get((facet, key))
            if facet not in ("person", "org") or not count:
                continue  # a label of a key no article has any more (merged, blocked, deleted)
            n = len(self.refs)
            label = " ".join(normalize(entity_label(facet, key, entity_labels, overrides)).split())
            self.refs.append(ref)
            self.labels.append(label)
            self.articles.append(count)
            # the whole name and its first words («Salman», «Aramco»); for people also the last
            # words («Obama», «Bashar Assad»)
            for sound in span_keys(label.split(), facet == "person", memo):
                hashes.append(hash(sound))
                owners.append(n)
        self.number = {ref: n for n, ref in enumerate(self.refs)}
        tails = [n << 8 | start for n, label in enumerate(self.labels) for start in _word_starts(label)]
        tails.sort(key=self._tail)
        self.tails = array("q", tails)
        order = sorted(range(len(hashes)), key=hashes.__getitem__)
        self.sound_hashes = array("q", (hashes[i] for i in order))
        self.sound_refs = array("l", (owners[i] for i in order))

    def recount(self, popularity: dict[tuple[str, str], int], complete: bool) -> None:
        """New counts after an index run that left the labels as they were (articles added or
        deleted); the names and their lookup tables stay."""
        self.countries = {key: n for (facet, key), n in popularity.items() if facet == "country"}
        self.articles = array("l", (popularity.get(self._ref(n), 0) for n in range(len(self.refs))))
        self.complete = complete

    def _tail(self, packed: int) -> str:
        return self.labels[packed >> 8][packed & 0xFF :]

    def popularity(self, ref: tuple[str, str]) -> int:
        facet, key = ref
        if facet == "country":
            return self.countries.get(key, 0)
        n = self.number.get(f"{facet}:{key}")
        return 0 if n is None else self.articles[n]

    def _ref(self, n: int) -> tuple[str, str]:
        facet, _, key = self.refs[n].partition(":")
        return facet, key

    def matches(self, text: str, as_you_type: bool = True) -> dict[tuple[str, str], int]:
        """(facet, key) -> EXACT, SOUND or PREFIX for the entities `text` may stand for. Not
        `as_you_type`: no prefixes, and no sound-alikes of an Arabic name (the canonical key
        already merges Arabic spellings; an Arabic word's skeleton is too loose to name one)."""
        found: dict[tuple[str, str], int] = {}
        overrides = load_overrides()
        for kind in ("person", "org"):  # as the indexer keys a name: titles stripped, spellings merged
            resolved = overrides.resolve(kind, entity_key(display_name(text, kind) or text, kind))
            if resolved and f"{kind}:{resolved}" in self.number:
                found[(kind, resolved)] = EXACT
        needle = " ".join(normalize(text).split())
        latin = is_latin(text)
        if not latin and len(needle) >= MIN_PREFIX:
            start = bisect_left(self.tails, needle, key=self._tail)
            for packed in self.tails[start : start + PREFIX_SCAN]:
                tail = self._tail(packed)  # the label itself (start 0) or its last words
                if not tail.startswith(needle) or (tail != needle and not as_you_type):
                    break
                ref = self._ref(packed >> 8)
                rank = EXACT if tail == needle and packed & 0xFF == 0 else PREFIX
                found[ref] = min(rank, found.get(ref, rank))
        sounds = {latin_key(text)} if latin else arabic_keys(needle.split()) if as_you_type else set()
        for sound in sounds:  # after what the text names or begins: another spelling
            if len(sound) < MIN_KEY:
                continue
            wanted = hash(sound)
            i = bisect_left(self.sound_hashes, wanted)
            while i < len(self.sound_hashes) and self.sound_hashes[i] == wanted:
                found.setdefault(self._ref(self.sound_refs[i]), SOUND)
                i += 1
        return found


_lock = threading.Lock()
_cache: dict[int, tuple[Any, int, NameIndex]] = {}


def _popularity(engine: Engine, labels: dict[str, str]) -> tuple[dict[tuple[str, str], int], bool]:
    """Articles per entity in the whole index (one aggregation per facet), to rank candidates.
    Past POPULARITY_BUCKETS values (an archive far larger than the corpus) the rarest are not
    counted: every labelled one is then kept with a count of 1 (and counted when offered), and
    the counts are said not to be complete."""
    counts: dict[tuple[str, str], int] = {}
    complete = True
    for facet in ENTITY_FACETS:
        result = engine.search(SearchRequest(sort="newest", size=0, facets=(facet,), facet_size=POPULARITY_BUCKETS))
        buckets = result.facets.get(facet, [])
        counts.update(((facet, key), n) for key, n in buckets)
        if len(buckets) >= POPULARITY_BUCKETS and facet != "country":
            complete = False
            for ref in labels:
                kind, _, key = ref.partition(":")
                if kind == facet:
                    counts.setdefault((facet, key), 1)
    return counts, complete


RECOUNT_AFTER = 10.0  # seconds between two looks at an engine's article count (a request on Elasticsearch)
_counts: dict[int, tuple[float, int]] = {}


def _article_count(engine: Engine) -> int:
    """The engine's article count, asked at most every RECOUNT_AFTER seconds: a suggestion is asked
    for at every keystroke, a batch line and a results page."""
    now = time.monotonic()
    checked = _counts.get(id(engine))
    if checked is None or now - checked[0] >= RECOUNT_AFTER:
        checked = (now, engine.count())
        _counts[id(engine)] = checked
    return checked[1]


def name_index(engine: Engine) -> NameIndex:
    """The engine's name index, rebuilt when its entity labels change (an index job that found new
    names, an editor's change), and recounted when only its number of articles changes (a job that
    added or deleted articles; seen within RECOUNT_AFTER seconds). Labels read again but unchanged
    (another object, equal) keep the index, and are kept in its place so that the next call is an
    identity check, not a comparison of 80,000 labels. (A run that only rewrites articles, same
    labels and same number, keeps the counts of blank searches until the next one.)"""
    labels = engine.entity_labels()
    articles = _article_count(engine)
    cached = _cache.get(id(engine))
    if cached is not None and cached[0] is labels and cached[1] == articles:
        return cached[2]
    with _lock:
        cached = _cache.get(id(engine))
        if cached is None or not (cached[0] is labels or cached[0] == labels):
            index = NameIndex(labels, *_popularity(engine, labels))
        else:
            index = cached[2]
            if cached[1] != articles:
                index.recount(*_popularity(engine, labels))
        _cache[id(engine)] = (labels, articles, index)
    return index


def _clean(text: str) -> str:
    text = " ".join((text or "")[:MAX_TEXT].split())
    return text.strip("\"'«»“”„ ").strip()


def _count(engine: Engine, state: SearchState) -> int:
    return engine.search(replace(state.to_request(facets=()), size=0, offset=0)).total


@lru_cache(maxsize=4096)
def _countries(text: str, as_you_type: bool) -> tuple[list[str], list[str]]:
    """The countries a text names, and (as you type) those it begins."""
    if len(text.split()) > MAX_COUNTRY_WORDS:
        return [], []
    named = country_keys_named(text)
    begun = [key for key in search_country_keys(text) if key not in named] if as_you_type else []
    return named, begun


def _ranked(index: NameIndex, text: str, exact_only: bool) -> list[tuple[tuple[str, str], int]]:
    """Candidates, best first: how they matched, then how many articles name them. Sound-alikes
    count only when nothing is named exactly, and only those near the most frequent one."""
    ranked: dict[tuple[str, str], int] = {}
    named, begun = _countries(text, not exact_only and len(text) >= MIN_PREFIX)
    ranked.update((("country", key), EXACT) for key in named)
    ranked.update((("country", key), PREFIX) for key in begun)
    for ref, rank in index.matches(text, as_you_type=not exact_only).items():
        if rank < ranked.get(ref, PREFIX + 1) and not (exact_only and rank == PREFIX):
            ranked[ref] = rank
    if any(rank == EXACT for rank in ranked.values()):
        ranked = {ref: rank for ref, rank in ranked.items() if rank != SOUND}
    floor = max((index.popularity(ref) for ref, rank in ranked.items() if rank == SOUND), default=0) * SOUND_SHARE
    ranked = {ref: rank for ref, rank in ranked.items() if rank != SOUND or index.popularity(ref) >= floor}
    order = sorted(ranked, key=lambda ref: (ranked[ref], -index.popularity(ref), ref))
    return [(ref, ranked[ref]) for ref in order[:CANDIDATES]]


def suggest(
    engine: Engine, state: SearchState, text: str, *, limit: int = 6, exact_only: bool = False
) -> list[Suggestion]:
    """The entities `text` stands for, best first, each with the URL and count of the search
    `state` would become by filtering on it instead of searching the words. `exact_only`: only
    what the text names (or, failing that, sounds like), not what it begins."""
    text = _clean(text)
    if not text:
        return []
    index = name_index(engine)
    base = state.without_query()
    out: list[Suggestion] = []
    for (facet, key), rank in _ranked(index, text, exact_only):
        if key in state.selected(facet):
            continue  # already filtered on
        target = base.with_value(facet, key)
        # on a blank search (the home page's box) the count is the whole index's, known already
        count = index.popularity((facet, key)) if base.is_blank and index.complete else _count(engine, target)
        if count:
            label, label_en = facet_label(facet, key, index.entity_labels)
            out.append(Suggestion(facet, key, label, label_en, count, target.url(), rank == EXACT))
        if len(out) >= limit:
            break
    return out
