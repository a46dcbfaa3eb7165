"""`arshif reindex` and `arshif drop-old`: zero-downtime re-indexing on Elasticsearch.

    arshif reindex ARCHIVE...   build a new index version from the archive, then point the read
                                alias to it in one atomic step (searches never stop)
    arshif drop-old             delete the versions the alias no longer points to

Wire them into `search.cli.build_parser` with `add_parsers(sub, _engine_options)`; each command
returns an exit code like the other commands (0 ok, 1 error, 2 usage, 3 done with rejected input).
"""

from __future__ import annotations

import argparse

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_REJECTS = 0, 1, 2, 3


def _settings(args):
    from search.config import Settings

    # Re-indexing with versions and aliases is what Elasticsearch offers; it is the only engine here.
    # (With the embedded engine, index into a new folder and point ARSHIF_INDEX to it.)
    return Settings.from_env(index=getattr(args, "index", None), engine="elasticsearch")


def cmd_reindex(args) -> int:
    from search.cli import check_entity_inputs, index_into, missing_paths
    from search.engines.elasticsearch_engine import ElasticsearchEngine

    settings = _settings(args)
    if missing_paths("reindex", args.paths):
        return EXIT_USAGE
    check_entity_inputs(args)  # before a new index version is created
    engine = ElasticsearchEngine.from_settings(settings, writable=True, open_index=False)
    summaries = []

    def fill(target) -> None:
        summaries.append(index_into(target, args, settings))

    try:
        result = engine.reindex(fill, allow_empty=args.allow_empty)
    finally:
        engine.close()
    summary = summaries[0]
    print(summary.line())
    if summary.report_path:
        print(f"problems listed in {summary.report_path}")
    previous = ", ".join(result.previous) or "none"
    print(
        f"alias '{engine.alias}' now points to {result.new_index} ({result.docs:,} documents); "
        f"previous version kept: {previous} (remove it with `arshif drop-old`)"
    )
    return EXIT_REJECTS if summary.rejected else EXIT_OK


def cmd_drop_old(args) -> int:
    from search.engines.elasticsearch_engine import ElasticsearchEngine

    engine = ElasticsearchEngine.from_settings(_settings(args), writable=True, open_index=False)
    try:
        if args.dry_run:
            versions = engine.versions()
            for name, live in sorted(versions.items()):
                print(f"{'live ' if live else 'old  '} {name}")
            return EXIT_OK
        dropped = engine.drop_old()
    finally:
        engine.close()
    print("dropped: " + (", ".join(dropped) if dropped else "nothing (no old version)"))
    return EXIT_OK


def add_parsers(sub: argparse._SubParsersAction, engine_options=None) -> None:
    """Add `reindex` and `drop-old` to the `arshif` sub-command parser."""
    p = sub.add_parser("reindex", help="Elasticsearch: build a new index version and swap the alias to it")
    p.add_argument("paths", nargs="+", metavar="PATH")
    from search.cli import positive_int  # 0 or less is a usage error, as for `arshif index`

    p.add_argument("--workers", type=positive_int, help="analysis processes (default: number of cores)")
    p.add_argument("--no-entities", action="store_true", help="skip entity extraction")
    p.add_argument("--max-body-chars", type=positive_int, default=100_000, help="index at most this much of a body")
    p.add_argument("--report-dir", help="where the rejects report goes (default: data/reports)")
    p.add_argument("--allow-empty", action="store_true", help="swap even if the new version has no documents")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_reindex)

    p = sub.add_parser("drop-old", help="Elasticsearch: delete index versions the alias no longer points to")
    p.add_argument("--dry-run", action="store_true", help="list the versions, delete nothing")
    p.set_defaults(func=cmd_drop_old)
