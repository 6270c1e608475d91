"""Search configuration: synonym groups (config/synonyms.yaml) and the old-to-new paragraph
map (config/paragraphs.yaml), validated with file:line problems like all other content."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from handbook.content import guard_problems, load_yaml_with_nodes
from handbook.problems import ContentProblem, yaml_problem
from handbook.yamltext import MappingNode, Node, SequenceNode, YAMLError

_PARAGRAPH_NUMBER = re.compile(r"^\d+[a-z]?$")


@dataclass(frozen=True)
class SearchConfig:
    """Synonym groups (lower-case phrases) and SEL paragraph -> Barnets lov paragraphs."""

    synonym_groups: tuple[tuple[str, ...], ...] = ()
    old_to_new: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def new_to_old(self) -> dict[str, tuple[str, ...]]:
        reverse: dict[str, list[str]] = {}
        for old, news in self.old_to_new.items():
            for new in news:
                reverse.setdefault(new, []).append(old)
        return {new: tuple(olds) for new, olds in reverse.items()}

    def fingerprint(self) -> str:
        return repr(sorted(self.old_to_new.items()))


def _load(path: Path, problems: list[ContentProblem]) -> tuple[Node | None, object]:
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
    if not path.exists():
        return {}
    node, data = _load(path, problems)
    if node is None:
        return {}
    items = _items(node, "mapping")
    if items is None:
        problems.append(ContentProblem(path, 1, "Filen skal have feltet 'mapping' med en liste af par, fx - {serviceloven: \"50\", barnets_lov: [\"20\"]}."))
        return {}
    mapping: dict[str, list[str]] = {}
    for item, row in zip(items, data["mapping"]):
        line = item.start_mark.line + 1
        old = str(row.get("serviceloven", "")).strip().lower().replace(" ", "") if isinstance(row, dict) else ""
        new = row.get("barnets_lov") if isinstance(row, dict) else None
        if not _PARAGRAPH_NUMBER.match(old):
            problems.append(ContentProblem(path, line, "'serviceloven' skal være et paragrafnummer i anførselstegn, fx \"50\" eller \"155a\"."))
        elif not isinstance(new, list) or not new or not all(_PARAGRAPH_NUMBER.match(str(n).strip().lower()) for n in new):
            problems.append(ContentProblem(path, line, "'barnets_lov' skal være en liste af paragrafnumre, fx [\"20\", \"21\"]."))
        else:
            mapping.setdefault(old, []).extend(str(n).strip().lower() for n in new)
    return {old: tuple(dict.fromkeys(news)) for old, news in mapping.items()}


def load_search_config(config_dir: Path) -> tuple[SearchConfig, list[ContentProblem]]:
    """Both search configuration files, with every problem found in them."""
    problems: list[ContentProblem] = []
    synonyms = load_synonyms(config_dir / "synonyms.yaml", problems)
    paragraphs = load_paragraph_map(config_dir / "paragraphs.yaml", problems)
    return SearchConfig(synonyms, paragraphs), problems
