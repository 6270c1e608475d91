"""The optional reference row: figures from an external review (config/tilsyn.yaml), named by
their source, to compare a team's figures with. Problems are Danish, with file:line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from handbook.checklists.rules import child_node, key_lines
from handbook.problems import ContentProblem, yaml_problem
from handbook.tilsyn.figures import Figure
from handbook.yamltext import MappingNode, SequenceNode, YAMLError, load_with_nodes

CONFIG_FILE = "tilsyn.yaml"


@dataclass(frozen=True)
class ReferenceFigure:
    criterion_id: str
    figure: Figure
    note: str = ""


@dataclass(frozen=True)
class Reference:
    source: str
    figures: tuple[ReferenceFigure, ...] = ()

    def get(self, criterion_id: str) -> ReferenceFigure | None:
        return next((f for f in self.figures if f.criterion_id == criterion_id), None)


def load_reference(config_dir: Path, criterion_ids: set[str] | None = None) -> tuple[Reference | None, list[ContentProblem]]:
    """The reference of config/tilsyn.yaml (None when there is none or it is broken)."""
    path = config_dir / CONFIG_FILE
    if not path.exists():
        return None, []
    try:
        node, raw = load_with_nodes(path.read_text(encoding="utf-8"))
    except YAMLError as exc:
        return None, [yaml_problem(path, exc, line_offset=0)]
    except (OSError, UnicodeDecodeError):
        return None, [ContentProblem(path, 1, "Filen kan ikke læses som UTF-8-tekst.")]
    if raw is None or (isinstance(raw, dict) and raw.get("reference") is None):
        return None, []
    if not isinstance(raw, dict) or not isinstance(node, MappingNode) or not isinstance(raw.get("reference"), dict):
        return None, [ContentProblem(path, 1, "Filen skal have feltet 'reference' med 'source' og 'figures'.")]
    ref_node = child_node(node, "reference")
    assert isinstance(ref_node, MappingNode)
    lines = key_lines(ref_node)
    ref = raw["reference"]
    problems: list[ContentProblem] = []
    if not isinstance(ref.get("source"), str) or not ref["source"].strip():
        problems.append(ContentProblem(path, lines.get("source", ref_node.start_mark.line + 1), "'source' skal nævne kilden, fx 'Ankestyrelsens sagsgennemgang 2020'."))
    figures: list[ReferenceFigure] = []
    items = ref.get("figures") or []
    items_node = child_node(ref_node, "figures")
    if not isinstance(items, list) or not isinstance(items_node, SequenceNode):
        problems.append(ContentProblem(path, lines.get("figures", 1), "'figures' skal være en liste af {criterion, ja, cases}."))
        items, item_nodes = [], []
    else:
        item_nodes = list(items_node.value)
    for item, item_node in zip(items, item_nodes):
        at = item_node.start_mark.line + 1
        ok = isinstance(item, dict) and isinstance(item.get("criterion"), str)
        ja, cases = (item.get("ja"), item.get("cases")) if isinstance(item, dict) else (None, None)
        if not ok or not isinstance(ja, int) or not isinstance(cases, int) or isinstance(ja, bool) or isinstance(cases, bool) or not 0 <= ja <= cases:
            problems.append(ContentProblem(path, at, "Hver linje skal have 'criterion' (et kriteriums id), 'ja' og 'cases' som hele tal, hvor ja ikke er større end cases."))
            continue
        if criterion_ids is not None and item["criterion"] not in criterion_ids:
            problems.append(ContentProblem(path, at, f"Kriteriet '{item['criterion']}' findes ikke i tilsynsskemaerne."))
            continue
        figures.append(ReferenceFigure(item["criterion"], Figure(ja=ja, nej=cases - ja), str(item.get("note") or "").strip()))
    if problems:
        return None, problems
    return Reference(ref["source"].strip(), tuple(figures)), []
