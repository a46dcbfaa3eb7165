"""Error responses: JSON under /api/ (what a script reading the API can parse), an Arabic page
elsewhere; the headers an error carries (`Allow` on a 405) kept; no server path in either."""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from search.engines.base import EngineError
from search.web.safety import MAX_QUERY_STRING_BYTES, without_paths

MESSAGES = {  # code -> (Arabic for the page, English for the API)
    404: ("الصفحة غير موجودة", "not found"),
    405: ("طريقة الطلب غير مسموحة", "method not allowed"),
    414: (
        f"عنوان الصفحة أطول من {MAX_QUERY_STRING_BYTES:,} بايت: اختصر كلمات البحث أو أزل بعض التصفيات",
        f"URL too long: its query string may hold at most {MAX_QUERY_STRING_BYTES:,} bytes",
    ),
    500: ("حدث خطأ غير متوقع", "internal server error"),
}


def install(app: Flask) -> None:
    app.register_error_handler(EngineError, engine_unavailable)
    app.register_error_handler(HTTPException, http_error)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def respond(code: int, page_message: str, api_message: str, headers=()):
    if wants_json():
        return {"error": api_message, "status": code}, code, headers
    return render_template("error.html", code=code, message=page_message), code, headers


def http_error(error: HTTPException):
    code = error.code or 500
    if isinstance(error, InternalServerError) and error.original_exception is not None:
        current_app.logger.error("error on %s", request.full_path, exc_info=error.original_exception)
    page_message, api_message = MESSAGES.get(code, (error.name, error.name.lower()))
    # e.g. Allow on a 405; the error's own HTML content type is not ours
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    return respond(code, page_message, api_message, headers)


def engine_unavailable(error: EngineError):
    current_app.logger.warning("engine unavailable: %s", error)
    message = without_paths(str(error), current_app.extensions["arshif.settings"])
    return respond(503, message, message)
