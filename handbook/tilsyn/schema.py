"""Tilsyn templates (YAML in tilsyn/): parsing and checking with Danish file:line problems, the
links to guideline sections and checklist steps, and loading the bundled templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handbook.checklists.rules import check_header, child_node, key_lines, unknown_keys
from handbook.checklists.schema import ITEM_ID, ChecklistSet, load_folder
from handbook.content.guideline import read_content_file, yaml_mapping
from handbook.problems import ContentProblem
from handbook.settings import PortalConfig
from handbook.tilsyn.model import DEFAULT_TARGET, KINDS, Criterion, Template
from handbook.yamltext import MappingNode, Node, SequenceNode

TEMPLATE_FIELDS = ("id", "title", "version", "kind", "summary", "case_types", "areas")
REQUIRED = ("id", "title", "version", "kind", "areas")
AREA_FIELDS = ("area", "criteria")
CRITERION_FIELDS = ("id", "question", "legal_ref", "guideline", "checklist", "case_types", "not_relevant", "target")
CRITERION_REQUIRED = ("question", "legal_ref", "guideline")


def parse_template_text(text: str, path: Path, config: PortalConfig | None = None) -> tuple[Template | None, list[ContentProblem]]:
    """Parse and check one template file; every problem names its line."""
    node, raw, problems = yaml_mapping(text, path, config, "Et tilsynsskema")
    if node is None:
        return None, problems
    lines = key_lines(node)

    def report(line: int, message: str) -> None:
        problems.append(ContentProblem(path, line, message))

    check_header(raw, lines, TEMPLATE_FIELDS, REQUIRED, ("id", "title", "summary"), "tilsynsskemaet", report)
    if raw.get("kind") is not None and raw.get("kind") not in KINDS:
        report(lines.get("kind", 1), f"Ukendt 'kind' '{raw['kind']}'. Brug 'generelt' eller 'tematisk'.")
    case_types = _id_list(raw.get("case_types"), lines.get("case_types", 1), "'case_types'", report)
    criteria = _criteria(raw.get("areas"), child_node(node, "areas"), lines.get("areas", 1), set(case_types), report)
    if problems:
        return None, problems
    return Template(
        id=raw["id"], title=raw["title"].strip(), version=raw["version"], kind=raw["kind"], criteria=tuple(criteria),
        case_types=tuple(case_types), summary=(raw.get("summary") or "").strip(), path=path, text=text,
    ), []


def _id_list(value: Any, line: int, where: str, report) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and ITEM_ID.match(v) for v in value):
        report(line, f"{where} skal være en liste af korte navne (små bogstaver, tal og bindestreg), fx [underretning, anbringelse].")
        return []
    return list(value)


def _mappings(raw: Any, node: Node | None, line: int, report, not_a_list: str, not_a_mapping: str):
    """Each mapping in a YAML list with its node; other shapes are reported at their line."""
    if raw is None:
        return
    if not isinstance(raw, list) or not isinstance(node, SequenceNode):
        report(line, not_a_list)
        return
    for item, item_node in zip(raw, node.value):
        if not isinstance(item, dict) or not isinstance(item_node, MappingNode):
            report(item_node.start_mark.line + 1, not_a_mapping)
            continue
        yield item, item_node


def _criteria(raw: Any, node: Node | None, line: int, case_types: set[str], report) -> list[Criterion]:
    criteria: list[Criterion] = []
    areas = _mappings(raw, node, line, report, "'areas' skal være en liste af områder, hvert med 'area' og 'criteria'.", "Et område skal have felterne 'area' og 'criteria'.")
    for area, area_node in areas:
        at = area_node.start_mark.line + 1
        keys = key_lines(area_node)
        unknown_keys(area, AREA_FIELDS, keys, at, "området", report)
        title = area.get("area")
        if not isinstance(title, str) or not title.strip():
            report(at, "Området mangler en overskrift i 'area'.")
            continue
        items = _mappings(area.get("criteria"), child_node(area_node, "criteria"), keys.get("criteria", at), report,
                          f"'criteria' i området '{title}' skal være en liste af kriterier.", "Et kriterium skal have felterne id, question, legal_ref og guideline.")
        if area.get("criteria") in (None, []):
            report(at, f"Området '{title}' har ingen kriterier.")
        for item, item_node in items:
            criterion = _criterion(item, item_node, title.strip(), case_types, report)
            if criterion is None:
                continue
            if any(c.id == criterion.id for c in criteria):
                report(criterion.line, f"Kriteriet '{criterion.id}' står to gange; hvert kriterium skal have sit eget id.")
                continue
            criteria.append(criterion)
    return criteria


def _criterion(item: dict, node: MappingNode, area: str, case_types: set[str], report) -> Criterion | None:
    at = node.start_mark.line + 1
    keys = key_lines(node)
    unknown_keys(item, CRITERION_FIELDS, keys, at, "kriteriet", report)
    cid = item.get("id")
    if not isinstance(cid, str) or not ITEM_ID.match(cid):
        report(keys.get("id", at), "Kriteriet mangler et gyldigt 'id' (små bogstaver a-z, tal, bindestreg og understreg, fx 'boernesamtale').")
        return None
    ok = True
    for name in CRITERION_REQUIRED:
        if not isinstance(item.get(name), str) or not item[name].strip():
            report(keys.get(name, at), f"Kriteriet '{cid}' mangler '{name}' (tekst).")
            ok = False
    guideline = str(item.get("guideline") or "")
    if guideline and "#" not in guideline:
        report(keys.get("guideline", at), f"'guideline' i kriteriet '{cid}' skal pege på et afsnit: id#afsnit, fx boernesamtale#frister.")
        ok = False
    checklist = item.get("checklist")
    if checklist is not None and (not isinstance(checklist, str) or "#" not in checklist):
        report(keys.get("checklist", at), f"'checklist' i kriteriet '{cid}' skal være tjekliste#trin, fx underretning#vurdering.")
        ok = False
    types = _id_list(item.get("case_types"), keys.get("case_types", at), f"'case_types' i kriteriet '{cid}'", report)
    unknown = [t for t in types if t not in case_types]
    if unknown:
        known = ", ".join(sorted(case_types)) or "ingen (skriv dem i skemaets 'case_types')"
        report(keys.get("case_types", at), f"Kriteriet '{cid}' nævner sagstypen '{unknown[0]}', som skemaet ikke har. Sagstyper: {known}.")
        ok = False
    allowed = item.get("not_relevant", True)
    if not isinstance(allowed, bool):
        report(keys.get("not_relevant", at), f"'not_relevant' i kriteriet '{cid}' skal være true eller false.")
        ok = False
    target = item.get("target", DEFAULT_TARGET)
    if isinstance(target, bool) or not isinstance(target, int) or not 1 <= target <= 100:
        report(keys.get("target", at), f"'target' i kriteriet '{cid}' skal være en procent fra 1 til 100, fx target: 80.")
        ok = False
    if not ok:
        return None
    return Criterion(
        id=cid, area=area, question=item["question"].strip(), legal_ref=item["legal_ref"].strip(), guideline=guideline.strip(),
        checklist=(checklist or "").strip(), case_types=tuple(types), not_relevant_allowed=allowed, target=target, line=at,
    )


def parse_template_file(path: Path, config: PortalConfig | None = None) -> tuple[Template | None, list[ContentProblem]]:
    text, problems = read_content_file(path, config)
    return parse_template_text(text, path, config) if text is not None else (None, problems)


def link_problems(template: Template, anchors: dict[str, set[str]], checklists: ChecklistSet | None = None) -> list[ContentProblem]:
    """Each criterion's guideline section must exist, and its checklist step when one is named."""
    problems = []
    for c in template.criteria:
        if c.guideline_id not in anchors:
            problems.append(ContentProblem(template.path, c.line, f"Kriteriet '{c.id}' henviser til retningslinjen '{c.guideline_id}', som ikke findes."))
        elif c.anchor not in anchors[c.guideline_id]:
            known = ", ".join(sorted(anchors[c.guideline_id]))
            problems.append(ContentProblem(template.path, c.line, f"Afsnittet '#{c.anchor}' findes ikke i '{c.guideline_id}' (kriteriet '{c.id}'). Afsnit: {known}."))
        if c.checklist and checklists is not None:
            checklist = checklists.get(c.checklist_id)
            if checklist is None:
                problems.append(ContentProblem(template.path, c.line, f"Kriteriet '{c.id}' henviser til tjeklisten '{c.checklist_id}', som ikke findes."))
            elif checklist.step(c.checklist_step) is None:
                problems.append(ContentProblem(template.path, c.line, f"Tjeklisten '{c.checklist_id}' har intet trin '{c.checklist_step}' (kriteriet '{c.id}')."))
    return problems


@dataclass
class TemplateSet:
    """The bundled templates that passed validation, and the problems of the rest."""

    templates: dict[str, Template] = field(default_factory=dict)
    problems: list[ContentProblem] = field(default_factory=list)

    def get(self, template_id: str) -> Template | None:
        return self.templates.get(template_id)

    def all(self) -> list[Template]:
        return sorted(self.templates.values(), key=lambda t: (t.kind, t.title))


def load_templates(folder: Path, config: PortalConfig | None = None, anchors: dict[str, set[str]] | None = None, checklists: ChecklistSet | None = None) -> TemplateSet:
    """Every template file in folder; anchors (guideline id -> heading anchors) checks the links."""
    links = (lambda template: link_problems(template, anchors, checklists)) if anchors is not None else None
    templates, problems = load_folder(folder, lambda path: parse_template_file(path, config), links)
    return TemplateSet(templates, problems)
