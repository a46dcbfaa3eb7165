"""Turn an `Article` into the engine-neutral document every engine stores.

This is the one place where index-time analysis happens (search.arabic) and where entity keys are
attached (search.entities), so both engines store exactly the same token streams.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from search.arabic import analyze, lead_end
from search.model import Article
from search.schema import ENTITY_FACETS
from search.stories import LEAD, sketch_fields, story_key

# Bump when analysis or document layout changes: every document then counts as changed.
# 2: story fields (`story`, `story_band`, `story_sketch`). 3: the entities' part of the hash apart.
DOCUMENT_VERSION = "3"

# Entity extraction is plugged in by the indexer: article -> {"country": [...], "person": [...],
# "org": [...], "mentions": [...]}. None means no entities (the engines still have the fields).
EntityExtractor = Callable[[Article], dict[str, Any]]

_ENTITY_PART = "+"


def _sha1(value: Any) -> str:
    return hashlib.sha1(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()


def content_hash(article: Article, entities: dict[str, Any] | None = None) -> str:
    """Hash of what a reader sees; identical input gives an identical hash across runs. It has two
    parts: the text's, and, when entities were extracted (`entities` not None), the entity values'
    after a "+": an editor's merge or a new rule rewrites the articles whose facets it changes at
    the next index run, and only those, while a run without entities can tell an unchanged text
    (see `unchanged`)."""
    text = _sha1(
        [
            DOCUMENT_VERSION,
            article.title,
            article.body,
            article.date,
            article.source,
            article.url,
            article.category,
            article.lang,
        ]
    )
    if entities is None:
        return text
    return text + _ENTITY_PART + _sha1([entities.get(k) for k in (*ENTITY_FACETS, "mentions")])


def has_entity_part(stored: str) -> bool:
    """Whether a stored hash was made with entities extracted (an index built before document
    version 3 has hashes of one part, entities or not)."""
    return _ENTITY_PART in stored


def unchanged(stored: str, new: str) -> bool:
    """Whether a document whose stored hash is `stored` needs no rewrite to become `new`. A run
    without entities (a hash with no entity part) leaves an article whose text is the same as it
    is, with the facets an earlier run found, instead of rewriting it without them."""
    if stored == new:
        return True
    return _ENTITY_PART not in new and stored.partition(_ENTITY_PART)[0] == new


def build_document(
    article: Article, extract_entities: EntityExtractor | None = None, *, entities: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The document for `article` (its id must be set), as a plain dict of JSON-compatible values:
    a value for each field of search.schema.FIELDS (tests/test_schema.py holds it to that).
    Entities are either extracted here or given (the indexer extracts a whole batch at once)."""
    title = analyze(article.title)
    body = analyze(article.body)
    if entities is None and extract_entities is not None:
        entities = extract_entities(article)
    content = content_hash(article, entities)
    entities = entities or {}
    date = article.date
    return {
        "id": article.id,
        "title": article.title or "",
        "body": article.body,
        "date": date,
        "year": date[:4] if date else None,
        "month": date[:7] if date else None,
        "source": article.source,
        "category": article.category,
        "url": article.url,
        "lang": article.lang or "ar",
        "truncated": article.truncated,
        "hash": content,
        "title_exact": title.exact_text(),
        "title_stem": title.stem_text(),
        "body_exact": body.exact_text(),
        "body_stem": body.stem_text(),
        **{facet: list(entities.get(facet, ())) for facet in ENTITY_FACETS},
        "entities": json.dumps(entities.get("mentions", []), ensure_ascii=False) if entities else "[]",
        # a story of its own until the indexer's StoryAssigner (search.stories) finds its story
        "story": story_key(article.id),
        **sketch_fields(
            body.exact,
            date,
            article.source,
            countries=entities.get("country", ()),
            lead_countries=_lead_countries(article.body, entities.get("mentions", ())),
        ),
        # display labels of person/org keys ("kind:key" -> name); collected by the indexer, not stored
        "_labels": entities.get("labels", {}),
    }


def _lead_countries(body: str, mentions) -> list[str]:
    """Countries mentioned in the first LEAD words of the body (mentions: [facet, key, field,
    start, end])."""
    found = [
        m
        for m in mentions
        if isinstance(m, (list, tuple))
        and len(m) == 5
        and m[0] == "country"
        and m[2] == "body"
        and isinstance(m[3], int)
    ]
    if not found:
        return []
    end = lead_end(body, LEAD)
    return [m[1] for m in found if m[3] < end]


def document_id(article: Article) -> str:
    """The article's own id, or a stable id from its content when it has none."""
    if article.id:
        return article.id
    digest = hashlib.sha1(((article.title or "") + "\n" + article.body).encode("utf-8")).hexdigest()
    return "h-" + digest[:20]
