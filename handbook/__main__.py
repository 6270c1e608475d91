"""Command line for editors and administrators.

    python -m handbook validate [PATH ...]
    python -m handbook index [--rebuild]
    python -m handbook search "QUERY" [--json] [--limit N] [--type T] [--tema T] [--audience A]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from handbook.library import load_library
from handbook.search import SearchIndex, documents_for, open_index
from handbook.search_config import load_search_config
from handbook.settings import paths_from_env
from handbook.validate import validate_bundled, validate_paths


def cmd_validate(args: argparse.Namespace) -> int:
    paths = paths_from_env()
    report = validate_paths(args.paths, paths) if args.paths else validate_bundled(paths)
    for problem in report.problems:
        print(problem)
    print(report.summary(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


def cmd_index(args: argparse.Namespace) -> int:
    paths = paths_from_env()
    library = load_library(paths)
    config, _ = load_search_config(paths.config_dir)
    index = SearchIndex(paths.index_dir, config)
    documents = documents_for(library.all(), config)
    report = index.rebuild(documents) if args.rebuild else index.sync(documents)
    seconds = f"{report.seconds:.2f}".replace(".", ",")
    if report.rebuilt:
        reason = f" ({', '.join(report.reasons)})" if report.reasons else ""
        print(f"Indekset er bygget forfra{reason}: {report.added} dokumenter på {seconds} s.")
    elif report.changed:
        print(f"Indekset er opdateret: {report.added} nye, {report.updated} ændrede, {report.removed} fjernede på {seconds} s.")
    else:
        print(f"Indekset er ajour ({len(documents)} dokumenter); intet at gøre.")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    paths = paths_from_env()
    library = load_library(paths)
    index, _, _ = open_index(paths.index_dir, paths.config_dir, library.all())
    results = index.search(
        args.query,
        types=tuple(args.type or ()),
        temas=tuple(args.tema or ()),
        audience=args.audience,
        limit=args.limit,
    )
    if args.json:
        print(json.dumps(results.to_json(), ensure_ascii=False, indent=2))
        return 0
    if results.suggestion:
        print(f"Mente du: {results.suggestion}?")
    if not results.hits:
        print("Ingen resultater.")
    for rank, hit in enumerate(results.hits, start=1):
        print(f"{rank:2}. {hit.title} [{hit.id}] ({hit.type}, {hit.tema}, version {hit.version})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m handbook", description="Håndbogen: værktøjer til redaktører og administratorer.")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="Kontrollér retningslinjer og konfiguration.")
    validate.add_argument("paths", nargs="*", type=Path, help="Filer eller mapper (standard: det medfølgende indhold).")
    validate.set_defaults(func=cmd_validate)

    index = commands.add_parser("index", help="Opdatér søgeindekset (kun ændrede dokumenter).")
    index.add_argument("--rebuild", action="store_true", help="Byg indekset helt forfra.")
    index.set_defaults(func=cmd_index)

    search = commands.add_parser("search", help="Søg i håndbogen.")
    search.add_argument("query", help="Det, du søger efter, fx \"BFU frist\" eller \"§ 50\".")
    search.add_argument("--json", action="store_true", help="Skriv resultatet som JSON.")
    search.add_argument("--limit", type=int, default=10, help="Højst så mange resultater (standard 10).")
    search.add_argument("--type", action="append", help="Kun denne type (kan gentages).")
    search.add_argument("--tema", action="append", help="Kun dette tema (kan gentages).")
    search.add_argument("--audience", help="Kun retningslinjer til denne målgruppe.")
    search.set_defaults(func=cmd_search)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
