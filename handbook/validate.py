"""Validation of content files for editors: every problem with file and line, and a summary."""

from __future__ import annotations

import re
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
from handbook.tilsyn.reference import load_reference
from handbook.tilsyn.schema import TemplateSet, load_templates, parse_template_file
from handbook.tilsyn.schema import link_problems as template_link_problems
from handbook.trivsel.scale import CONFIG_FILE as SCALE_FILE
from handbook.trivsel.scale import load_scale_from


@dataclass
class ValidationReport:
    guideline_count: int
    problems: list[ContentProblem]
    checklist_count: int = 0
    template_count: int = 0
    warnings: list[str] = field(default_factory=list)  # shown, but not errors (placeholders still to fill in)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        counts = [(self.guideline_count, "retningslinje", "retningslinjer"), (self.checklist_count, "tjekliste", "tjeklister"), (self.template_count, "tilsynsskema", "tilsynsskemaer")]
        parts = [f"{n} {one if n == 1 else many}" for i, (n, one, many) in enumerate(counts) if n or (i == 0 and not self.template_count)]
        what = " og ".join(parts) if len(parts) < 3 else f"{', '.join(parts[:-1])} og {parts[-1]}"
        if self.ok:
            return f"{what}: ingen fejl"
        return f"{what} gyldige, {len(self.problems)} fejl fundet"


def guideline_anchors(library: Library) -> dict[str, set[str]]:
    """Every guideline id with the anchors of its headings (for links from checklists)."""
    return {g.id: {h.anchor for h in render_body(g.body).headings} for g in library.guidelines.values()}


CHECKLIST_LINK = re.compile(r"\(/tjekliste\?id=([^)&#\s]*)")


def checklist_link_problems(texts: list[tuple[Path, str]], checklist_ids: set[str]) -> list[ContentProblem]:
    """Links written as [tekst](/tjekliste?id=...) in guidelines and checklist help must reach a
    checklist that loaded."""
    problems = []
    for path, text in texts:
        for number, line in enumerate(text.splitlines(), start=1):
            for target in CHECKLIST_LINK.findall(line):
                if target not in checklist_ids:
                    problems.append(ContentProblem(path, number, f"Linket til tjeklisten '{target}' peger ikke på nogen tjekliste."))
    return problems


def _file_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""  # the file's own problem is reported by its parser


def tilsyn_templates(paths: Paths, library: Library, folder: Path | None = None) -> TemplateSet:
    """The tilsyn templates in folder (default the bundled tilsyn/), their guideline sections and
    checklist steps checked, and the reference figures of config/tilsyn.yaml checked against them."""
    checklists = load_checklists(paths.checklists_dir, library.config)
    templates = load_templates(folder or paths.tilsyn_dir, library.config, guideline_anchors(library), checklists)
    # the reference's criteria are checked against the templates, when there are any
    _, reference_problems = load_reference(paths.config_dir, {c.id for t in templates.all() for c in t.criteria} or None)
    templates.problems.extend(reference_problems if folder is None else [])
    return templates


def validate_tilsyn(paths: Paths, targets: list[Path]) -> ValidationReport:
    """`tilsyn validate [PATH]`: the bundled templates, or the given files and folders."""
    library = load_library(paths)
    if not targets:
        templates = tilsyn_templates(paths, library)
        return ValidationReport(0, sorted(templates.problems), template_count=len(templates.templates))
    files = [f for t in targets for f in (sorted(t.glob("*.y*ml")) if t.is_dir() else [t])]
    return _template_report(files, paths, library)


def _template_report(files: list[Path], paths: Paths, library: Library) -> ValidationReport:
    checklists = load_checklists(paths.checklists_dir, library.config)
    anchors = guideline_anchors(library)
    problems, valid = [], 0
    for path in files:
        if not path.exists():
            problems.append(ContentProblem(path, 1, "Filen findes ikke."))
            continue
        template, found = parse_template_file(path, library.config)
        if template is not None:
            found = template_link_problems(template, anchors, checklists)
            valid += not found
        problems += found
    return ValidationReport(0, sorted(problems), template_count=valid)


def validate_bundled(paths: Paths) -> ValidationReport:
    """Validate the portal's own content and configuration (including search synonyms)."""
    library = load_library(paths)
    _, search_problems = load_search_config(paths.config_dir)
    checklists = load_checklists(paths.checklists_dir, library.config, guideline_anchors(library))
    _, scale_problems = load_scale_from(paths.config_dir) if (paths.config_dir / SCALE_FILE).exists() else (None, [])
    after_hours, after_hours_problems = load_after_hours(paths.config_dir)
    _, claim_role_problems = load_claim_roles(paths.config_dir / "portal.yaml")
    templates = tilsyn_templates(paths, library)
    texts = [(g.path, _file_text(g.path)) for g in library.guidelines.values()] + [(c.path, c.text) for c in checklists.checklists.values()]
    links = checklist_link_problems(texts, set(checklists.checklists))
    problems = library.problems + search_problems + checklists.problems + scale_problems + after_hours_problems + claim_role_problems + templates.problems + links
    return ValidationReport(len(library.guidelines), sorted(problems), len(checklists.checklists), len(templates.templates), after_hours.unfilled_warnings())


def validate_paths(targets: list[Path], paths: Paths) -> ValidationReport:
    """Validate the given files and folders; ids in the bundled handbook may be linked to."""
    config, config_problems = load_config(paths)
    files = expand_paths(targets)
    for target in targets:
        if target.is_dir():
            files += [f for f in sorted(target.rglob("*.y*ml")) if f.parent.name in ("checklists", "tilsyn") and f.suffix in (".yaml", ".yml")]
    missing = [ContentProblem(f, 1, "Filen findes ikke.") for f in files if not f.exists()]
    guideline_files = [f for f in files if f.exists() and f.suffix not in (".yaml", ".yml")]
    template_files = [f for f in files if f.exists() and f.suffix in (".yaml", ".yml") and f.parent.name == "tilsyn"]
    checklist_files = [f for f in files if f.exists() and f.suffix in (".yaml", ".yml") and f not in template_files]
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
    templates = _template_report(template_files, paths, bundled) if template_files else ValidationReport(0, [])
    problems = config_problems + missing + library.problems + checklist_problems + templates.problems
    return ValidationReport(len(library.guidelines), sorted(problems), valid_checklists, templates.template_count)
