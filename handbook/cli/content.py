"""python -m handbook validate [PATH ...]: check guidelines, checklists and configuration."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from handbook.cli.arguments import Commands
from handbook.settings import paths_from_env
from handbook.validate import validate_bundled, validate_paths


def cmd_validate(args: argparse.Namespace) -> int:
    paths = paths_from_env()
    report = validate_paths(args.paths, paths) if args.paths else validate_bundled(paths)
    for warning in report.warnings:  # first, so the problems to fix are the last lines an editor reads
        print(f"Advarsel: {warning}")
    for problem in report.problems:
        print(problem)
    print(report.summary(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


def add_validate(commands: Commands) -> None:
    validate = commands.add_parser("validate", help="Kontrollér retningslinjer og konfiguration.")
    validate.add_argument("paths", nargs="*", type=Path, help="Filer eller mapper (standard: det medfølgende indhold).")
    validate.set_defaults(func=cmd_validate)
