"""`arshif serve`: the web app under gunicorn, a production WSGI server (not Flask's dev server)."""

from __future__ import annotations

import os

from gunicorn.app.base import BaseApplication

from search.config import Settings


class ArshifServer(BaseApplication):
    def __init__(self, settings: Settings, options: dict):
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self):
        from search.web import create_app

        return create_app(self.settings)  # one app (and one engine handle) per worker process


def serve(settings: Settings, host: str, port: int, workers: int | None = None, threads: int = 4) -> None:
    workers = workers or max(2, os.cpu_count() or 1)
    ArshifServer(
        settings,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "timeout": 60,
            # gunicorn's largest bounded request line (0 would mean unbounded); the app itself
            # refuses query strings over safety.MAX_QUERY_STRING_BYTES with a readable 414 first
            "limit_request_line": 8190,
            "limit_request_fields": 50,
            "limit_request_field_size": 8190,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
        },
    ).run()
