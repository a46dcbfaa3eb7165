"""HTML pages: parse the request into a state, run the one search path, render."""

from __future__ import annotations

import json

from flask import Blueprint, abort, render_template, request

from search.facets import FACETS
from search.highlight import highlight
from search.query.parser import parse
from search.web.context import engine, search_state
from search.web.labels import facet_label
from search.web.results import run_search

bp = Blueprint("views", __name__)


@bp.get("/")
@bp.get("/search")
def search_page():
    state = search_state()
    results = run_search(engine(), state)
    return render_template("search.html", results=results, state=state, facets=FACETS)


@bp.get("/doc/<path:doc_id>")
def document_page(doc_id: str):
    if len(doc_id) > 300:
        abort(404)
    doc = engine().get(doc_id)
    if doc is None:
        abort(404)
    state = search_state()
    forms = parse(state.q).highlight if state.q else frozenset()
    try:
        mentions = json.loads(doc.get("entities") or "[]")
    except ValueError:
        mentions = []
    entity_links = []
    for facet in ("country", "person", "org"):
        for key in doc.get(facet) or []:
            label, label_en = facet_label(facet, key)
            entity_links.append((facet, key, label, label_en, type(state)().with_value(facet, key).url()))
    return render_template("doc.html", doc=doc, state=state,
                           title=highlight(doc.get("title") or "", forms),
                           body=highlight(doc.get("body") or "", forms),
                           entity_links=entity_links, mentions=mentions,
                           back_url=state.url() if not state.is_blank else None)
