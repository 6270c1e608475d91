"""argparse in Danish: "brug:", "argumenter", "tilvalg", "vis denne hjælp og afslut", and the
error messages argparse writes itself ("the following arguments are required", "invalid
choice", ...).

argparse has no language setting other than gettext catalogues, and Python ships none for it;
a subclass sets the texts it owns (usage prefix, group titles, the help option) and translates
the few error messages argparse builds, so nothing global is changed. Subcommands inherit the
class (add_subparsers uses the parser's own class).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

# argparse's own error messages (Python 3.11-3.13), as regular expressions over the message.
ERRORS: list[tuple[str, str]] = [
    (r"^the following arguments are required: (.+)$", r"disse argumenter mangler: \1"),
    (r"^argument (.+?): invalid choice: (.+?) \(choose from (.+)\)$", r"argument \1: ugyldigt valg: \2 (vælg mellem \3)"),
    (r"^argument (.+?): expected one argument$", r"argument \1: forventede én værdi"),
    (r"^argument (.+?): expected at least one argument$", r"argument \1: forventede mindst én værdi"),
    (r"^argument (.+?): expected (\d+) arguments?$", r"argument \1: forventede \2 værdier"),
    (r"^argument (.+?): invalid (\w+) value: (.+)$", r"argument \1: ugyldig værdi (\2): \3"),
    (r"^argument (.+?): not allowed with argument (.+)$", r"argument \1: kan ikke bruges sammen med \2"),
    (r"^argument (.+?): ignored explicit argument (.+)$", r"argument \1: ignorerede værdien \2"),
    (r"^argument (.+?): (.+)$", r"argument \1: \2"),
    (r"^unrecognized arguments: (.+)$", r"ukendte argumenter: \1"),
    (r"^ambiguous option: (.+?) could match (.+)$", r"tvetydigt tilvalg: \1 kan betyde \2"),
    (r"^one of the arguments (.+) is required$", r"et af argumenterne \1 skal angives"),
]


def danish_error(message: str) -> str:
    """argparse's English error message in Danish (unchanged if it is not one of argparse's)."""
    for pattern, replacement in ERRORS:
        if re.match(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


class DanishHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action], groups: Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "brug: " if prefix is None else prefix)


class DanishArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are Danish."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", DanishHelpFormatter)
        add_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False  # the help option is added below, with a Danish text
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenter"
        self._optionals.title = "tilvalg"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="vis denne hjælp og afslut")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fejl: {danish_error(message)}\n")
