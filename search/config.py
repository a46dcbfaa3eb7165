"""Settings from the environment (prefix ARSHIF_), with defaults that need no configuring on a laptop."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    engine: str = "tantivy"                 # ARSHIF_ENGINE: tantivy | elasticsearch
    index: str = "data/index"               # ARSHIF_INDEX: tantivy folder (or ES index alias prefix)
    es_url: str | None = None               # ARSHIF_ES_URL
    es_api_key: str | None = None           # ARSHIF_ES_API_KEY
    es_username: str | None = None          # ARSHIF_ES_USERNAME
    es_password: str | None = None          # ARSHIF_ES_PASSWORD
    es_ca_certs: str | None = None          # ARSHIF_ES_CA_CERTS
    es_index: str = "arshif"                # ARSHIF_ES_INDEX: the read alias
    public_url: str | None = None           # ARSHIF_PUBLIC_URL: the site's address, for Atom links
                                            # and redirects (relative links when unset)
    editor_token: str | None = None         # ARSHIF_EDITOR_TOKEN: turns the editors' page on (/editors)

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        values = {}
        for name in cls.__dataclass_fields__:
            env = os.environ.get(f"ARSHIF_{name.upper()}")
            if env:
                values[name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @property
    def public_base(self) -> str:
        """The public URL without its trailing slash, or "" (links then stay relative): never
        the request's Host header, which any client can set."""
        return (self.public_url or "").strip().rstrip("/")
