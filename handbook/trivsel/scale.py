"""Trivselslinealen: the scale and its zones (config/trivselslinealen.yaml) and zone look-up.

The scale is configuration: a municipality that uses 1-5 with three zones changes only the file.
Zones must tile the scale (no gap, no overlap); problems are reported with file and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from handbook.content.guideline import guard_problems
from handbook.content.render import format_number
from handbook.problems import ContentError, ContentProblem, yaml_problem
from handbook.yamltext import MappingNode, Node, SequenceNode, YAMLError, load_with_nodes

CONFIG_FILE = "trivselslinealen.yaml"
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
ALL_AGES = "alle"


@dataclass(frozen=True)
class Zone:
    name: str
    min: int
    max: int
    color: str
    meaning: str
    action: str
    next_steps: tuple[str, ...] = ()
    signs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    guidelines: tuple[str, ...] = ()

    def contains(self, value: float) -> bool:
        return self.min <= value <= self.max

    def signs_for(self, age_group: str | None) -> tuple[str, ...]:
        """The signs for all ages plus those for the age group."""
        return self.signs.get(ALL_AGES, ()) + (self.signs.get(age_group, ()) if age_group else ())

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "min": self.min, "max": self.max, "color": self.color, "meaning": self.meaning, "action": self.action, "next_steps": list(self.next_steps)}


@dataclass(frozen=True)
class Factors:
    side: str
    protective: tuple[str, ...]
    risk: tuple[str, ...]


@dataclass(frozen=True)
class Scale:
    min: int
    max: int
    zones: tuple[Zone, ...]
    low_label: str = ""
    high_label: str = ""
    age_groups: tuple[str, ...] = ()
    factors: tuple[Factors, ...] = ()

    @property
    def positions(self) -> list[int]:
        return list(range(self.min, self.max + 1))

    def zone_for(self, value: float) -> Zone:
        """The zone a position falls in; ValueError (Danish) outside the scale. A value between
        two whole positions (a median of 2.5) belongs to the zone of the position below it."""
        if not self.min <= value <= self.max:
            raise ValueError(f"{format_number(value)} ligger uden for skalaen {self.min}–{self.max}.")
        return [zone for zone in self.zones if zone.min <= value][-1]

    def zone_index(self, value: float) -> int:
        return self.zones.index(self.zone_for(value))


# -- configuration ----------------------------------------------------------------------------------


def load_scale(path: Path) -> Scale:
    """Read and check the scale; ContentError with every problem (file:line) if it is broken."""
    try:
        text = path.read_text(encoding="utf-8")
        guarded = guard_problems(text, path, None)  # a CPR-like number or an oversized file
        if guarded:
            raise ContentError(guarded)
        node, raw = load_with_nodes(text)
    except YAMLError as exc:
        raise ContentError([yaml_problem(path, exc, line_offset=0)]) from exc
    except OSError as exc:
        raise ContentError([ContentProblem(path, 1, f"Filen kan ikke læses: {exc.strerror}")]) from exc
    problems: list[ContentProblem] = []

    def report(line: int, message: str) -> None:
        problems.append(ContentProblem(path, line, message))

    if not isinstance(raw, dict) or not isinstance(node, MappingNode):
        raise ContentError([ContentProblem(path, 1, "Filen skal bestå af felterne scale, zones og factors.")])
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    scale = raw.get("scale")
    low: int | None = None
    high: int | None = None
    if not isinstance(scale, dict):
        report(lines.get("scale", 1), "Feltet 'scale' mangler: skriv fx scale: {min: 1, max: 10}.")
    else:
        given_low, given_high = scale.get("min"), scale.get("max")
        if _is_int(given_low) and _is_int(given_high) and given_low < given_high:
            low, high = given_low, given_high
        else:
            report(lines.get("scale", 1), "'scale' skal have hele tal min og max, hvor min er mindre end max, fx {min: 1, max: 10}.")
    age_groups = raw.get("age_groups") or []
    if not isinstance(age_groups, list) or not all(isinstance(a, str) for a in age_groups):
        report(lines.get("age_groups", 1), "'age_groups' skal være en liste af tekster, fx [\"0-2 år\", \"3-5 år\"].")
        age_groups = []
    zones = _zones(raw.get("zones"), _child(node, "zones"), lines.get("zones", 1), set(age_groups), report)
    if zones and low is not None and high is not None:
        _check_tiling(zones, low, high, report)
    factors = _factors(raw.get("factors"), _child(node, "factors"), lines.get("factors", 1), report)
    # A missing or broken 'scale' has always been reported above, so only problems raise here.
    if problems or low is None or high is None or not isinstance(scale, dict):
        raise ContentError(problems)
    return Scale(
        min=low,
        max=high,
        zones=tuple(z for z, _ in sorted(zones, key=lambda item: item[0].min)),
        low_label=str(scale.get("low_label") or ""),
        high_label=str(scale.get("high_label") or ""),
        age_groups=tuple(age_groups),
        factors=tuple(factors),
    )


Report = Callable[[int, str], None]


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _child(node: MappingNode, name: str) -> Node | None:
    return next((value for key, value in node.value if key.value == name), None)


def _texts(value: object) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    return None


def _zones(raw: Any, node: Node | None, line: int, age_groups: set[str], report: Report) -> list[tuple[Zone, int]]:
    if not isinstance(raw, list) or not raw or not isinstance(node, SequenceNode):
        report(line, "'zones' skal være en liste af zoner med name, min, max, color, meaning og action.")
        return []
    zones = []
    for item, item_node in zip(raw, node.value):
        at = item_node.start_mark.line + 1
        if not isinstance(item, dict):
            report(at, "En zone skal have felterne name, min, max, color, meaning og action.")
            continue
        name = item.get("name")
        label = f"Zonen '{name}'" if isinstance(name, str) and name.strip() else "En zone"
        missing = [k for k in ("name", "min", "max", "color", "meaning", "action") if item.get(k) in (None, "")]
        if missing:
            report(at, f"{label} mangler {', '.join(missing)}.")
            continue
        if not _is_int(item["min"]) or not _is_int(item["max"]) or item["min"] > item["max"]:
            report(at, f"{label}: min og max skal være hele tal, og min må ikke være større end max.")
            continue
        if not isinstance(item["color"], str) or not HEX_COLOUR.match(item["color"]):
            report(at, f"{label}: farven skal skrives som hex, fx \"#5cb85c\".")
            continue
        next_steps, guidelines = _texts(item.get("next_steps")), _texts(item.get("guidelines"))
        if next_steps is None or guidelines is None:
            report(at, f"{label}: next_steps og guidelines skal være lister af tekster.")
            continue
        signs_raw = item.get("signs") or {}
        signs: dict[str, tuple[str, ...]] = {}
        if not isinstance(signs_raw, dict):
            report(at, f"{label}: signs skal være aldersgruppe: [tegn, ...], fx alle: [...].")
            continue
        for group, values in signs_raw.items():
            if group != ALL_AGES and group not in age_groups:
                report(at, f"{label}: ukendt aldersgruppe '{group}' under signs. Brug 'alle' eller en af: {', '.join(sorted(age_groups))}.")
            elif (texts := _texts(values)) is None:
                report(at, f"{label}: tegnene for '{group}' skal være en liste af tekster.")
            else:
                signs[str(group)] = texts
        zones.append((Zone(str(name).strip(), item["min"], item["max"], item["color"], str(item["meaning"]).strip(), str(item["action"]).strip(), next_steps, signs, guidelines), at))
    return zones


def _check_tiling(zones: list[tuple[Zone, int]], low: int, high: int, report: Report) -> None:
    """Zones must cover low..high exactly once: no gap, no overlap, nothing outside."""
    ordered = sorted(zones, key=lambda item: item[0].min)
    first, first_line = ordered[0]
    if first.min != low:
        report(first_line, f"Zonerne dækker ikke skalaen fra {low}: den laveste zone ('{first.name}') begynder ved {first.min}.")
    for (previous, _), (zone, line) in zip(ordered, ordered[1:]):
        if zone.min <= previous.max:
            report(line, f"Zonen '{zone.name}' ({zone.min}–{zone.max}) overlapper zonen '{previous.name}' ({previous.min}–{previous.max}).")
        elif zone.min > previous.max + 1:
            report(line, f"Hul i skalaen: ingen zone dækker {previous.max + 1}–{zone.min - 1} mellem '{previous.name}' og '{zone.name}'.")
    last, last_line = ordered[-1]
    if last.max != high:
        report(last_line, f"Zonerne dækker ikke skalaen til {high}: den højeste zone ('{last.name}') slutter ved {last.max}.")


def _factors(raw: Any, node: Node | None, line: int, report: Report) -> list[Factors]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not isinstance(node, SequenceNode):
        report(line, "'factors' skal være en liste med side, protective og risk.")
        return []
    result = []
    for item, item_node in zip(raw, node.value):
        at = item_node.start_mark.line + 1
        if not isinstance(item, dict) or not isinstance(item.get("side"), str):
            report(at, "Hver gruppe af faktorer skal have en 'side' (fx Barnets udvikling).")
            continue
        protective, risk = _texts(item.get("protective")), _texts(item.get("risk"))
        if protective is None or risk is None:
            report(at, f"'{item['side']}': protective og risk skal være lister af tekster.")
            continue
        result.append(Factors(item["side"].strip(), protective, risk))
    return result


def load_scale_from(config_dir: Path) -> tuple[Scale | None, list[ContentProblem]]:
    """The scale from config_dir, or None and the problems."""
    try:
        return load_scale(config_dir / CONFIG_FILE), []
    except ContentError as exc:
        return None, exc.problems
