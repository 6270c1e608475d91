"""python -m handbook purge: delete what is past its retention period (for cron)."""

from __future__ import annotations

import argparse
import sys

from handbook.cli.arguments import Commands
from handbook.content.library import load_config
from handbook.retention import purge
from handbook.settings import paths_from_env
from handbook.store.database import Store


def cmd_purge(args: argparse.Namespace) -> int:
    paths = paths_from_env()
    config, problems = load_config(paths)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("Konfigurationen har fejl; intet er slettet.", file=sys.stderr)
        return 1
    print(purge(Store(paths.database_path), config).text())
    return 0


def add_purge(commands: Commands) -> None:
    purge_command = commands.add_parser("purge", help="Slet det, der er ældre end opbevaringsperioden (til cron).")
    purge_command.set_defaults(func=cmd_purge)
