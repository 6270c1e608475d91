"""CSV for Excel without formula injection.

Exports (audit log, reading status, checklist runs, searches without results) contain text that
others typed: a search query, a change note, a step note. Excel runs a cell that starts with
=, +, -, @, a tab or a carriage return as a formula (e.g. =HYPERLINK(...) that sends data away),
so such cells are written with a leading apostrophe, as OWASP recommends. Semicolons separate
the columns and decimal numbers have a decimal comma, as Danish Excel expects.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """A value as text that Excel shows as text; a decimal number with a decimal comma, as
    Danish Excel reads it (4,5 rather than 4.5, which Danish Excel takes for a date or text)."""
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class SafeWriter:
    """csv.writer with every cell passed through cell()."""

    def __init__(self, out, delimiter: str = ";"):
        self._writer = csv.writer(out, delimiter=delimiter)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
