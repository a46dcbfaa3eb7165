"""The `arshif` command (also `python -m search`): index, serve, export, batch, entities, ner, reindex."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from search.config import Settings, SettingsError
from search.engines import ENGINES
from search.engines.base import EngineError
from search.entities.model_version import ModelMismatch
from search.entities.ner_cli import DOC_SENTENCES
from search.entities.overrides import OverridesError

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_REJECTS = 0, 1, 2, 3


def _engine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--index", help="index folder (tantivy) [env ARSHIF_INDEX, default data/index]")
    parser.add_argument("--engine", choices=ENGINES, help="search engine [env ARSHIF_ENGINE, default tantivy]")


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (a clear usage error otherwise)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _settings(args) -> Settings:
    return Settings.from_env(index=args.index, engine=args.engine)


def missing_paths(command: str, paths: list[str]) -> bool:
    """Say which archive paths do not exist (before anything is opened or written)."""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        print(f"arshif {command}: no such file or folder: {', '.join(missing)}", file=sys.stderr)
    return bool(missing)


def index_into(engine, args, settings: Settings):
    """Run the index job of `arshif index` / `arshif reindex` with the command's options."""
    from search.indexer import run_index

    report_dir = Path(args.report_dir) if args.report_dir else Path(settings.index).resolve().parent / "reports"
    return run_index(
        engine,
        args.paths,
        workers=args.workers,
        with_entities=not args.no_entities,
        report_dir=report_dir,
        progress=not args.quiet,
        max_body_chars=args.max_body_chars,
    )


def check_entity_inputs(args) -> None:
    """Before an index run opens anything: a broken editors' file (OverridesError) or a tagger
    trained with another Arabic analysis (ModelMismatch) stops it, unless it runs without entities."""
    if args.no_entities:
        return
    from search.entities.overrides import check_overrides
    from search.entities.tagger import Tagger

    check_overrides()
    Tagger.check_model()


def cmd_index(args) -> int:
    from search.engines import open_engine

    settings = _settings(args)
    if missing_paths("index", args.paths):
        return EXIT_USAGE
    check_entity_inputs(args)
    engine = open_engine(settings, writable=True)
    try:
        summary = index_into(engine, args, settings)
    finally:
        engine.close()
    print(summary.line())
    if summary.report_path:
        print(f"problems listed in {summary.report_path}")
    return EXIT_REJECTS if summary.rejected else EXIT_OK


def cmd_serve(args) -> int:
    from search.engines import open_engine
    from search.web.safety import public_url_problem
    from search.web.server import serve

    settings = _settings(args)
    if problem := public_url_problem(settings.public_url):
        print(f"arshif serve: {problem}", file=sys.stderr)
        return EXIT_USAGE
    engine = open_engine(settings)  # fail fast, with a clear message, before forking workers
    print(
        f"Arshif: {engine.count():,} documents ({settings.engine}); serving on http://{args.host}:{args.port}/",
        flush=True,
    )
    engine.close()
    serve(settings, args.host, args.port, workers=args.workers)
    return EXIT_OK


def cmd_entities(args) -> int:
    if args.top or args.suggest_merges:
        from search.engines import open_engine
        from search.entities.cli import print_merge_suggestions, print_top

        engine = open_engine(_settings(args))
        if args.suggest_merges:
            return print_merge_suggestions(engine)
        return print_top(engine, args.top)
    if not args.file:
        print(
            "arshif entities: give a FILE (or -), --top N to list an index's most frequent entities, "
            "or --suggest-merges",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from search.entities.cli import print_entities

    return print_entities(args.file)


def cmd_ner(args) -> int:
    from search.entities.ner_cli import run

    return run(sys.stdin, sys.stdout, documents=not args.sentences, doc_sentences=args.doc_sentences)


def cmd_export(args) -> int:
    from search.engines import open_engine
    from search.web.export import export_stream

    engine = open_engine(_settings(args))
    try:
        out = sys.stdout
        for piece in export_stream(engine, search_from_text(args.search), args.format):
            out.write(piece)
        out.flush()
    except BrokenPipeError:  # `arshif export … | head`: the reader has what it wanted
        sys.stderr.close()
    finally:
        engine.close()
    return EXIT_OK


def cmd_batch(args) -> int:
    from urllib.parse import parse_qs

    from search.engines import open_engine
    from search.web.batch import base_state, batch_csv, run_batch, split_lines

    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        print(f"arshif batch: cannot read {args.file}: {error}", file=sys.stderr)
        return EXIT_USAGE
    lines, notes = split_lines(text)
    for note in notes:
        print(f"arshif batch: {note}", file=sys.stderr)
    base = base_state(parse_qs(_query_part(args.search), keep_blank_values=True))
    engine = open_engine(_settings(args))
    try:
        rows = []
        for n, row in enumerate(run_batch(engine, base, lines), 1):
            rows.append(row)
            if sys.stderr.isatty() and (n % 25 == 0 or n == len(lines)):
                print(f"\r{n:,}/{len(lines):,} lines", end="", file=sys.stderr, flush=True)
        if sys.stderr.isatty() and lines:
            print(file=sys.stderr)
        sys.stdout.writelines(batch_csv(rows, (args.base_url or "").rstrip("/")))
        sys.stdout.flush()
    finally:
        engine.close()
    return EXIT_OK


def _query_part(text: str) -> str:
    """The query string of a search given as `q=…&country=KW`, `?q=…` or a whole URL."""
    return text.split("?", 1)[1] if "?" in text else text


def search_from_text(text: str):
    """The search state of a query string or URL, as the web app would parse it."""
    from urllib.parse import parse_qs

    from search.query.state import SearchState

    return SearchState.from_args(parse_qs(_query_part(text), keep_blank_values=True))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="arshif", description="Arshif: search Arabic news archives")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="index JSONL(.gz), .txt, .html files and folders")
    p.add_argument("paths", nargs="+", metavar="PATH")
    _engine_options(p)
    p.add_argument("--workers", type=positive_int, help="analysis processes (default: number of cores)")
    p.add_argument("--no-entities", action="store_true", help="skip entity extraction")
    p.add_argument("--max-body-chars", type=positive_int, default=100_000, help="index at most this much of a body")
    p.add_argument("--report-dir", help="where the rejects report goes (default: next to the index)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("serve", help="serve the web app with a production WSGI server")
    _engine_options(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=positive_int, help="worker processes (default: number of cores, at least 2)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "entities",
        help="print the entities of a document (a file, or - for stdin), "
        "or with --top N the most frequent entities of an index, "
        "or merges for editors to review (--suggest-merges)",
    )
    p.add_argument("file", nargs="?")
    p.add_argument("--top", type=int, metavar="N", help="list the N most frequent entities per facet")
    p.add_argument(
        "--suggest-merges",
        action="store_true",
        help="list short forms of people's names that stand for one full name across the "
        "index («السبسي» → «الباجي قايد السبسي»), for the overrides file",
    )
    _engine_options(p)
    p.set_defaults(func=cmd_entities)

    p = sub.add_parser("ner", help="tag CoNLL tokens on stdin, write token<TAB>tag on stdout")
    p.add_argument(
        "--sentences",
        action="store_true",
        help="tag each sentence on its own (default: consecutive sentences are read as "
        "one document, so a name found once is tagged where it recurs)",
    )
    p.add_argument(
        "--doc-sentences",
        type=int,
        default=DOC_SENTENCES,
        metavar="N",
        help="longest run of sentences read as one document; a -DOCSTART- line also "
        f"ends one (default: {DOC_SENTENCES})",
    )
    p.set_defaults(func=cmd_ner)

    p = sub.add_parser("export", help="write every hit of a search as CSV or JSON Lines to stdout")
    p.add_argument(
        "search",
        nargs="?",
        default="",
        metavar="SEARCH",
        help="the search's URL parameters, e.g. 'q=النفط&country=KW' (or a whole /search URL); "
        "empty: the whole archive",
    )
    p.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    _engine_options(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "batch",
        help="search each line of FILE (names or queries; - for stdin) and write one CSV row per line to stdout",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--search",
        default="",
        metavar="PARAMS",
        help="filters every line is searched under, as URL parameters ('country=KW&year=2015')",
    )
    p.add_argument("--base-url", help="make the links in the CSV absolute (e.g. https://arshif.example.org)")
    _engine_options(p)
    p.set_defaults(func=cmd_batch)

    from search.engines.es_cli import add_parsers as add_es_parsers

    add_es_parsers(sub)  # reindex, drop-old (Elasticsearch versioned indices)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except EngineError as error:
        print(f"arshif {args.command}: {error}", file=sys.stderr)
        return EXIT_ERROR
    except (SettingsError, ModelMismatch) as error:
        print(f"arshif {args.command}: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OverridesError as error:
        print(
            f"arshif {args.command}: the entity overrides file is refused: {error}; fix it (nothing was changed)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted; what was committed stays in the index", file=sys.stderr)
        return 130
