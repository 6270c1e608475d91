"""Problems found in content files, reported as `path:line: message` in Danish."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from ruamel.yaml.error import YAMLError as RuamelYAMLError


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


# PyYAML explains errors in English; these say the same to a Danish editor. Keyed by the
# construct being read (context) or, failing that, by the problem itself.
_YAML_CONTEXTS_DA = {
    "while parsing a flow sequence": "en liste, der begynder med '[', lukkes ikke med ']'",
    "while parsing a flow mapping": "en samling, der begynder med '{', lukkes ikke med '}'",
    "while scanning a quoted scalar": "et anførselstegn lukkes ikke",
    "while scanning a simple key": "der mangler et ':' efter feltnavnet",
    "while parsing a block mapping": "linjen passer ikke ind blandt felterne (tjek indrykning og ':')",
}
_YAML_PROBLEMS_DA = {
    "mapping values are not allowed here": "et ':' efterfulgt af mellemrum står midt i en værdi; sæt værdien i anførselstegn",
    "found character '\\t' that cannot start any token": "tabulatortegn er ikke tilladt; brug mellemrum",
    "found undefined alias": "ukendt alias (*)",
}


def yaml_problem(path: Path, exc: yaml.YAMLError | RuamelYAMLError, line_offset: int) -> ContentProblem:
    """Turn a PyYAML or ruamel.yaml error into a Danish problem at the line where the faulty construct starts.

    line_offset is the number of file lines before the YAML text starts (1 for front matter
    after the opening '---').
    """
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    context = getattr(exc, "context", None) or ""
    problem = getattr(exc, "problem", None) or str(exc)
    danish = _YAML_CONTEXTS_DA.get(context) or _YAML_PROBLEMS_DA.get(problem) or problem
    mark = context_mark if context in _YAML_CONTEXTS_DA and context_mark is not None else problem_mark
    line = (mark.line + 1 + line_offset) if mark is not None else 1 + line_offset
    if problem_mark is not None and mark is not None and mark is not problem_mark and problem_mark.line != mark.line:
        danish += f" (opdaget i linje {problem_mark.line + 1 + line_offset})"
    return ContentProblem(path, line, f"YAML-syntaksfejl: {danish}")
