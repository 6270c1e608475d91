"""Search configuration: synonym groups (config/synonyms.yaml) and the law map
(config/paragraphs.yaml: Barnets lov paragraphs, their subjects and the old Serviceloven numbers),
validated with file:line problems like all other content."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handbook.content.guideline import guard_problems, load_yaml_with_nodes
from handbook.problems import ContentProblem, yaml_problem
from handbook.search.wordforms import FORMS_FILE, load_forms
from handbook.yamltext import MappingNode, Node, SequenceNode, YAMLError

_PARAGRAPH_NUMBER = re.compile(r"^\d+[a-z]?$")


@dataclass(frozen=True)
class SearchConfig:
    """Synonym groups (lower-case phrases), SEL paragraph -> Barnets lov paragraphs, and what
    each Barnets lov paragraph is about (its subject words)."""

    synonym_groups: tuple[tuple[str, ...], ...] = ()
    old_to_new: dict[str, tuple[str, ...]] = field(default_factory=dict)
    subjects: dict[str, str] = field(default_factory=dict)
    # derivational word forms: stem -> the stems of its verb or noun (config/wordforms.tsv)
    forms: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def new_to_old(self) -> dict[str, tuple[str, ...]]:
        reverse: dict[str, list[str]] = {}
        for old, news in self.old_to_new.items():
            for new in news:
                reverse.setdefault(new, []).append(old)
        return {new: tuple(olds) for new, olds in reverse.items()}

    def fingerprint(self) -> str:
        return repr((sorted(self.old_to_new.items()), sorted(self.subjects.items())))


def _load(path: Path, problems: list[ContentProblem]) -> tuple[Node | None, Any]:
    """The YAML file's node tree (for line numbers) and its data, or (None, None) with a problem."""
    try:
        text = path.read_text(encoding="utf-8")
        guarded = guard_problems(text, path, None)  # a CPR-like number or an oversized file
        if guarded:
            problems.extend(guarded)
            return None, None
        return load_yaml_with_nodes(text)
    except YAMLError as exc:
        problems.append(yaml_problem(path, exc, line_offset=0))
    except OSError as exc:
        problems.append(ContentProblem(path, 1, f"Filen kan ikke læses: {exc.strerror}"))
    return None, None


def _items(node: Node | None, key: str) -> list[Node] | None:
    if not isinstance(node, MappingNode):
        return None
    for key_node, value in node.value:
        if key_node.value == key:
            return value.value if isinstance(value, SequenceNode) else None
    return None


def load_synonyms(path: Path, problems: list[ContentProblem]) -> tuple[tuple[str, ...], ...]:
    """Read the synonym groups; every malformed group is a problem at its line."""
    if not path.exists():
        return ()
    node, _ = _load(path, problems)
    if node is None:
        return ()
    items = _items(node, "groups")
    if items is None:
        problems.append(ContentProblem(path, 1, "Filen skal have feltet 'groups' med en liste af grupper, fx - [BFU, børnefaglig undersøgelse]."))
        return ()
    groups = []
    for item in items:
        line = item.start_mark.line + 1
        terms = [t.value for t in item.value] if isinstance(item, SequenceNode) else None
        if not terms or not all(isinstance(t, str) and t.strip() for t in terms):
            problems.append(ContentProblem(path, line, "En synonymgruppe skal være en liste af ord eller udtryk, fx [UTM, undersøgende teammøde]."))
        elif len(terms) < 2:
            problems.append(ContentProblem(path, line, f"Synonymgruppen [{terms[0]}] har kun ét udtryk; en gruppe skal have mindst to."))
        else:
            groups.append(tuple(t.strip().casefold() for t in terms))
    return tuple(groups)


def load_paragraph_map(path: Path, problems: list[ContentProblem]) -> dict[str, tuple[str, ...]]:
    """Read the Serviceloven -> Barnets lov map; every malformed row is a problem at its line."""
    return load_law_map(path, problems)[0]


def load_law_map(path: Path, problems: list[ContentProblem]) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """Read the law map: rows under 'paragraphs' ({barnets_lov, emne, serviceloven}) and, from
    older files, rows under 'mapping' ({serviceloven, barnets_lov: [...]}). Returns SEL -> BL
    numbers and BL number -> subject; every malformed row is a problem at its line."""
    if not path.exists():
        return {}, {}
    node, data = _load(path, problems)
    if node is None:
        return {}, {}
    rows = _items(node, "paragraphs")
    legacy = _items(node, "mapping")
    if rows is None and legacy is None:
        problems.append(ContentProblem(path, 1, "Filen skal have feltet 'paragraphs' med en liste, fx - {barnets_lov: \"20\", emne: børnefaglig undersøgelse, serviceloven: [\"50\"]}."))
        return {}, {}
    mapping: dict[str, list[str]] = {}
    subjects: dict[str, str] = {}
    for item, row in zip(rows or [], data.get("paragraphs") or []):
        line = item.start_mark.line + 1
        if not isinstance(row, dict):
            problems.append(ContentProblem(path, line, "Hver paragraf skal skrives som {barnets_lov: \"20\", emne: ..., serviceloven: [\"50\"]}."))
            continue
        new = _number(row.get("barnets_lov"))
        olds = row.get("serviceloven", [])
        subject = row.get("emne")
        if not new:
            problems.append(ContentProblem(path, line, "'barnets_lov' skal være et paragrafnummer i anførselstegn, fx \"20\" eller \"155a\"."))
        elif not isinstance(subject, str) or not subject.strip():
            problems.append(ContentProblem(path, line, f"Barnets lov § {new} mangler 'emne': skriv kort, hvad paragraffen handler om, fx underretningspligt."))
        elif not isinstance(olds, list) or not all(_number(o) for o in olds):
            problems.append(ContentProblem(path, line, "'serviceloven' skal være en liste af paragrafnumre, fx [\"50\"] eller [\"155a\"]."))
        else:
            subjects[new] = " ".join(subject.split())
            for old in olds:
                mapping.setdefault(_number(old), []).append(new)
    for item, row in zip(legacy or [], data.get("mapping") or []):
        line = item.start_mark.line + 1
        old = _number(row.get("serviceloven")) if isinstance(row, dict) else ""
        listed = row.get("barnets_lov") if isinstance(row, dict) else None
        if not old:
            problems.append(ContentProblem(path, line, "'serviceloven' skal være et paragrafnummer i anførselstegn, fx \"50\" eller \"155a\"."))
        elif not isinstance(listed, list) or not listed or not all(_number(n) for n in listed):
            problems.append(ContentProblem(path, line, "'barnets_lov' skal være en liste af paragrafnumre, fx [\"20\", \"21\"]."))
        else:
            mapping.setdefault(old, []).extend(_number(n) for n in listed)
    return {old: tuple(dict.fromkeys(news)) for old, news in mapping.items()}, subjects


def _number(value: object) -> str:
    """A paragraph number as the index writes it ('155 a' -> '155a'), or '' if it is none."""
    text = str(value if value is not None else "").strip().lower().replace(" ", "")
    return text if _PARAGRAPH_NUMBER.match(text) else ""


def load_search_config(config_dir: Path) -> tuple[SearchConfig, list[ContentProblem]]:
    """Both search configuration files, with every problem found in them."""
    problems: list[ContentProblem] = []
    synonyms = load_synonyms(config_dir / "synonyms.yaml", problems)
    paragraphs, subjects = load_law_map(config_dir / "paragraphs.yaml", problems)
    return SearchConfig(synonyms, paragraphs, subjects, load_forms(config_dir / FORMS_FILE)), problems
