"""Command line for editors and administrators.

    python -m handbook validate [PATH ...]
    python -m handbook index [--rebuild]
    python -m handbook search "QUERY" [--json] [--limit N] [--type T] [--tema T] [--audience A]
    python -m handbook history ID [--json]
    python -m handbook show ID [--as-of YYYY-MM-DD]
    python -m handbook diff ID V1 V2
    python -m handbook user add NAME --role ROLE [--display-name NAVN]   (password from a prompt or stdin)
    python -m handbook user role NAME ROLE
    python -m handbook user list
    python -m handbook user deactivate NAME | user activate NAME
    python -m handbook import FILE.docx [--id ID --tema TEMA]
    python -m handbook trivsel zones [--json]
    python -m handbook trivsel zone VALUE [--json]
    python -m handbook checklist due ID --start YYYY-MM-DDTHH:MM [--answers akut=true,afgoerelse=2027-02-10,...] [--json]
    python -m handbook purge        (delete what is past its retention; for cron)

Each command group lives in a module beside this one; this module only puts them in order.
"""

from __future__ import annotations

import argparse

from handbook.cli import checklists, content, publishing, retention, search, trivsel, users
from handbook.cli.danish import DanishArgumentParser


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, with Danish help and errors (handbook/cli/danish.py)."""
    parser = DanishArgumentParser(prog="python -m handbook", description="Håndbogen: værktøjer til redaktører og administratorer.")
    commands = parser.add_subparsers(dest="command", required=True, title="kommandoer", metavar="KOMMANDO")
    content.add_validate(commands)
    search.add_index_and_search(commands)
    publishing.add_revision_commands(commands)
    users.add_user(commands)
    publishing.add_import(commands)
    trivsel.add_trivsel(commands)
    checklists.add_checklist(commands)
    retention.add_purge(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
