"""What a journalist does after a search: export every hit, search a list of names, get entity
suggestions as they type, add Arshif to the browser. Thin views over export, batch and suggest."""

from __future__ import annotations

import logging
import threading
from itertools import chain

from flask import Blueprint, Response, abort, current_app, render_template, request, stream_template
from werkzeug.exceptions import RequestEntityTooLarge

from search.engines.base import EngineError
from search.web.batch import MAX_LINES, base_state, batch_csv, run_batch, split_lines
from search.web.context import engine, search_state
from search.web.export import FORMATS, MEDIA_TYPES, export_stream
from search.web.suggest import name_index, suggest

_log = logging.getLogger(__name__)

bp = Blueprint("workflows", __name__)
BATCH_FORM_BYTES = 4 * 1024 * 1024  # a thousand long Arabic lines, percent-encoded, fit


def link_prefix() -> str:
    """What makes a relative link absolute in a file that leaves the browser: the configured
    public URL (ARSHIF_PUBLIC_URL), or nothing (relative links) when none is set; never the
    request's Host header."""
    return current_app.extensions["arshif.settings"].public_base


_warm_started = threading.Lock()


@bp.before_app_request
def warm_name_index():
    """Build this process's name index (search.web.suggest) in the background on its first
    request, so the first suggestion does not wait for it."""
    if _warm_started.acquire(blocking=False):
        try:
            current = engine()
        except EngineError:
            _warm_started.release()  # try again once the engine opens
            return
        threading.Thread(target=_build_quietly, args=(current,), daemon=True).start()


def _build_quietly(current) -> None:
    try:
        name_index(current)
    except Exception:  # noqa: BLE001 - a failed warm-up is retried by the first suggestion
        _log.warning(
            "building the name index for suggestions failed; the first suggestion will try again", exc_info=True
        )


@bp.get("/export.<fmt>")
def export(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    stream = export_stream(engine(), search_state(), fmt)
    # The header and the first rows are made before answering, so an engine that fails at once
    # gives its error page, not a file cut after the header.
    started = [next(stream), next(stream, "")]
    return Response(
        chain(started, stream),
        content_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename=arshif-export.{fmt}", "X-Accel-Buffering": "no"},
    )


@bp.get("/api/suggest")
def api_suggest():
    state = search_state()
    return {"q": state.q, "suggestions": [s.as_json() for s in suggest(engine(), state, state.q)]}


def _batch_input() -> tuple[str, str | None, int]:
    """The pasted lines, or an uploaded text file's; a problem to show, if any, and its status."""
    request.max_form_memory_size = BATCH_FORM_BYTES
    request.max_content_length = BATCH_FORM_BYTES
    try:
        upload = request.files.get("file")
        if upload and upload.filename:
            data = upload.read(BATCH_FORM_BYTES + 1)
            if len(data) > BATCH_FORM_BYTES:
                return "", "the file is too large for a batch", 413
            try:
                return data.decode("utf-8-sig"), None, 200
            except UnicodeDecodeError:
                return "", "the file is not UTF-8 text", 400
        return request.form.get("lines", ""), None, 200
    except RequestEntityTooLarge:
        return "", f"the list is too large: a batch takes up to {MAX_LINES:,} lines", 413


@bp.route("/batch", methods=["GET", "POST"])
def batch_page():
    base = base_state(request.args.to_dict(flat=False))
    if request.method == "GET":
        return render_template("batch.html", state=base, base=base, text="", rows=None, notes=[])
    text, problem, _ = _batch_input()
    lines, notes = split_lines(text)
    notes = ([problem] if problem else []) + notes
    if not lines:
        notes.append("no lines to search: paste one name or query per line")
    return Response(
        stream_template(
            "batch.html",
            state=base,
            base=base,
            text=text,
            lines=len(lines),
            rows=run_batch(engine(), base, lines) if lines else None,
            notes=notes,
        )
    )


@bp.post("/batch.csv")
def batch_download():
    base = base_state(request.args.to_dict(flat=False))
    text, problem, status = _batch_input()
    if problem:
        return render_template("batch.html", state=base, base=base, text="", rows=None, notes=[problem]), status
    lines, _ = split_lines(text)
    rows = list(run_batch(engine(), base, lines))
    return Response(
        batch_csv(rows, link_prefix()),
        content_type=MEDIA_TYPES["csv"],
        headers={"Content-Disposition": "attachment; filename=arshif-batch.csv"},
    )


@bp.get("/opensearch.xml")
def opensearch():
    """The templates are absolute with ARSHIF_PUBLIC_URL set, relative (to this description's
    address) otherwise."""
    return Response(
        render_template("opensearch.xml", base=link_prefix()), mimetype="application/opensearchdescription+xml"
    )
