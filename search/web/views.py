"""HTML pages: parse the request into a state, run the one search path, render."""

from __future__ import annotations

import json

from flask import Blueprint, abort, render_template

from search.highlight import highlight_with_links
from search.query.parser import parse
from search.query.state import SearchState
from search.schema import ENTITY_FACETS, FACETS
from search.web.context import engine, search_state
from search.web.coverage import article_coverage, related_articles
from search.web.labels import facet_label
from search.web.results import run_search
from search.web.suggest import suggest
from search.web.timeline import build_timeline

bp = Blueprint("views", __name__)


@bp.get("/")
@bp.get("/search")
def search_page():
    state = search_state()
    grouped = state.grouped_by_story(default=True)
    results = run_search(engine(), state, grouped=grouped, with_coverage=grouped)  # the page lists versions grouped
    return render_template(
        "search.html",
        results=results,
        state=state,
        facets=FACETS,
        timeline=build_timeline(results),
        suggestions=suggest(engine(), state, state.q, limit=3, exact_only=True),
    )


@bp.get("/doc/<path:doc_id>")
def document_page(doc_id: str):
    if len(doc_id) > 300:
        abort(404)
    doc = engine().get(doc_id)
    if doc is None:
        abort(404)
    state = search_state()
    forms = parse(state.q).highlight if state.q else frozenset()
    labels = engine().entity_labels()
    entity_links = []
    for facet in ENTITY_FACETS:
        for key in doc.get(facet) or []:
            label, label_en = facet_label(facet, key, labels)
            entity_links.append((facet, key, label, label_en, SearchState().with_value(facet, key).url()))
    mention_links: dict[str, list] = {"title": [], "body": []}
    for mention in _mentions(doc):
        facet, key, field, start, end = mention
        if field in mention_links and key in (doc.get(facet) or []):
            mention_links[field].append((start, end, SearchState().with_value(facet, key).url(), f"mention {facet}"))
    return render_template(
        "doc.html",
        doc=doc,
        state=state,
        coverage=article_coverage(engine(), doc),
        related=related_articles(engine(), doc),
        title=highlight_with_links(doc.get("title") or "", forms, mention_links["title"]),
        body=highlight_with_links(doc.get("body") or "", forms, mention_links["body"]),
        entity_links=entity_links,
        back_url=state.url() if not state.is_blank else None,
    )


def _mentions(doc: dict) -> list[list]:
    try:
        mentions = json.loads(doc.get("entities") or "[]")
    except ValueError:
        return []
    return [
        m for m in mentions if isinstance(m, list) and len(m) == 5 and isinstance(m[3], int) and isinstance(m[4], int)
    ]
