"""Who carried a story, and what else is on its topic: the results page's grouped hits and the
article page's "other coverage" and "related articles" (stories come from search.stories)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from search.arabic import analyze
from search.engines.base import Engine
from search.query.state import SearchState

RELATED = 5  # related articles shown on an article page
RELATED_QUERY_WORDS = 20  # content words of the title and the body's lead that make the related search
MEMBERS_LIMIT = 2000  # articles read at most to show the coverage of a page's stories
ARTICLE_MEMBERS_LIMIT = 500  # ... of one article's story


@dataclass
class Version:
    """One article of a story, as the coverage lists show it."""

    id: str
    source: str | None
    date: str | None
    title: str
    url: str | None
    first: bool = False  # the first publisher (earliest date; several on the same day)

    @classmethod
    def of(cls, doc: dict[str, Any]) -> Version:
        return cls(str(doc.get("id")), doc.get("source"), doc.get("date"), doc.get("title") or "", doc.get("url"))

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "date": self.date,
            "title": self.title,
            "url": self.url,
            "first": self.first,
        }


@dataclass
class Coverage:
    """A story as seen from one of its articles."""

    story: str | None
    size: int  # articles of the story in the index
    versions: list[Version] = field(default_factory=list)  # all of them, earliest first

    def others(self, doc_id: str) -> list[Version]:
        return [v for v in self.versions if v.id != doc_id]

    def outlets(self, doc_id: str) -> list[str]:
        """The other outlets that carried it, earliest first, each once."""
        names = [v.source or "" for v in self.others(doc_id)]
        return [n for n in dict.fromkeys(names) if n]

    def is_first(self, doc_id: str) -> bool:
        return any(v.first for v in self.versions if v.id == doc_id)


def _versions(docs: Iterable[dict[str, Any]]) -> list[Version]:
    versions = [Version.of(d) for d in docs]
    versions.sort(key=lambda v: (v.date is None, v.date or "", v.source or "", v.id))
    dated = [v.date for v in versions if v.date]
    if dated and dated[-1] != dated[0]:  # who was first is only known when some were later
        for v in versions:
            v.first = v.date == dated[0]
    return versions


def story_coverage(engine: Engine, keys: Iterable[str | None], *, members: bool) -> dict[str, Coverage]:
    """Coverage of each story key: its size, and with `members` its articles (for the stories
    that have more than one)."""
    keys = sorted({k for k in keys if k})
    if not keys:
        return {}
    sizes = engine.story_sizes(keys)
    found = {k: Coverage(k, sizes.get(k, 1)) for k in keys}
    shared = [k for k in keys if found[k].size > 1]
    if members and shared:
        limit = min(MEMBERS_LIMIT, sum(found[k].size for k in shared))
        grouped: dict[str | None, list[dict[str, Any]]] = {}
        for doc in engine.story_docs("story", shared, limit=limit):
            grouped.setdefault(doc.get("story"), []).append(doc)
        for key, docs in grouped.items():
            if key in found:
                found[key].versions = _versions(docs)
    return found


def article_coverage(engine: Engine, doc: dict[str, Any]) -> Coverage:
    """The story of one article, with every version (the article itself included)."""
    key = doc.get("story")
    if not key:
        return Coverage(None, 1, _versions([doc]))
    docs = engine.story_docs("story", [key], limit=ARTICLE_MEMBERS_LIMIT)
    # fewer than asked for: that is the whole story, and its size needs no second request
    size = len(docs) if len(docs) < ARTICLE_MEMBERS_LIMIT else engine.story_sizes([key]).get(key, 1)
    if not any(d.get("id") == doc.get("id") for d in docs):
        docs.append(doc)
    return Coverage(key, max(len(docs), size), _versions(docs))


def related_query(doc: dict[str, Any]) -> str:
    """A pasted-text query from the article's title and lead: a long natural query, so that the
    search ranks by shared words (and pseudo-relevance feedback adds the article's topic)."""
    analysis = analyze(f"{doc.get('title') or ''}\n{(doc.get('body') or '')[:1500]}")
    words = [w for w, stems in zip(analysis.exact, analysis.stem, strict=True) if stems and w.upper() != "OR"]
    return " ".join(list(dict.fromkeys(words))[:RELATED_QUERY_WORDS])  # distinct, stopwords left out


def related_articles(engine: Engine, doc: dict[str, Any], limit: int = RELATED) -> list[Version]:
    """More like this: the best hits of the article's own words, one per story, other stories only."""
    from search.web.results import run_search  # the one search path (results imports this module)

    query = related_query(doc)
    if not query:
        return []
    results = run_search(
        engine, SearchState(q=query, size=limit + 5), with_facets=False, grouped=True, with_coverage=False
    )
    own = doc.get("story")
    picked = [h.doc for h in results.hits if h.id != doc.get("id") and (own is None or h.doc.get("story") != own)]
    return [Version.of(d) for d in picked[:limit]]
