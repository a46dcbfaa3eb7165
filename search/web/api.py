"""Machine outputs of the same search: JSON (/api/search), CSV, Atom; and /healthz.

Every output is built from the same `SearchState` through `run_search`, so a URL gives the same
hits as the HTML page it mirrors (`url` in the JSON is that page's canonical URL).
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, current_app, render_template, request

from search.engines.base import EngineError
from search.highlight import plain
from search.query.state import SearchState
from search.schema import ARTICLE_FIELDS, FACETS_BY_NAME, HIT_FIELDS
from search.web.context import engine, search_state
from search.web.coverage import article_coverage, related_articles
from search.web.export import page_csv
from search.web.results import Results, facet_matches, run_search
from search.web.safety import without_paths
from search.xmlchars import xml_safe

bp = Blueprint("api", __name__)


def _hit_json(hit) -> dict:
    """A hit: its article fields (search.schema.HIT_FIELDS), the lists after the snippets."""
    row = {f.name: f.shown_value(hit.doc) for f in HIT_FIELDS if not f.many}
    row["id"] = hit.id
    return {
        **row,
        "snippet": str(hit.snippet),
        "snippet_text": plain(hit.snippet),
        **{f.name: f.shown_value(hit.doc) for f in HIT_FIELDS if f.many},
        "story": hit.story,
        "story_size": hit.story_size,
    }


def results_json(results: Results) -> dict:
    state = results.state
    hits = [_hit_json(h) for h in results.hits]
    if results.grouped:  # the story's other versions, as the page's "also carried by" shows them
        for row, hit in zip(hits, results.hits, strict=True):
            row["also"] = [v.as_json() for v in hit.coverage.others(hit.id)] if hit.coverage else []
    return {
        "total": results.total,
        "stories": results.stories,
        "grouped": results.grouped,
        "page": state.page,
        "size": state.size,
        "sort": state.effective_sort,
        "hits": hits,
        "facets": {block.facet.name: [v.as_json() for v in block.values] for block in results.facets},
        "took_ms": round(results.took_ms, 2),
        "url": state.url(),
        "notes": results.notes,
        # not counted in `total`: articles holding some of the words, when few hold them all
        "partial": {
            "total": results.partial_total,
            "hits": [{**_hit_json(h), "missing": h.missing} for h in results.partial],
        },
    }


@bp.get("/api/search")
def api_search():
    state = search_state()
    return results_json(run_search(engine(), state, grouped=state.grouped_by_story(default=False)))


@bp.get("/api/doc/<path:doc_id>")
def api_doc(doc_id: str):
    """An article as JSON: its fields, its story (`story`, `story_size`), the other outlets'
    versions (`other_coverage`, earliest first, the first publisher marked) and `related`
    articles (same topic, other stories)."""
    doc = engine().get(doc_id) if len(doc_id) <= 300 else None
    if doc is None:
        return {"error": "no such article", "id": doc_id[:300]}, 404
    coverage = article_coverage(engine(), doc)
    return {
        **{f.name: f.shown_value(doc) for f in ARTICLE_FIELDS},
        "story": coverage.story,
        "story_size": coverage.size,
        "first_published": coverage.is_first(doc_id),
        "other_coverage": [v.as_json() for v in coverage.others(doc_id)],
        "related": [v.as_json() for v in related_articles(engine(), doc)],
    }


@bp.get("/api/facet/<name>")
def api_facet(name: str):
    """Values of one facet matching `match` (Arabic or English), for the facet filter box."""
    facet = FACETS_BY_NAME.get(name)
    if facet is None:
        return {"error": f"unknown facet {name[:40]!r}"}, 404
    args = request.args.to_dict(flat=False)
    match = (args.pop("match", [""])[0] or "")[:100]
    state = SearchState.from_args(args)
    values = facet_matches(engine(), state, facet, match)
    return {
        "facet": name,
        "match": match,
        "values": [{**v.as_json(), "url": v.url, "exclude_url": v.exclude_url} for v in values],
    }


@bp.get("/search.csv")
def export_csv():
    """One page of hits as CSV; `/export.csv` (search.web.workflows) gives them all."""
    results = run_search(engine(), search_state(), with_facets=False, with_coverage=False, with_partial=False)
    return Response(
        page_csv(engine(), results.hits),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=arshif-search.csv"},
    )


@bp.get("/search.atom")
def export_atom():
    state = search_state()
    if state.sort is None:  # a feed is followed for what is new, whatever the page's default
        state = state.with_sort("newest")
    results = run_search(engine(), state, with_facets=False, with_coverage=False, with_partial=False)
    updated = max((h.doc.get("date") or "" for h in results.hits), default="") or dt.date.today().isoformat()
    settings = current_app.extensions["arshif.settings"]
    body = render_template("feed.xml", results=results, updated=updated, base=settings.public_base)
    return Response(xml_safe(body), mimetype="application/atom+xml")


@bp.get("/healthz")
def healthz():
    settings = current_app.extensions["arshif.settings"]
    try:
        state = engine().health()
    except EngineError as error:  # the engine could not even be opened: still answer, in JSON
        state = {"engine": settings.engine, "ok": False, "error": str(error)}
    state = {k: v for k, v in state.items() if k != "path"}  # nothing of the server's filesystem
    if "error" in state:
        state["error"] = without_paths(str(state["error"]), settings)
    return state, (200 if state.get("ok") else 503)
