"""The loaded content set: every valid guideline, by id, tema, case step and audience.

Loading never fails on bad content: a file with problems of its own is left out and its
problems are kept, so the portal serves everything else and editors can see what was left out.
Problems between files (a `related` id or a link that points nowhere) are reported, and the
dead link is simply not shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from handbook.content.guideline import GUIDELINE_TYPES, Guideline, ParseResult, parse_guideline_file
from handbook.problems import ContentError, ContentProblem
from handbook.settings import Paths, PortalConfig, load_portal_config


@dataclass
class Library:
    """All usable guidelines plus the problems found while loading them."""

    config: PortalConfig
    guidelines: dict[str, Guideline] = field(default_factory=dict)
    problems: list[ContentProblem] = field(default_factory=list)
    left_out: dict[Path, list[ContentProblem]] = field(default_factory=dict)

    def get(self, guideline_id: str) -> Guideline | None:
        return self.guidelines.get(guideline_id)

    def all(self) -> list[Guideline]:
        """Every guideline, sorted by title (Danish alphabet: æ, ø, å last)."""
        return sorted(self.guidelines.values(), key=lambda g: danish_sort_key(g.title))

    def filtered(self, audience: str | None = None, types: list[str] | None = None) -> list[Guideline]:
        """Guidelines for one audience (role) and of the given types; None means no filter."""
        return [
            g
            for g in self.all()
            if (audience is None or audience in g.audience) and (not types or g.type in types)
        ]

    def by_tema(self, guidelines: list[Guideline] | None = None) -> dict[str, list[Guideline]]:
        """Guidelines grouped by tema, temas in alphabetical order."""
        groups: dict[str, list[Guideline]] = defaultdict(list)
        for g in guidelines if guidelines is not None else self.all():
            groups[g.tema].append(g)
        return {tema: groups[tema] for tema in sorted(groups, key=danish_sort_key)}

    def by_case_step(self, guidelines: list[Guideline] | None = None) -> dict[int, list[Guideline]]:
        """Guidelines placed in the A-Z case flow, grouped by step number in order."""
        groups: dict[int, list[Guideline]] = defaultdict(list)
        for g in guidelines if guidelines is not None else self.all():
            if g.sagsskridt is not None:
                groups[g.sagsskridt].append(g)
        return dict(sorted(groups.items()))

    def related(self, guideline: Guideline) -> list[Guideline]:
        """The related guidelines that exist, in the order the author listed them."""
        return [self.guidelines[i] for i in guideline.related if i in self.guidelines]

    def recently_changed(self, today: date, limit: int = 5) -> list[Guideline]:
        """Guidelines in force, newest effective date first."""
        current = [g for g in self.guidelines.values() if g.effective <= today]
        return sorted(current, key=lambda g: (g.effective, g.title), reverse=True)[:limit]

    def review_overdue(self, guideline: Guideline, today: date) -> bool:
        return guideline.review_by is not None and guideline.review_by < today

    def count_by_type(self) -> dict[str, int]:
        """How many documents of each type, in the documented type order."""
        counts = {t: 0 for t in GUIDELINE_TYPES}
        for g in self.guidelines.values():
            counts[g.type] += 1
        return {t: n for t, n in counts.items() if n}

    def case_flow(self) -> list[CaseStep]:
        """The A-Z case flow from config/portal.yaml with the guidelines placed on each step."""
        placed = self.by_case_step()
        return [CaseStep(number, label, placed.get(number, [])) for number, label in self.config.case_steps.items()]


@dataclass(frozen=True)
class CaseStep:
    """One step of the case flow (e.g. 2 Børnefaglig undersøgelse) and its guidelines."""

    number: int
    label: str
    guidelines: list[Guideline]


def danish_sort_key(text: str) -> tuple[int, ...]:
    """Sort key that puts æ, ø, å after z, as a Danish reader expects."""
    order = {"æ": 0x7B, "ø": 0x7C, "å": 0x7D}
    lowered = text.casefold()
    return tuple(order.get(ch, ord(ch)) for ch in lowered)


def guideline_files(folder: Path) -> list[Path]:
    """Markdown files under a folder, in a stable order."""
    return sorted(p for p in folder.rglob("*.md") if not p.name.startswith((".", "_")))


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files named directly, plus the Markdown files inside named folders."""
    files: list[Path] = []
    for path in paths:
        files.extend(guideline_files(path) if path.is_dir() else [path])
    return files


def build_library(results: list[ParseResult], config: PortalConfig, known_ids: set[str] | None = None) -> Library:
    """Combine parsed files into a Library, adding the checks that span files.

    known_ids are ids that exist elsewhere (the bundled handbook) and may be linked to.
    """
    library = Library(config=config)
    for result in results:
        if result.problems or result.guideline is None:
            library.left_out[result.path] = result.problems
            library.problems.extend(result.problems)
            continue
        guideline = result.guideline
        first = library.guidelines.get(guideline.id)
        if first is not None:
            problem = ContentProblem(
                guideline.path,
                guideline.field_lines.get("id", 2),
                f"Id'et '{guideline.id}' bruges allerede i {first.path}; hvert id skal være unikt.",
            )
            library.left_out[guideline.path] = [problem]
            library.problems.append(problem)
            continue
        library.guidelines[guideline.id] = guideline
    linkable = set(library.guidelines) | (known_ids or set())
    for guideline in library.guidelines.values():
        library.problems.extend(_dangling_links(guideline, linkable))
    return library


def _dangling_links(guideline: Guideline, linkable: set[str]) -> list[ContentProblem]:
    problems = []
    for index, related_id in enumerate(guideline.related):
        if related_id not in linkable:
            line = guideline.field_lines.get(f"related[{index}]", guideline.field_lines.get("related", 2))
            problems.append(ContentProblem(guideline.path, line, f"'related' henviser til '{related_id}', som ikke findes."))
    for target, line in guideline.internal_links():
        if target not in linkable:
            problems.append(ContentProblem(guideline.path, line, f"Linket til '{target}' peger ikke på nogen retningslinje."))
    return problems


def load_config(paths: Paths) -> tuple[PortalConfig, list[ContentProblem]]:
    """The portal configuration, or the defaults plus the problems if the file is broken."""
    config_file = paths.config_dir / "portal.yaml"
    if not config_file.exists():
        return PortalConfig(), []
    try:
        return load_portal_config(config_file), []
    except ContentError as exc:
        return PortalConfig(), exc.problems


def load_library(paths: Paths) -> Library:
    """Load and validate the whole bundled content set. Never raises on bad content."""
    config, config_problems = load_config(paths)
    results = [parse_guideline_file(p, config) for p in guideline_files(paths.guidelines_dir)]
    library = build_library(results, config)
    library.problems[:0] = config_problems
    return library


def content_fingerprint(paths: Paths) -> tuple[tuple[str, int, int], ...]:
    """A cheap signature of the content files (name, size, mtime) to notice edits on disk."""
    files = guideline_files(paths.guidelines_dir) + sorted(paths.config_dir.glob("*.yaml")) + sorted(paths.checklists_dir.glob("*.yaml"))
    files += sorted(paths.tilsyn_dir.glob("*.yaml"))
    signature = []
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        signature.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(signature)
