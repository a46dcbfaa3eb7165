"""The records that flow through Arshif: what ingest reads and what it rejects."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Article:
    """One news article as read from an archive, original text untouched."""

    id: str
    body: str
    title: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    source: str | None = None  # outlet name
    url: str | None = None
    category: str | None = None
    lang: str = "ar"
    origin: str = ""  # "path:line" it was read from, for reports
    truncated: bool = False  # body was cut to the indexing bound
    notes: list[str] = field(default_factory=list)  # non-fatal remarks (e.g. "decoded as cp1256")


@dataclass(slots=True, frozen=True)
class Reject:
    """Input that could not become an article; reported with where it came from."""

    origin: str  # "path:line" or "path"
    reason: str
