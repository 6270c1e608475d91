"""Reading the YAML that editors write (front matter, checklists) as YAML 1.2 with ruamel.yaml.

YAML 1.2 lets a plain value contain '?' inside a flow mapping, so the documented checklist line
`{id: akut, label: Er underretningen akut?, type: bool}` works as written (PyYAML, which speaks
YAML 1.1, stops at the '?'). `yes`/`no` stay text, and dates are left as text here, so an
impossible date such as 2026-13-01 becomes a clear problem at its line instead of a crash.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = ["MappingNode", "Node", "ScalarNode", "SequenceNode", "YAMLError", "load_with_nodes"]


def load_with_nodes(text: str) -> tuple[Node | None, Any]:
    """Parse once and return the node tree (for line numbers) and the plain data."""
    node = YAML(typ="safe", pure=True).compose(text)
    return node, (_construct(node) if node is not None else None)


def _construct(node: Node) -> Any:
    if isinstance(node, MappingNode):
        data: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _construct(key_node)
            data[key if isinstance(key, (str, int, float, bool)) or key is None else str(key)] = _construct(value_node)
        return data
    if isinstance(node, SequenceNode):
        return [_construct(item) for item in node.value]
    return _scalar(str(node.tag), node.value)


def _scalar(tag: str, value: str) -> Any:
    kind = tag.rsplit(":", 1)[-1]
    if kind == "null":
        return None
    if kind == "bool":
        return value.lower() == "true"
    if kind == "int":
        try:
            return int(value.replace("_", ""), 0)
        except ValueError:
            return value
    if kind == "float":
        lowered = value.lower().replace("_", "")
        if lowered in (".nan",):
            return float("nan")
        if lowered.lstrip("+-") == ".inf":
            return float("-inf") if lowered.startswith("-") else float("inf")
        try:
            return float(lowered)
        except ValueError:
            return value
    return value
