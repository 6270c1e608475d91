"""Guidelines: Markdown files with YAML front matter, parsed into dataclasses and validated.

Every problem is reported with the file and the line it is on, in Danish, so that a leader
who edits a file in a text editor can find and fix it.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from handbook.privacy.cpr import contains_cpr, cpr_lines
from handbook.problems import ContentProblem, yaml_problem
from handbook.settings import PortalConfig
from handbook.yamltext import MappingNode, Node, SequenceNode, YAMLError, load_with_nodes

GUIDELINE_TYPES: dict[str, str] = {
    "retningslinje": "Retningslinje",
    "arbejdsgang": "Arbejdsgang",
    "metode": "Metode",
    "vejledning": "Vejledning",
    "politik": "Politik",
}

REQUIRED_FIELDS = ("id", "title", "type", "tema", "version", "effective", "owner")
OPTIONAL_FIELDS = (
    "sagsskridt",
    "audience",
    "legal_refs",
    "review_by",
    "approved_by",
    "summary",
    "keywords",
    "related",
    "change_note",
)
ALL_FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS
TEXT_FIELDS = ("id", "title", "tema", "version", "owner", "approved_by", "summary", "change_note")
LIST_FIELDS = ("audience", "legal_refs", "keywords", "related")
DATE_FIELDS = ("effective", "review_by")
# The fields as the editor's form and the metadata box name them (for diffs between versions).
FIELD_LABELS = {
    "id": "Id", "title": "Titel", "type": "Type", "tema": "Tema", "sagsskridt": "Sagsskridt", "audience": "Målgrupper",
    "legal_refs": "Lovhenvisninger", "version": "Version", "effective": "Gælder fra", "review_by": "Revisionsdato",
    "owner": "Ejer", "approved_by": "Godkendt af", "summary": "Resumé", "keywords": "Nøgleord",
    "related": "Relaterede retningslinjer", "change_note": "Ændringsnote",
}

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER_FENCE = "---"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A link whose whole target is a guideline id (optionally with #section) is an internal link.
INTERNAL_LINK = re.compile(r"\]\((?P<target>[a-z0-9]+(?:-[a-z0-9]+)*)(?:#[^)\s]*)?\)")


@dataclass(frozen=True)
class Guideline:
    """One guideline, method guide, workflow, instruction or policy as written in its file."""

    id: str
    title: str
    type: str
    tema: str
    version: str
    effective: date
    owner: str
    body: str
    path: Path
    body_line: int
    content_hash: str
    sagsskridt: int | None = None
    audience: tuple[str, ...] = ()
    legal_refs: tuple[str, ...] = ()
    review_by: date | None = None
    approved_by: str = ""
    summary: str = ""
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    change_note: str = ""
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def type_label(self) -> str:
        return GUIDELINE_TYPES.get(self.type, self.type)

    def front_matter(self) -> dict[str, Any]:
        """The front matter as plain data, in the documented field order."""
        data = {name: getattr(self, name) for name in ALL_FIELDS}
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items() if v not in (None, "", ())}

    def internal_links(self) -> list[tuple[str, int]]:
        """Ids linked from the body as `[text](id)`, with the file line of each link."""
        links = []
        for offset, line in enumerate(self.body.splitlines()):
            for match in INTERNAL_LINK.finditer(line):
                links.append((match.group("target"), self.body_line + offset))
        return links


def load_yaml_with_nodes(text: str) -> tuple[Node | None, Any]:
    """Parse YAML once, returning both the node tree (for line numbers) and the plain data."""
    return load_with_nodes(text)


@dataclass
class ParseResult:
    """A parsed file: the guideline if it is usable, and the problems found in it."""

    path: Path
    guideline: Guideline | None
    problems: list[ContentProblem]


CPR_IN_CONTENT = "Linjen ser ud til at indeholde et CPR-nummer. Fjern det: CPR-numre må ikke stå i Håndbogen, og filen bruges ikke, før det er væk."


def guard_problems(text: str, path: Path, config: PortalConfig | None) -> list[ContentProblem]:
    """Problems that keep a content file (guideline or checklist) out of the portal whatever
    else is in it: larger than max_file_bytes, or a CPR-like number on a line. Such a text
    never becomes a revision, a search index entry or a history entry."""
    limit = (config or PortalConfig()).max_file_bytes
    size = len(text.encode("utf-8", errors="replace"))
    if size > limit:
        return [size_problem(path, size, limit)]
    if not contains_cpr(text):
        return []
    return [ContentProblem(path, line, CPR_IN_CONTENT) for line in cpr_lines(text) or [1]]


def size_problem(path: Path, size: int, limit: int) -> ContentProblem:
    return ContentProblem(
        path, 1, f"Filen fylder {_megabytes(size)} MB; højst {_megabytes(limit)} MB er tilladt (max_file_bytes i config/portal.yaml). Del den op, eller fjern indlejrede data."
    )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}".replace(".", ",")


def read_content_file(path: Path, config: PortalConfig | None) -> tuple[str | None, list[ContentProblem]]:
    """A YAML content file's text (checklist, tilsyn template), or the problem that stops it:
    too large, not UTF-8, unreadable."""
    too_large = oversized(path, config)
    if too_large is not None:
        return None, [too_large]
    try:
        return path.read_text(encoding="utf-8"), []
    except UnicodeDecodeError:
        return None, [ContentProblem(path, 1, "Filen er ikke gemt som UTF-8; gem den igen med tegnsæt UTF-8.")]
    except OSError as exc:
        return None, [ContentProblem(path, 1, f"Filen kan ikke læses: {exc.strerror}")]


def yaml_mapping(text: str, path: Path, config: PortalConfig | None, what: str) -> tuple[MappingNode | None, dict, list[ContentProblem]]:
    """A YAML content file parsed as a mapping with its node tree; on a CPR-like number, a YAML
    error or another shape: no node and the problems (what: 'En tjekliste', ...)."""
    guarded = guard_problems(text, path, config)
    if guarded:
        return None, {}, guarded
    try:
        node, raw = load_yaml_with_nodes(text)
    except YAMLError as exc:
        return None, {}, [yaml_problem(path, exc, line_offset=0)]
    if not isinstance(raw, dict) or not isinstance(node, MappingNode):
        return None, {}, [ContentProblem(path, 1, f"{what} skal bestå af felter på formen 'navn: værdi' (se docs/content-format.md).")]
    return node, raw, []


def oversized(path: Path, config: PortalConfig | None) -> ContentProblem | None:
    """A problem if the file on disk is larger than allowed (checked before it is read), or if
    its name looks like it holds a CPR number (the name is then not repeated either)."""
    if contains_cpr(path.name):
        return ContentProblem(path.with_name("(filnavn med CPR-nummer)" + path.suffix), 1, "Filnavnet ser ud til at indeholde et CPR-nummer. Omdøb filen; den bruges ikke før.")
    limit = (config or PortalConfig()).max_file_bytes
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return size_problem(path, size, limit) if size > limit else None


def parse_guideline_text(text: str, path: Path, config: PortalConfig) -> ParseResult:
    """Parse the text of one guideline file and check every field on its own."""
    guarded = guard_problems(text, path, config)
    if guarded:
        return ParseResult(path, None, guarded)
    problems: list[ContentProblem] = []
    lines = text.splitlines()
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        return ParseResult(path, None, [ContentProblem(path, 1, "Filen skal begynde med en linje med '---' efterfulgt af felterne (front matter).")])
    closing = next((i for i, line in enumerate(lines[1:], start=1) if line.strip() == FRONT_MATTER_FENCE), None)
    if closing is None:
        return ParseResult(path, None, [ContentProblem(path, len(lines), "Front matter afsluttes ikke: der mangler en linje med '---' efter felterne.")])
    yaml_text = "\n".join(lines[1:closing])
    try:
        node, raw = load_yaml_with_nodes(yaml_text)
    except YAMLError as exc:
        return ParseResult(path, None, [yaml_problem(path, exc, line_offset=1)])
    if not isinstance(raw, dict) or not isinstance(node, MappingNode):
        return ParseResult(path, None, [ContentProblem(path, 2, "Front matter skal bestå af felter på formen 'navn: værdi'.")])

    field_lines, item_lines = _field_lines(node, path, problems)
    values = _check_fields(raw, field_lines, item_lines, path, config, problems)
    body = "\n".join(lines[closing + 1:])
    if not body.strip():
        problems.append(ContentProblem(path, closing + 1, "Retningslinjen har ingen brødtekst efter front matter."))
    if problems:
        return ParseResult(path, None, problems)
    guideline = Guideline(
        **values,
        body=body,
        path=path,
        body_line=closing + 2,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        field_lines={**field_lines, **{f"{k}[{i}]": line for k, items in item_lines.items() for i, line in enumerate(items)}},
    )
    return ParseResult(path, guideline, [])


def parse_guideline_file(path: Path, config: PortalConfig) -> ParseResult:
    """Read and parse one guideline file; unreadable files become problems, never exceptions."""
    too_large = oversized(path, config)
    if too_large is not None:
        return ParseResult(path, None, [too_large])
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return ParseResult(path, None, [ContentProblem(path, line, "Filen er ikke gemt som UTF-8; gem den igen med tegnsæt UTF-8.")])
    except OSError as exc:
        return ParseResult(path, None, [ContentProblem(path, 1, f"Filen kan ikke læses: {exc.strerror}")])
    return parse_guideline_text(text, path, config)


def _field_lines(node: MappingNode, path: Path, problems: list[ContentProblem]) -> tuple[dict[str, int], dict[str, list[int]]]:
    """File line of every top-level key (front matter starts on line 2) and of list items."""
    field_lines: dict[str, int] = {}
    item_lines: dict[str, list[int]] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        line = key_node.start_mark.line + 2
        if key in field_lines:
            problems.append(ContentProblem(path, line, f"Feltet '{key}' står to gange (første gang i linje {field_lines[key]})."))
        field_lines[key] = line
        if isinstance(value_node, SequenceNode):
            item_lines[key] = [item.start_mark.line + 2 for item in value_node.value]
    return field_lines, item_lines


def _check_fields(
    raw: dict[Any, Any],
    field_lines: dict[str, int],
    item_lines: dict[str, list[int]],
    path: Path,
    config: PortalConfig,
    problems: list[ContentProblem],
) -> dict[str, Any]:
    """Check presence and type of each field; return the values for the Guideline constructor."""

    def report(name: str, message: str) -> None:
        problems.append(ContentProblem(path, field_lines.get(name, 2), message))

    for key in raw:
        if str(key) not in ALL_FIELDS:
            guess = difflib.get_close_matches(str(key), ALL_FIELDS, n=1)
            hint = f" Mente du '{guess[0]}'?" if guess else ""
            report(str(key), f"Ukendt felt '{key}'.{hint}")
    for name in REQUIRED_FIELDS:
        if raw.get(name) in (None, ""):
            report(name, f"Det obligatoriske felt '{name}' mangler eller er tomt.")

    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = raw.get(name)
        if value is None:
            continue
        if name == "version" and isinstance(value, (int, float)):
            report(name, f"'version' skal stå i anførselstegn, fx version: \"{value}\" (ellers bliver 2.10 til 2.1).")
        elif not isinstance(value, str):
            report(name, f"Feltet '{name}' skal være tekst, men er {_kind(value)}.")
        else:
            values[name] = value.strip()
    if "id" in values and not ID_PATTERN.match(values["id"]):
        report("id", f"Ugyldigt id '{values['id']}': brug små bogstaver a-z, tal og bindestreg (æ→ae, ø→oe, å→aa), fx 'boernefaglig-undersoegelse'.")

    type_value = raw.get("type")
    if type_value is not None:
        if type_value in GUIDELINE_TYPES:
            values["type"] = type_value
        else:
            report("type", f"Ukendt type '{type_value}'. Gyldige typer: {', '.join(GUIDELINE_TYPES)}.")

    for name in DATE_FIELDS:
        if raw.get(name) is None:
            continue
        parsed = _as_date(raw[name])
        if parsed is None:
            report(name, f"Ugyldig dato '{raw[name]}' i feltet '{name}'. Skriv datoen som ÅÅÅÅ-MM-DD, fx 2026-01-31.")
        else:
            values[name] = parsed
    if "effective" in values and "review_by" in values and values["review_by"] < values["effective"]:
        report("review_by", "Revisionsdatoen (review_by) ligger før gyldighedsdatoen (effective).")

    for name in LIST_FIELDS:
        value = raw.get(name)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
            report(name, f"Feltet '{name}' skal være en liste af tekster, fx {name}: [første, anden].")
        else:
            values[name] = tuple(item.strip() for item in value)
    for index, audience in enumerate(values.get("audience", ())):
        if config.audiences and audience not in config.audiences:
            line = item_lines.get("audience", [])[index] if index < len(item_lines.get("audience", [])) else field_lines.get("audience", 2)
            problems.append(ContentProblem(path, line, f"Ukendt målgruppe '{audience}'. Gyldige målgrupper (config/portal.yaml): {', '.join(config.audiences)}."))

    step = raw.get("sagsskridt")
    if step is not None:
        if isinstance(step, bool) or not isinstance(step, int):
            report("sagsskridt", f"'sagsskridt' skal være et helt tal (trin i sagsforløbet), men er {_kind(step)}.")
        elif config.case_steps and step not in config.case_steps:
            report("sagsskridt", f"Sagsskridt {step} findes ikke. Gyldige trin (config/portal.yaml): {', '.join(str(s) for s in config.case_steps)}.")
        else:
            values["sagsskridt"] = step
    if values.get("id") and values["id"] in values.get("related", ()):
        report("related", "En retningslinje kan ikke være relateret til sig selv.")
    return values


def _as_date(value: Any) -> date | None:
    if isinstance(value, str) and ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _kind(value: Any) -> str:
    kinds = {bool: "ja/nej", int: "et tal", float: "et tal", list: "en liste", dict: "en samling af felter"}
    return kinds.get(type(value), type(value).__name__)
