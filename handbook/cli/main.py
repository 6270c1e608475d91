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
    python -m handbook user teams NAME [TEAM ...]
    python -m handbook tilsyn validate|templates|round new|sample|import|report|trend   (see cli/tilsyn.py)
    python -m handbook purge        (delete what is past its retention; for cron)

Each command group lives in a module beside this one; this module only puts them in order.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from handbook.cli.danish import DanishArgumentParser

# (module in handbook.cli, the function that adds its commands, the commands it adds), in the
# order of the help text. A command imports only its own module: `python -m handbook search`
# does not load the store, the identity package or altair (start-up 1.3 s -> see bench/cli_bench.py).
GROUPS = (
    ("content", "add_validate", ("validate",)),
    ("search", "add_index_and_search", ("index", "search")),
    ("publishing", "add_revision_commands", ("history", "show", "diff")),
    ("users", "add_user", ("user",)),
    ("publishing", "add_import", ("import",)),
    ("trivsel", "add_trivsel", ("trivsel",)),
    ("checklists", "add_checklist", ("checklist",)),
    ("tilsyn", "add_tilsyn", ("tilsyn",)),
    ("retention", "add_purge", ("purge",)),
)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or (given a command name) of that command's group only."""
    parser = DanishArgumentParser(prog="python -m handbook", description="Håndbogen: værktøjer til redaktører og administratorer.")
    commands = parser.add_subparsers(dest="command", required=True, title="kommandoer", metavar="KOMMANDO")
    wanted = [g for g in GROUPS if command in g[2]] or GROUPS
    for module, adder, _ in wanted:
        getattr(importlib.import_module(f"handbook.cli.{module}"), adder)(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv[0] if argv else None).parse_args(argv)
    return args.func(args)
