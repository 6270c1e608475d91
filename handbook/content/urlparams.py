"""Reading values from the address bar, which anyone can type: never trusted, never a crash.

A page asks for `?forloeb=12` or `?kladde=3`; what arrives may be `²`, `-1`, `1e9`, twenty
nines, a megabyte of text or an Arabic-Indic digit. These helpers turn such text into a usable
value or None, so the page can say "findes ikke" in Danish instead of raising.
"""

from __future__ import annotations

from handbook.content.guideline import ID_PATTERN

MAX_ROW_ID = 2**63 - 1  # SQLite's largest integer key
MAX_ID_LENGTH = 100


def row_id(value: str | None) -> int | None:
    """A database row number from the URL: 1 to 2^63-1 in ASCII digits, else None."""
    if value is None:
        return None
    text = value.strip()
    if not (0 < len(text) <= 19) or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ROW_ID else None


def echoable_id(value: str | None) -> str | None:
    """The requested guideline id if it has the shape of an id (safe to repeat in a message as
    text), else None: a page never echoes arbitrary URL text back as Markdown."""
    if value and len(value) <= MAX_ID_LENGTH and ID_PATTERN.match(value):
        return value
    return None
