"""Problems found in content files, reported as `path:line: message` in Danish."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True, order=True)
class ContentProblem:
    """One thing wrong in one file, at one line (1-based)."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}: {self.message}"


def display_path(path: Path) -> str:
    """The path relative to the working directory when it lies below it, else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


class ContentError(Exception):
    """Raised when a content or configuration file cannot be used; carries every problem found."""

    def __init__(self, problems: list[ContentProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


_YAML_PROBLEMS_DA = {
    "could not find expected ':'": "der mangler et ':' efter et feltnavn",
    "mapping values are not allowed here": "et ':' står et sted, hvor det ikke er tilladt (sæt værdien i anførselstegn)",
    "found character '\\t' that cannot start any token": "tabulatortegn er ikke tilladt; brug mellemrum",
    "found undefined alias": "ukendt alias (*)",
    "expected ',' or ']', but got '<stream end>'": "en liste med [ mangler sin afsluttende ]",
}


def yaml_problem(path: Path, exc: yaml.YAMLError, line_offset: int) -> ContentProblem:
    """Turn a PyYAML error into a Danish problem at the right line of the file.

    line_offset is the number of file lines before the YAML text starts (1 for front matter
    after the opening '---').
    """
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = (mark.line + 1 + line_offset) if mark is not None else 1 + line_offset
    detail = getattr(exc, "problem", None) or str(exc)
    danish = _YAML_PROBLEMS_DA.get(detail, detail)
    return ContentProblem(path, line, f"YAML-syntaksfejl: {danish}")
