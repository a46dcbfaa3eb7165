"""The Flask web app: `create_app` is the one factory (used by `arshif serve`, tests and WSGI servers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, render_template, request

from search.config import Settings
from search.engines.base import Engine, EngineError

ROOT = Path(__file__).resolve().parents[2]


def create_app(settings: Settings | None = None, *, engine: Engine | None = None,
               config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    app.config.from_prefixed_env("ARSHIF")
    if config:
        app.config.update(config)
    app.config["JSON_SORT_KEYS"] = False
    app.json.ensure_ascii = False
    app.extensions["arshif.settings"] = settings or Settings.from_env()
    app.extensions["arshif.engine"] = engine   # opened lazily, after the WSGI server forks

    from search.web import api, views
    from search.web.labels import facet_label
    from search.web.facet_html import facet_values_html
    app.jinja_env.globals["category_label"] = lambda key: facet_label("category", key)[0]
    app.jinja_env.globals["facet_values_html"] = facet_values_html
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)

    @app.errorhandler(EngineError)
    def engine_unavailable(error: EngineError):
        if request.path.startswith("/api/"):
            return {"error": str(error)}, 503
        return render_template("error.html", code=503, message=str(error)), 503

    @app.errorhandler(404)
    def not_found(_error):
        if request.path.startswith("/api/"):
            return {"error": "not found"}, 404
        return render_template("error.html", code=404, message="الصفحة غير موجودة"), 404

    @app.errorhandler(405)
    def not_allowed(_error):
        return render_template("error.html", code=405, message="طريقة الطلب غير مسموحة"), 405

    @app.errorhandler(500)
    def server_error(_error):
        return render_template("error.html", code=500, message="حدث خطأ غير متوقع"), 500

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'")
        return response

    return app
