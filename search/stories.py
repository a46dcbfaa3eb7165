"""Stories: one piece of news carried by several outlets (wire copy, lightly edited), found at
index time.

Outlets reprint an agency story under their own headline with a few edits, so the same story
appears five times in a page of results. Two articles are versions of one story when their bodies
share wording, not only a topic:

- **Candidates** come from MinHash over the 4-word shingles of a body's opening (its first 120
  normalized words) with LSH: 40 bands of 2 rows, stored as keyword terms (`story_band`), so that
  an article indexed later finds its story in the index with one term query.
- **Verification**: containment of 4-word shingles over the first 400 words (shared shingles /
  shingles of the shorter text) ≥ 0.3. Containment, not Jaccard, so that a version cut short by
  one outlet still matches, and a series sharing only its introduction («الأمازيغية والاستعمار
  الفرنسي (1) … (23)») does not.
- **Templates are not stories.** Congratulation cables, execution statements, weather forecasts,
  a ministry's weekly notice: the same frame with other names, places, numbers or days. A link is
  refused when each lead (first 40 words) names a country the other article never names, or (below
  0.6) when both leads have at least two rare words (in at most 3 in 10,000 documents' leads, counted in the
  index) that the other text lacks: the slots of the template. A story spans at most 3 days; an
  outlet's second article on another day joins only if it is a near copy (≥ 0.6) of the first; a
  text that recurs (similar articles on two or more dates more than 3 days away) joins only a near
  copy (≥ 0.85); and a new article must be similar on average (≥ 0.2) to all the story's members,
  not just to one (no chaining).

A story's key is a function of its founding member (the first article of the story to be
indexed): `story_key(id)`. Articles are assigned in input order, in the indexer's main process
(workers only compute sketches), so re-indexing the same archive gives the same keys whatever the
workers do, and an article added later joins an existing story without renaming it.
Measured on ../shared/dev/other_coverage.tsv: see docs/stories.md (scripts/eval_stories.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import struct
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

SHINGLE = 4  # words per shingle
OPENING = 120  # words whose shingles are hashed for candidates (LSH)
WINDOW = 400  # words whose shingles are compared (containment)
# Stories among a search's matches are counted exactly up to this many matches; past it the
# engines may estimate (tantivy's HyperLogLog: within about 2 %).
EXACT_STORY_COUNT_UP_TO = 10_000
LEAD = 40  # words where a template's slots are (names, places, numbers)
BANDS, ROWS = 40, 2  # LSH: P(candidate) = 1 - (1 - J^2)^40: 0.98 at J=0.3, 0.33 at J=0.1

LINK = 0.3  # containment for two articles to be one story
MIN_JACCARD = 0.15  # ... and shared shingles over all their shingles (not an item of a digest)
NEAR_COPY = 0.6  # ... above which the template check is skipped (and same-outlet days allowed)
TEMPLATE_COPY = 0.85  # ... needed to join when the text recurs on many days
MEAN_LINK = 0.2  # mean containment over a story's members, to join it
MAX_SPAN_DAYS = 3  # a story's first and last dates
FAR_DAYS = 3  # similar articles further apart than this mark a recurring text
RECURRING_DATES = 2  # ... on this many distinct dates
RARE_SHARE = 0.0003  # a lead word in at most this share of documents' leads is "rare"
MIN_SLOT_WORDS = 2  # rare lead words missing from the other text, on both sides, to refuse

MAX_CANDIDATES = 32  # per article: those sharing the most bands
COMMON_BAND = 64  # a band key shared by more documents says nothing (boilerplate): skipped
MAX_MEMBERS = 64  # of a story compared with a new article: its first and its latest
MEMORY_LIMIT = 100_000  # sketches of this run kept in memory (~2 kB each); older ones are read back
ENGINE_LOOKUP_LIMIT = 5_000  # documents one lookup query returns at most
LEAD_COUNT_SLOTS = 1 << 22  # lead-word counts of this run, by hash (a collision only overcounts)

_POSITION_KEYS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5], dtype=np.uint64
)


def _constants(label: str, count: int) -> np.ndarray:
    """Odd 64-bit multipliers derived from SHA-256 of a label: the same on every machine and for
    every numpy version (band keys written today must match the ones computed next year)."""
    values = [
        int.from_bytes(hashlib.sha256(f"arshif-{label}-{i}".encode()).digest()[:8], "little") | 1 for i in range(count)
    ]
    return np.array(values, dtype=np.uint64)


_PERM_A = _constants("minhash-a", BANDS * ROWS)
_PERM_B = _constants("minhash-b", BANDS * ROWS)
_BAND_A, _BAND_B = _constants("band-a", 1)[0], _constants("band-b", 1)[0]


def _mix(values: np.ndarray) -> np.ndarray:
    """A 64-bit finalizer (xor-shift-multiply), vectorized; returns the high 32 bits."""
    with np.errstate(over="ignore"):
        values = values ^ (values >> np.uint64(29))
        values = values * np.uint64(0xBF58476D1CE4E5B9)
        values = values ^ (values >> np.uint64(32))
    return (values >> np.uint64(32)).astype(np.uint32)


class _WordHashes(dict):
    """word -> CRC-32 of its UTF-8 (news vocabulary is Zipfian: most words come back, and a dict
    lookup from `map` costs a tenth of encoding and hashing)."""

    LIMIT = 500_000

    def __missing__(self, word: str) -> int:
        value = zlib.crc32(word.encode("utf-8"))
        if len(self) < self.LIMIT:
            self[word] = value
        return value


_WORD_HASHES = _WordHashes()


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (as np.unique, faster on a few hundred values)."""
    if len(values) < 2:
        return values.copy()
    ordered = np.sort(values)
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def word_hashes(words: Sequence[str]) -> np.ndarray:
    """CRC-32 of each word: stable across processes and releases (unlike `hash`)."""
    return np.fromiter(map(_WORD_HASHES.__getitem__, words), dtype=np.uint64, count=len(words))


def shingle_hashes(hashed_words: np.ndarray) -> np.ndarray:
    """One 32-bit hash per run of SHINGLE consecutive words, in text order (one for a shorter text)."""
    if len(hashed_words) == 0:
        return np.zeros(0, dtype=np.uint32)
    if len(hashed_words) < SHINGLE:
        hashed_words = np.concatenate([hashed_words, np.zeros(SHINGLE - len(hashed_words), dtype=np.uint64)])
    count = len(hashed_words) - SHINGLE + 1
    with np.errstate(over="ignore"):
        combined = np.zeros(count, dtype=np.uint64)
        for position in range(SHINGLE):
            combined ^= hashed_words[position : position + count] * _POSITION_KEYS[position]
    return _mix(combined)


def band_numbers(opening_shingles: np.ndarray) -> np.ndarray:
    """LSH band keys of a set of shingle hashes, as numbers: the band (0-39) times 2^32 plus a
    32-bit hash of its rows of the MinHash signature."""
    if len(opening_shingles) == 0:
        return np.zeros(0, dtype=np.uint64)
    values = opening_shingles.astype(np.uint64)[:, None]
    with np.errstate(over="ignore"):
        mixed = values * _PERM_A  # _mix(values * A + B), in place: one array, not seven
        mixed += _PERM_B
        mixed ^= mixed >> np.uint64(29)
        mixed *= np.uint64(0xBF58476D1CE4E5B9)
        mixed ^= mixed >> np.uint64(32)
        mixed >>= np.uint64(32)
        signature = mixed.min(axis=0)
        rows = signature.reshape(BANDS, ROWS)
        keys = _mix(rows[:, 0] * _BAND_A ^ rows[:, 1] * _BAND_B).astype(np.uint64)
    return (np.arange(BANDS, dtype=np.uint64) << np.uint64(32)) | keys


def sketch_band_numbers(sketch: Sketch) -> np.ndarray:
    """The band numbers of a sketch (band index in the high 32 bits, as `band_numbers` gives them)."""
    return (np.arange(len(sketch.bands), dtype=np.uint64) << np.uint64(32)) | sketch.bands.astype(np.uint64)


def band_key(number: int) -> str:
    """The keyword the engines index for a band number: 10 hex digits."""
    return f"{number:010x}"


def story_key(doc_id: str) -> str:
    """The key of the story an article founds: 15 hex digits of SHA-1 of its id (a 60-bit number,
    so that the embedded engine can also keep it in a numeric column for grouping)."""
    return hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:15]


def story_number(key: str) -> int:
    return int(key, 16)


# --- sketches ------------------------------------------------------------------------------------

_HEADER = struct.Struct("<BiBHHHH")  # version, day (or -1), bands, shingles, words, source, countries bytes
_VERSION = 2


@dataclass(slots=True)
class Sketch:
    """What story detection keeps of an article: compared with later articles, never shown."""

    id: str
    story: str
    day: int | None  # date.toordinal(), None when undated
    source: str
    shingles: np.ndarray  # uint32, sorted, distinct: shingles of the first WINDOW words
    words: np.ndarray  # uint32, sorted, distinct: words of the first WINDOW words
    bands: np.ndarray  # uint32: each band's hash, in band order (see band_numbers)
    lead: bytes  # distinct words (3 letters or more) of the first LEAD, UTF-8, spaced
    lead_countries: frozenset[str] = frozenset()  # countries named in the lead (ISO codes)
    countries: frozenset[str] = frozenset()  # countries named anywhere

    def lead_words(self) -> list[str]:
        return self.lead.decode("utf-8", "replace").split()


def _day(iso_date: str | None) -> int | None:
    if not iso_date:
        return None
    try:
        return dt.date.fromisoformat(iso_date[:10]).toordinal()
    except ValueError:
        return None


def sketch_fields(
    tokens: Sequence[str],
    date: str | None,
    source: str | None,
    *,
    countries: Iterable[str] = (),
    lead_countries: Iterable[str] = (),
) -> dict[str, Any]:
    """The story fields `build_document` adds (worker side): LSH band keys, lead words and the
    packed sketch. `tokens` are the body's normalized words (`Analysis.exact`); `countries` the
    article's country keys and `lead_countries` those named in its first LEAD words."""
    window = list(tokens[:WINDOW])
    hashed = word_hashes(window)
    shingles = shingle_hashes(hashed)
    opening = _distinct(shingles[: max(1, OPENING - SHINGLE + 1)])
    lead = list(dict.fromkeys(w for w in window[:LEAD] if len(w) >= 3))
    day = _day(date)
    source_bytes = (source or "").encode("utf-8")[:1000]
    shingle_set = _distinct(shingles).astype("<u4")
    word_set = _distinct(hashed).astype("<u4")
    country_text = " ".join(sorted(set(lead_countries))) + ";" + " ".join(sorted(set(countries)))
    country_bytes = country_text.encode("ascii", "ignore")
    numbers = band_numbers(opening)
    blob = b"".join(
        [
            _HEADER.pack(
                _VERSION,
                -1 if day is None else day,
                len(numbers),
                len(shingle_set),
                len(word_set),
                len(source_bytes),
                len(country_bytes),
            ),
            (numbers & np.uint64(0xFFFFFFFF)).astype("<u4").tobytes(),
            shingle_set.tobytes(),
            word_set.tobytes(),
            source_bytes,
            country_bytes,
            " ".join(lead).encode("utf-8"),
        ]
    )
    return {
        "story_band": [band_key(n) for n in numbers.tolist()],
        "story_lead": lead,
        "story_sketch": blob,
    }


def read_sketch(doc_id: str, story: str, blob: bytes) -> Sketch:
    version, day, n_bands, n_shingles, n_words, n_source, n_countries = _HEADER.unpack_from(blob)
    if version != _VERSION:
        raise ValueError(f"unknown story sketch version {version}")
    at = _HEADER.size
    bands = np.frombuffer(blob, dtype="<u4", count=n_bands, offset=at)
    at += 4 * n_bands
    shingles = np.frombuffer(blob, dtype="<u4", count=n_shingles, offset=at)
    at += 4 * n_shingles
    words = np.frombuffer(blob, dtype="<u4", count=n_words, offset=at)
    at += 4 * n_words
    source = blob[at : at + n_source].decode("utf-8", "replace")
    at += n_source
    lead_countries, _, countries = blob[at : at + n_countries].decode("ascii", "replace").partition(";")
    at += n_countries
    return Sketch(
        doc_id,
        story,
        None if day < 0 else day,
        source,
        shingles,
        words,
        bands,
        bytes(blob[at:]),
        frozenset(lead_countries.split()),
        frozenset(countries.split()),
    )


def containments(new: Sketch, others: Sequence[Sketch]) -> list[float]:
    """Containment of `new` with each of `others`: shared shingles over the shingles of the
    shorter text (all at once: a few numpy calls, whatever the number of others)."""
    if not others:
        return []
    sizes = np.array([len(o.shingles) for o in others])
    if len(new.shingles) == 0 or not sizes.any():
        return [0.0] * len(others)
    pooled = np.concatenate([o.shingles for o in others])
    at = np.searchsorted(new.shingles, pooled)
    at[at == len(new.shingles)] = 0
    shared = np.bincount(
        np.repeat(np.arange(len(others)), sizes), weights=new.shingles[at] == pooled, minlength=len(others)
    )
    smaller = np.maximum(np.minimum(sizes, len(new.shingles)), 1)
    value = shared / smaller
    # a text that only sits inside a much longer one (an item of a news digest, a cable quoted in
    # a roundup) is not a version of it: too little of the longer text is shared
    union = np.maximum(sizes + len(new.shingles) - shared, 1)
    value[shared / union < MIN_JACCARD] = 0.0
    return value.tolist()


def _missing(words: list[str], present: np.ndarray) -> list[str]:
    """The words whose hash is not in `present` (a sorted hash array)."""
    if not words:
        return []
    hashed = word_hashes(words).astype(np.uint32)
    at = np.searchsorted(present, hashed)
    at[at == len(present)] = 0
    found = present[at] == hashed if len(present) else np.zeros(len(words), dtype=bool)
    return [w for w, hit in zip(words, found, strict=True) if not hit]


def _country_slots(a: Sketch, b: Sketch) -> bool:
    """Each lead names a country the other article never names: the same cable to another head of
    state («برقية تهنئة … رئيس جمهورية كولومبيا» / «… مصر»)."""
    return bool(a.lead_countries - b.countries) and bool(b.lead_countries - a.countries)


# --- the band index ------------------------------------------------------------------------------


class BandIndex:
    """Band key -> document numbers for a whole run, in little memory and without a Python object
    per entry: sorted numpy levels (12 bytes an entry), one added per batch and merged as they
    grow (a log-structured merge), searched for a whole batch at once."""

    def __init__(self) -> None:
        self.levels: list[tuple[np.ndarray, np.ndarray]] = []  # (keys uint64 sorted, doc numbers)

    def matches(self, keys: np.ndarray, first: int) -> list[Counter[int]]:
        """For a batch (one row of band keys per document, numbered first, first + 1, …): the
        document numbers each row shares keys with, in earlier batches or earlier in this one, and
        how many keys."""
        rows: list[Counter[int]] = [Counter() for _ in range(len(keys))]
        if keys.size == 0:
            return rows
        flat = keys.ravel()
        owner = np.repeat(np.arange(len(keys)), keys.shape[1])
        order = np.argsort(flat, kind="stable")
        ordered, ordered_owner = flat[order], owner[order]  # sorted needles search faster
        for level_keys, numbers in self.levels:
            low = np.searchsorted(level_keys, ordered)
            inside = low < len(level_keys)
            hit = np.flatnonzero(inside & (level_keys[np.where(inside, low, 0)] == ordered))
            if hit.size == 0:
                continue
            high = np.searchsorted(level_keys, ordered[hit], side="right")
            for at, start, stop in zip(hit.tolist(), low[hit].tolist(), high.tolist(), strict=True):
                if stop - start <= COMMON_BAND:
                    rows[ordered_owner[at]].update(numbers[start:stop].tolist())
        same = np.flatnonzero(ordered[1:] == ordered[:-1])  # equal keys within the batch
        for at in same.tolist():
            later = int(ordered_owner[at + 1])
            k = at
            while k >= 0 and at - k < COMMON_BAND and ordered[k] == ordered[at + 1]:
                earlier = int(ordered_owner[k])
                if earlier < later:
                    rows[later][first + earlier] += 1
                elif earlier > later:
                    rows[earlier][first + later] += 1
                k -= 1
        return rows

    def add(self, keys: np.ndarray, numbers: np.ndarray) -> None:
        """Add a batch: `keys` one row per document, `numbers` their document numbers."""
        if keys.size == 0:
            return
        flat = keys.ravel()
        owners = np.repeat(numbers.astype(np.uint32), keys.shape[1])
        order = np.argsort(flat, kind="stable")
        self.levels.append((flat[order], owners[order]))
        while len(self.levels) > 1 and len(self.levels[-2][0]) <= 2 * len(self.levels[-1][0]):
            (k1, n1), (k2, n2) = self.levels.pop(-2), self.levels.pop(-1)
            merged_keys = np.concatenate([k1, k2])
            order = np.argsort(merged_keys, kind="stable")
            self.levels.append((merged_keys[order], np.concatenate([n1, n2])[order]))


# --- assignment ----------------------------------------------------------------------------------


class StoryLookup(Protocol):
    """What the assigner asks the engine (its `story_docs`, `doc_freqs` and `count`). With
    `sketches=True`, `story_docs` rows hold `id`, `story` and `story_sketch`."""

    def story_docs(
        self, field: str, values: list[str], *, limit: int, sketches: bool = False
    ) -> list[dict[str, Any]]: ...

    def doc_freqs(self, field: str, terms: list[str]) -> dict[str, int]: ...

    def count(self) -> int: ...


@dataclass(slots=True)
class _Choice:
    story: str
    mean: float
    best: float


class StoryAssigner:
    """Gives each new or changed document its `story`, in the order the documents are given.

    This run's sketches are kept in memory (up to `memory_limit`, about 2 kB each); documents that
    were in the index before the run, or were evicted, are read back through the engine. Lead-word
    counts for the template check come from the engine (`story_lead`) plus the documents written
    since its last commit."""

    def __init__(self, lookup: StoryLookup | None = None, *, memory_limit: int = MEMORY_LIMIT):
        self.lookup = lookup
        self.memory_limit = memory_limit
        self.sketches: list[Sketch | None] = []  # by document number (this run)
        self.number_of: dict[str, int] = {}  # id -> document number
        self.members: dict[str, list[int]] = {}  # story -> document numbers
        self.bands = BandIndex()
        self.evicted = 0  # sketches[:evicted] were dropped
        self.lead_counts = np.zeros(LEAD_COUNT_SLOTS, dtype=np.uint32)  # since the last commit, by hash
        self.written_since_commit = 0
        self.indexed = lookup.count() if lookup is not None else 0
        self.ask_engine = self.indexed > 0  # else every candidate is in memory
        self._engine_df: dict[str, int] = {}

    # --- the indexer's calls ---------------------------------------------------------------

    def assign(self, docs: list[dict[str, Any]]) -> None:
        """Set `story` on each document (dicts from `build_document`), in order."""
        sketches = {i: read_sketch(d["id"], "", d["story_sketch"]) for i, d in enumerate(docs) if d.get("story_sketch")}
        with_bands = [i for i, sketch in sketches.items() if len(sketch.bands) == BANDS]
        keys = np.array([sketch_band_numbers(sketches[i]) for i in with_bands], dtype=np.uint64).reshape(-1, BANDS)
        first = len(self.sketches)
        numbers = {i: first + k for k, i in enumerate(with_bands)}  # batch position -> document number
        shared = dict(zip(with_bands, self.bands.matches(keys, first), strict=True))
        from_engine: dict[str, list[Sketch]] = {}
        if self.ask_engine:
            from_engine = self._engine_by("story_band", sorted({b for i in with_bands for b in docs[i]["story_band"]}))
        self.sketches.extend([None] * len(with_bands))  # numbered now, filled in as assigned
        self._count_leads(docs)
        for i, doc in enumerate(docs):
            self._forget(doc["id"])
            self.written_since_commit += 1
            sketch = sketches.get(i) if i in numbers else None
            story = None
            if sketch is not None:
                bands = doc["story_band"] if from_engine else []
                story = self._choose(sketch, self._candidates(sketch, shared[i], bands, from_engine))
            doc["story"] = story or story_key(doc["id"])
            if sketch is not None:
                sketch.story = doc["story"]
                self._remember(sketch, numbers[i])
        self.bands.add(keys, np.array([numbers[i] for i in with_bands], dtype=np.uint32))

    def _candidates(
        self, new: Sketch, shared: Counter[int], bands: list[str], indexed: dict[str, list[Sketch]]
    ) -> list[Sketch]:
        """Articles sharing a band with `new`: this run's (those sharing the most bands first) and
        the index's."""
        found: dict[str, Sketch] = {}
        for number, _ in shared.most_common(MAX_CANDIDATES):
            other = self.sketches[number]
            if other is not None and other.id != new.id:
                found[other.id] = other
        for band in bands if indexed else ():
            for other in indexed.get(band, ()):
                if other.id != new.id:
                    found.setdefault(other.id, other)
        return list(found.values())

    def _count_leads(self, docs: list[dict[str, Any]]) -> None:
        """Count the batch's lead words (each document once per word), before assigning it."""
        hashes = [word_hashes(d.get("story_lead") or []) for d in docs]
        if hashes:
            slots, counts = np.unique(np.concatenate(hashes).astype(np.int64) % LEAD_COUNT_SLOTS, return_counts=True)
            self.lead_counts[slots] += counts.astype(np.uint32)

    def _lead_count(self, word: str) -> int:
        return int(self.lead_counts[_WORD_HASHES[word] % LEAD_COUNT_SLOTS])

    def committed(self) -> None:
        """The engine committed: what was written is now in its counts and lookups."""
        self.lead_counts[:] = 0
        self.written_since_commit = 0
        self._engine_df.clear()
        if self.lookup is not None:
            self.indexed = self.lookup.count()
        kept = len(self.number_of)
        while kept > self.memory_limit and self.evicted < len(self.sketches):
            old = self.sketches[self.evicted]
            if old is not None:
                self._forget(old.id)
                kept -= 1
            self.evicted += 1
            self.ask_engine = True

    # --- memory --------------------------------------------------------------------------------

    def _remember(self, sketch: Sketch, number: int) -> None:
        self.sketches[number] = sketch
        self.number_of[sketch.id] = number
        self.members.setdefault(sketch.story, []).append(number)

    def _forget(self, doc_id: str) -> None:
        number = self.number_of.pop(doc_id, None)
        if number is None:
            return
        old = self.sketches[number]
        self.sketches[number] = None  # its band entries now lead nowhere
        if old is not None:
            numbers = self.members.get(old.story)
            if numbers is not None:
                numbers.remove(number)
                if not numbers:
                    del self.members[old.story]

    def _engine_by(self, field: str, values: list[str], limit: int = ENGINE_LOOKUP_LIMIT) -> dict[str, list[Sketch]]:
        """Sketches of indexed documents whose `field` holds one of `values`, grouped by value
        (documents this run holds in memory are left out: memory is newer)."""
        if not values or self.lookup is None:
            return {}
        grouped: dict[str, list[Sketch]] = {}
        wanted = set(values)
        for row in self.lookup.story_docs(field, values, limit=limit, sketches=True):
            if row["id"] in self.number_of or not row.get("story_sketch"):
                continue
            try:
                sketch = read_sketch(row["id"], row.get("story") or story_key(row["id"]), row["story_sketch"])
            except (ValueError, struct.error):
                continue
            keys = (
                [band_key(int(n)) for n in sketch_band_numbers(sketch).tolist()]
                if field == "story_band"
                else [sketch.story]
            )
            for key in set(keys or ()) & wanted:
                grouped.setdefault(key, []).append(sketch)
        return grouped

    def _story_members(self, story: str, new_id: str) -> list[Sketch]:
        """The story's members to compare a new article with: all of them, or for a large story
        its first and latest MAX_MEMBERS / 2."""
        found = {}
        numbers = self.members.get(story, [])
        if len(numbers) > MAX_MEMBERS:
            numbers = numbers[: MAX_MEMBERS // 2] + numbers[-MAX_MEMBERS // 2 :]
        for number in numbers:
            sketch = self.sketches[number]
            if sketch is not None and sketch.id != new_id:
                found[sketch.id] = sketch
        if self.ask_engine and len(found) < MAX_MEMBERS:
            for sketch in self._engine_by("story", [story], limit=MAX_MEMBERS).get(story, ()):
                if sketch.id != new_id and sketch.id not in found:
                    found[sketch.id] = sketch
        return list(found.values())

    # --- the decision ----------------------------------------------------------------------

    def _choose(self, new: Sketch, candidates: list[Sketch]) -> str | None:
        similar = dict(zip((c.id for c in candidates), containments(new, candidates), strict=True))
        linked = [c for c in candidates if similar[c.id] >= LINK]
        if not linked:
            return None
        recurring = (
            new.day is not None
            and len({s.day for s in linked if s.day is not None and abs(s.day - new.day) > FAR_DAYS}) >= RECURRING_DATES
        )
        best: _Choice | None = None
        for story in sorted({s.story for s in linked}):
            choice = self._fit(new, story, similar, recurring)
            if choice is not None and (best is None or (choice.mean, choice.best) > (best.mean, best.best)):
                best = choice
        return best.story if best else None

    def _fit(self, new: Sketch, story: str, similar: dict[str, float], recurring: bool) -> _Choice | None:
        """The story `new` may join, with its mean and best similarity, or None when a rule refuses."""
        members = self._story_members(story, new.id)
        if not members:
            return None
        unknown = [m for m in members if m.id not in similar]
        similar = {**similar, **dict(zip((m.id for m in unknown), containments(new, unknown), strict=True))}
        values = [similar[m.id] for m in members]
        if recurring and max(values) < TEMPLATE_COPY:
            return None
        days = [m.day for m in members if m.day is not None] + ([new.day] if new.day is not None else [])
        if days and max(days) - min(days) > MAX_SPAN_DAYS:
            return None
        for member, value in zip(members, values, strict=True):
            if member.source == new.source and member.day != new.day and value < NEAR_COPY:
                return None
            if _country_slots(new, member) or (LINK <= value < NEAR_COPY and self._template_slots(new, member)):
                return None
        mean = sum(values) / len(values)
        if mean < MEAN_LINK:
            return None
        return _Choice(story, mean, max(values))

    # --- templates -------------------------------------------------------------------------

    def _template_slots(self, a: Sketch, b: Sketch) -> bool:
        """Both texts have MIN_SLOT_WORDS rare lead words that the other lacks: one frame, other
        names, places or numbers."""
        lead_a, lead_b = a.lead_words(), b.lead_words()
        rare = self._rare(set(lead_a) | set(lead_b))
        return (
            len(_missing([w for w in lead_a if w in rare], b.words)) >= MIN_SLOT_WORDS
            and len(_missing([w for w in lead_b if w in rare], a.words)) >= MIN_SLOT_WORDS
        )

    def _rare(self, words: set[str]) -> set[str]:
        total = self.indexed + self.written_since_commit
        limit = max(2.0, total * RARE_SHARE)
        if self.lookup is not None and self.indexed:
            missing = [w for w in words if w not in self._engine_df]
            if missing:
                self._engine_df.update(self.lookup.doc_freqs("story_lead", missing))
        return {w for w in words if self._engine_df.get(w, 0) + self._lead_count(w) <= limit}
