"""What the command modules share: the type of the subcommand registry and the parsers of dates
and times given on the command line (their errors are Danish, like the rest of the output)."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from handbook.cli.danish import DanishArgumentParser

Commands: TypeAlias = "argparse._SubParsersAction[DanishArgumentParser]"  # what the parser's add_subparsers returns


def iso_datetime(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' er ikke et tidspunkt på formen ÅÅÅÅ-MM-DDTTT:MM.") from None


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' er ikke en dato på formen ÅÅÅÅ-MM-DD.") from None
