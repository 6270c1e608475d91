"""Validation of content files for editors: every problem with file and line, and a summary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from handbook.content import parse_guideline_file
from handbook.library import build_library, expand_paths, load_config, load_library
from handbook.problems import ContentProblem
from handbook.search_config import load_search_config
from handbook.settings import Paths


@dataclass
class ValidationReport:
    guideline_count: int
    problems: list[ContentProblem]

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        noun = "retningslinje" if self.guideline_count == 1 else "retningslinjer"
        if self.ok:
            return f"{self.guideline_count} {noun}: ingen fejl"
        return f"{self.guideline_count} {noun} gyldige, {len(self.problems)} fejl fundet"


def validate_bundled(paths: Paths) -> ValidationReport:
    """Validate the portal's own content and configuration (including search synonyms)."""
    library = load_library(paths)
    _, search_problems = load_search_config(paths.config_dir)
    return ValidationReport(len(library.guidelines), sorted(library.problems + search_problems))


def validate_paths(targets: list[Path], paths: Paths) -> ValidationReport:
    """Validate the given files and folders; ids in the bundled handbook may be linked to."""
    config, config_problems = load_config(paths)
    files = expand_paths(targets)
    missing = [ContentProblem(f, 1, "Filen findes ikke.") for f in files if not f.exists()]
    results = [parse_guideline_file(f, config) for f in files if f.exists()]
    bundled = load_library(paths)
    library = build_library(results, config, known_ids=set(bundled.guidelines))
    return ValidationReport(len(library.guidelines), sorted(config_problems + missing + library.problems))
