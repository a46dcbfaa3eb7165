"""What the app does to every request and response, whoever sends it: a bound on the URL, headers
that forbid framing and foreign scripts, redirects and links that never come from the Host header,
and only web addresses as links.
"""

from __future__ import annotations

import os
import re

from flask import Flask, abort, request

from search.config import Settings
from search.query.state import MAX_QUERY_CHARS

# A URL's query string is copied into every link of a results page (~250 of them): an unbounded
# one made a 100 KB URL build a 24 MB page. 8,000 bytes holds the longest query a page accepts
# (MAX_QUERY_CHARS of Arabic, percent-encoded) with room for filters, and stays under gunicorn's
# largest request line (8,190 bytes, set in server.py), so the app answers before gunicorn does.
MAX_QUERY_STRING_BYTES = 8000

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

_WEB_URL = re.compile(r"^https?://[^\s/?#]", re.IGNORECASE)
_ABSOLUTE_PATH = re.compile(r"(?<![\w:/.~-])/(?:[\w.@+~-]+/)*[\w.@+~-]+")


def install(app: Flask, settings: Settings) -> None:
    app.before_request(refuse_long_urls)
    app.after_request(lambda response: secure_response(response, settings))
    app.jinja_env.globals["web_url"] = web_url
    app.jinja_env.globals["max_query_chars"] = MAX_QUERY_CHARS  # the search box's maxlength


def refuse_long_urls() -> None:
    if len(request.query_string) > MAX_QUERY_STRING_BYTES:
        abort(414)


def secure_response(response, settings: Settings):
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    location = headers.get("Location")
    if location and location.startswith(request.host_url):
        # Werkzeug builds a redirect (//search, /doc//x) from the Host header: anyone could make
        # it point elsewhere. Keep the path, on the configured address or relative.
        headers["Location"] = settings.public_base + "/" + location[len(request.host_url) :]
    return response


def web_url(url: str | None) -> str | None:
    """`url` when it is an http(s) address, else None: a stored `javascript:` or `data:` URL must
    never become a link (browsers also ignore leading spaces and tabs inside the scheme, so only
    a URL that starts with the scheme itself passes)."""
    return url if url and _WEB_URL.match(url) else None


def public_url_problem(url: str | None) -> str | None:
    """Why ARSHIF_PUBLIC_URL cannot be used, or None when it is unset or fine."""
    if url and not _WEB_URL.match(url.strip()):
        return f"ARSHIF_PUBLIC_URL must look like https://host or https://host/path, not {url[:80]!r}"
    return None


def without_paths(message: str, settings: Settings) -> str:
    """An error message fit for anyone on the web: the index folder and other absolute paths of
    the server's filesystem replaced by "[path]" (the full message goes to the server's log)."""
    paths = {os.path.abspath(settings.index), os.path.realpath(settings.index)}
    if os.sep in settings.index:  # not a bare name like "i"
        paths.add(settings.index)
    for path in sorted(paths, key=len, reverse=True):
        message = message.replace(path, "[path]")
    return _ABSOLUTE_PATH.sub("[path]", message)
