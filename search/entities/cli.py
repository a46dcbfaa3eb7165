"""`arshif entities`: what the extractor finds in a document, and the most frequent entities of an
index (for editors reviewing facets before adding merges or blocks to the overrides file)."""

from __future__ import annotations

import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from search.entities import make_extractor
from search.entities.countries import country_labels
from search.schema import ENTITY_FACETS


def print_entities(path: str, out=sys.stdout) -> int:
    from search.document import document_id
    from search.ingest import iter_records
    from search.model import Reject

    if path == "-":
        data = sys.stdin.buffer.read()
        with tempfile.NamedTemporaryFile(suffix=".txt", delete=False) as handle:
            handle.write(data)
        path = handle.name
    if not Path(path).exists():
        print(f"arshif entities: no such file: {path}", file=sys.stderr)
        return 2
    extract = make_extractor()
    status = 0
    for record in iter_records([path]):
        if isinstance(record, Reject):
            print(f"rejected {record.origin}: {record.reason}", file=sys.stderr)
            status = 3
            continue
        result = extract(record)
        print(f"# {document_id(record)}  {record.title or ''}", file=out)
        texts = {"title": record.title or "", "body": record.body}
        grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
        for facet, key, field, start, end in result["mentions"]:
            grouped[(facet, key)].append(texts[field][start:end])
        for facet in ENTITY_FACETS:
            for key in result.get(facet, ()):
                if facet == "country":
                    label = " / ".join(x for x in country_labels(key) if x)
                else:
                    label = result["labels"].get(f"{facet}:{key}", key)
                surfaces = ", ".join(dict.fromkeys(grouped[(facet, key)]))
                print(f"{facet}\t{key}\t{label}\t{len(grouped[(facet, key)])} mentions: {surfaces}", file=out)
        print(file=out)
    return status


def print_top(engine, limit: int, out=sys.stdout) -> int:
    from search.engines.base import SearchRequest
    from search.web.labels import facet_label

    labels = engine.entity_labels()
    for facet in ENTITY_FACETS:
        # one facet per request: an engine caps the values one request may count (tantivy 65,000)
        result = engine.search(SearchRequest(size=0, facets=(facet,), facet_size=limit))
        print(f"# {facet}: the {limit} most frequent (documents, key, label)", file=out)
        for key, count in result.facets.get(facet, []):
            ar, en = facet_label(facet, key, labels)
            print(f"{count}\t{facet}:{key}\t{ar}" + (f" / {en}" if en else ""), file=out)
    return 0


def print_merge_suggestions(engine, out=sys.stdout, limit: int = 50_000) -> int:
    """Short forms of people's names that stand for one full name across the index, one per
    line: documents, the merge as the overrides file writes it, labels, the full name's
    documents and share (see search.entities.merge_suggestions)."""
    from search.entities.merge_suggestions import suggestions_for_index
    from search.web.labels import facet_label

    labels = engine.entity_labels()
    print(
        "# documents\tmerge (for entity_overrides.json)\tshort form -> full name\t"
        "full name's documents\tits share of the matching full names",
        file=out,
    )
    for s in suggestions_for_index(engine, limit):
        short, full = facet_label("person", s.short, labels)[0], facet_label("person", s.full, labels)[0]
        print(
            f'{s.short_count}\t"person:{s.short}": "person:{s.full}",\t{short} -> {full}\t'
            f"{s.full_count}\t{s.share:.2f}",
            file=out,
        )
    return 0
