"""Engines behind one interface (`base.Engine`); `open_engine` picks one from the settings."""

from __future__ import annotations

from search.config import Settings
from search.engines.base import Engine, EngineError

ENGINES = ("tantivy", "elasticsearch")


def open_engine(settings: Settings, *, writable: bool = False) -> Engine:
    if settings.engine == "tantivy":
        from search.engines.tantivy_engine import TantivyEngine

        return TantivyEngine(settings.index, writable=writable)
    if settings.engine == "elasticsearch":
        from search.engines.elasticsearch_engine import ElasticsearchEngine

        return ElasticsearchEngine.from_settings(settings, writable=writable)
    raise EngineError(f"unknown engine {settings.engine!r}: choose one of {', '.join(ENGINES)}")
