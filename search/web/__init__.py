"""The Flask web app: `create_app` is the one factory (used by `arshif serve`, tests and WSGI servers)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from search.config import Settings
from search.engines.base import Engine
from search.entities.overrides import use_overrides_file
from search.shipped import shipped_dir
from search.web import errors, safety


def create_app(
    settings: Settings | None = None, *, engine: Engine | None = None, config: dict[str, Any] | None = None
) -> Flask:
    app = Flask(__name__, template_folder=str(shipped_dir("templates")), static_folder=str(shipped_dir("static")))
    if config:
        app.config.update(config)
    if isinstance(app.json, DefaultJSONProvider):  # Flask's own, unless a subclass changed it
        app.json.sort_keys = False  # JSON keys in the order the API documents them (Flask 3)
        app.json.ensure_ascii = False
    settings = settings or Settings.from_env()
    if problem := safety.public_url_problem(settings.public_url):
        raise ValueError(problem)
    use_overrides_file(settings.entity_overrides)
    app.extensions["arshif.settings"] = settings
    app.extensions["arshif.engine"] = engine  # opened lazily, after the WSGI server forks

    from search.web import api, editors, views, workflows
    from search.web.batch import MAX_LINES
    from search.web.facet_html import facet_values_html
    from search.web.labels import articles_ar, facet_label, others_ar, stories_ar
    from search.web.suggest import KIND_LABELS

    # what every page's templates call, in one place (the pages include each other's partials)
    app.jinja_env.globals.update(
        category_label=lambda key: facet_label("category", key)[0],
        facet_values_html=facet_values_html,
        articles_ar=articles_ar,
        stories_ar=stories_ar,
        others_ar=others_ar,
        kind_labels=KIND_LABELS,
        max_lines=MAX_LINES,
    )
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(workflows.bp)
    editors.init_app(app)  # /editors: off unless ARSHIF_EDITOR_TOKEN is set

    safety.install(app, settings)
    errors.install(app)
    return app
