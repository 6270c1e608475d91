"""Command line: python -m handbook validate [PATH ...]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from handbook.settings import paths_from_env
from handbook.validate import validate_bundled, validate_paths


def cmd_validate(args: argparse.Namespace) -> int:
    paths = paths_from_env()
    report = validate_paths(args.paths, paths) if args.paths else validate_bundled(paths)
    for problem in report.problems:
        print(problem)
    print(report.summary(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m handbook", description="Håndbogen: værktøjer til redaktører og administratorer.")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="Kontrollér retningslinjer og konfiguration.")
    validate.add_argument("paths", nargs="*", type=Path, help="Filer eller mapper (standard: det medfølgende indhold).")
    validate.set_defaults(func=cmd_validate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
