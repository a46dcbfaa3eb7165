"""Per-process access to the engine and to the request's search state (keeps views thin)."""

from __future__ import annotations

import threading

from flask import current_app, request

from search.engines import open_engine
from search.engines.base import Engine
from search.query.state import SearchState

_lock = threading.Lock()


def engine() -> Engine:
    app = current_app
    found = app.extensions.get("arshif.engine")
    if found is None:
        with _lock:
            found = app.extensions.get("arshif.engine")
            if found is None:
                found = open_engine(app.extensions["arshif.settings"])
                app.extensions["arshif.engine"] = found
    return found


def search_state() -> SearchState:
    return SearchState.from_args(request.args.to_dict(flat=False))
