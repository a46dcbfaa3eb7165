"""Entities of an article as facet values: countries (ISO codes), people and organizations.

The extraction pipeline is `search.entities.pipeline` (`make_extractor` is what the indexer plugs
into `search.document.build_document`). Its parts, one job each: `countries` (gazetteer matcher),
`tagger` and `neural` (the statistical tagger), `quoted_names` and `org_names` (organizations by
their construction), `canonical` (display names and stable keys), `overrides` (the editors' file),
`english` (English labels).
"""

from search.entities.pipeline import EntityExtractor, make_extractor

__all__ = ["EntityExtractor", "make_extractor"]
