"""Validation of content files for editors: every problem with file and line, and a summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from handbook.checklists.afterhours import load_after_hours
from handbook.checklists.schema import link_problems, load_checklists, parse_checklist_file
from handbook.content.guideline import parse_guideline_file
from handbook.content.library import Library, build_library, expand_paths, load_config, load_library
from handbook.content.render import render_body
from handbook.identity.oidc import load_claim_roles
from handbook.problems import ContentProblem
from handbook.search.config import load_search_config
from handbook.settings import Paths
from handbook.trivsel.scale import CONFIG_FILE as SCALE_FILE
from handbook.trivsel.scale import load_scale_from


@dataclass
class ValidationReport:
    guideline_count: int
    problems: list[ContentProblem]
    checklist_count: int = 0
    warnings: list[str] = field(default_factory=list)  # shown, but not errors (placeholders still to fill in)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        what = f"{self.guideline_count} {'retningslinje' if self.guideline_count == 1 else 'retningslinjer'}"
        if self.checklist_count:
            what += f" og {self.checklist_count} {'tjekliste' if self.checklist_count == 1 else 'tjeklister'}"
        if self.ok:
            return f"{what}: ingen fejl"
        return f"{what} gyldige, {len(self.problems)} fejl fundet"


def guideline_anchors(library: Library) -> dict[str, set[str]]:
    """Every guideline id with the anchors of its headings (for links from checklists)."""
    return {g.id: {h.anchor for h in render_body(g.body).headings} for g in library.guidelines.values()}


def validate_bundled(paths: Paths) -> ValidationReport:
    """Validate the portal's own content and configuration (including search synonyms)."""
    library = load_library(paths)
    _, search_problems = load_search_config(paths.config_dir)
    checklists = load_checklists(paths.checklists_dir, library.config, guideline_anchors(library))
    _, scale_problems = load_scale_from(paths.config_dir) if (paths.config_dir / SCALE_FILE).exists() else (None, [])
    after_hours, after_hours_problems = load_after_hours(paths.config_dir)
    _, claim_role_problems = load_claim_roles(paths.config_dir / "portal.yaml")
    problems = library.problems + search_problems + checklists.problems + scale_problems + after_hours_problems + claim_role_problems
    return ValidationReport(len(library.guidelines), sorted(problems), len(checklists.checklists), after_hours.unfilled_warnings())


def validate_paths(targets: list[Path], paths: Paths) -> ValidationReport:
    """Validate the given files and folders; ids in the bundled handbook may be linked to."""
    config, config_problems = load_config(paths)
    files = expand_paths(targets)
    for target in targets:
        if target.is_dir():
            files += [f for f in sorted(target.rglob("*.y*ml")) if f.parent.name == "checklists" and f.suffix in (".yaml", ".yml")]
    missing = [ContentProblem(f, 1, "Filen findes ikke.") for f in files if not f.exists()]
    guideline_files = [f for f in files if f.exists() and f.suffix not in (".yaml", ".yml")]
    checklist_files = [f for f in files if f.exists() and f.suffix in (".yaml", ".yml")]
    results = [parse_guideline_file(f, config) for f in guideline_files]
    bundled = load_library(paths)
    library = build_library(results, config, known_ids=set(bundled.guidelines))
    anchors = {**guideline_anchors(bundled), **guideline_anchors(library)}
    checklist_problems, valid_checklists = [], 0
    for path in checklist_files:
        checklist, problems = parse_checklist_file(path, config)
        if checklist is not None:
            problems = link_problems(checklist, anchors)
            valid_checklists += not problems
        checklist_problems += problems
    problems = config_problems + missing + library.problems + checklist_problems
    return ValidationReport(len(library.guidelines), sorted(problems), valid_checklists)
