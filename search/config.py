"""Every setting Arshif reads from the environment (prefix ARSHIF_), with defaults that need no
configuring on a laptop. This is the one module that reads the environment: do not edit it to
deploy, set the variables (or pass the command-line options, which override them)."""

from __future__ import annotations

import os
from dataclasses import dataclass


def setting(name: str) -> str | None:
    """One setting's variable (`setting("entity_overrides")` reads ARSHIF_ENTITY_OVERRIDES), for
    code that needs it on every call and not the whole `Settings`."""
    return os.environ.get(f"ARSHIF_{name.upper()}", "").strip() or None


class SettingsError(ValueError):
    """A variable that cannot be used, with a message naming it."""


_WHOLE_NUMBERS = frozenset({"es_shards", "es_replicas"})


@dataclass(frozen=True)
class Settings:
    engine: str = "tantivy"  # ARSHIF_ENGINE: tantivy | elasticsearch
    index: str = "data/index"  # ARSHIF_INDEX: tantivy folder (or ES index alias prefix)
    es_url: str | None = None  # ARSHIF_ES_URL
    es_api_key: str | None = None  # ARSHIF_ES_API_KEY
    es_username: str | None = None  # ARSHIF_ES_USERNAME
    es_password: str | None = None  # ARSHIF_ES_PASSWORD
    es_ca_certs: str | None = None  # ARSHIF_ES_CA_CERTS
    es_index: str = "arshif"  # ARSHIF_ES_INDEX: the read alias
    public_url: str | None = None  # ARSHIF_PUBLIC_URL: the site's address, for Atom links
    # and redirects (relative links when unset)
    editor_token: str | None = None  # ARSHIF_EDITOR_TOKEN: turns the editors' page on (/editors)
    es_shards: int | None = None  # ARSHIF_ES_SHARDS / ARSHIF_ES_REPLICAS: override
    es_replicas: int | None = None  #   index_config/settings.json for new index versions
    es_config: str | None = None  # ARSHIF_ES_CONFIG: folder of settings.json and mappings.json
    entity_overrides: str | None = None  # ARSHIF_ENTITY_OVERRIDES: the editors' corrections file
    # (default: search/entities/data/entity_overrides.json)

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        """The settings of the environment; keyword arguments that are not None win (options)."""
        values: dict[str, object] = {}
        for name in cls.__dataclass_fields__:
            env = setting(name)
            if env and name in _WHOLE_NUMBERS:
                try:
                    values[name] = int(env)
                except ValueError:
                    raise SettingsError(f"ARSHIF_{name.upper()} must be a whole number, not {env!r}") from None
            elif env:
                values[name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]  # each value has its field's type, as read above

    @property
    def public_base(self) -> str:
        """The public URL without its trailing slash, or "" (links then stay relative): never
        the request's Host header, which any client can set."""
        return (self.public_url or "").strip().rstrip("/")
