"""Step checklists (YAML in checklists/): parsing and checking with file:line problems, and
loading the bundled checklists. The types are in handbook.checklists.model, the `when` and `due`
expressions are checked by handbook.checklists.rules, and what a checklist means for a case is
computed by handbook.checklists.case.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from handbook.checklists.model import Checklist, Conditions, DueRule, Question, Rule, Step
from handbook.checklists.rules import check_header, child_node, key_lines, parse_due, parse_when, report_cycles, unknown_keys
from handbook.content.guideline import ID_PATTERN, read_content_file, yaml_mapping
from handbook.dates.deadlines import ROLL_WORKING_DAY
from handbook.problems import ContentProblem
from handbook.settings import PortalConfig
from handbook.yamltext import MappingNode, Node, SequenceNode

CHECKLIST_FIELDS = ("id", "title", "version", "guideline", "audience", "summary", "onboarding", "start", "questions", "steps", "after_hours")
REQUIRED = ("id", "title", "version", "guideline", "start", "steps")
STEP_FIELDS = ("id", "title", "phase", "help", "legal_refs", "guideline", "when", "due", "starts")
QUESTION_FIELDS = ("id", "label", "type", "options")
QUESTION_TYPES = ("bool", "choice", "date")
# Question and step ids: like guideline ids, and '_' is allowed too (the schema's own examples use it).
ITEM_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


def parse_checklist_text(text: str, path: Path, config: PortalConfig | None = None) -> tuple[Checklist | None, list[ContentProblem]]:
    """Parse and check one checklist file; every problem names its line."""
    node, raw, problems = yaml_mapping(text, path, config, "En tjekliste")
    if node is None:
        return None, problems
    lines = key_lines(node)

    def report(line: int, message: str) -> None:
        problems.append(ContentProblem(path, line, message))

    check_header(raw, lines, CHECKLIST_FIELDS, REQUIRED, ("id", "title", "guideline", "summary"), "tjeklisten", report)
    audience = raw.get("audience") or []
    if not isinstance(audience, list) or not all(isinstance(a, str) for a in audience):
        report(lines.get("audience", 1), "Feltet 'audience' skal være en liste, fx audience: [modtageteam].")
        audience = []
    elif config is not None and config.audiences:
        for value in audience:
            if value not in config.audiences:
                report(lines.get("audience", 1), f"Ukendt målgruppe '{value}'. Gyldige målgrupper: {', '.join(config.audiences)}.")
    onboarding = raw.get("onboarding", False)
    if not isinstance(onboarding, bool):
        report(lines.get("onboarding", 1), "'onboarding' skal være true eller false.")
    start = raw.get("start")
    start_label = ""
    if isinstance(start, dict) and isinstance(start.get("label"), str) and start["label"].strip():
        start_label = start["label"].strip()
    elif start is not None:
        report(lines.get("start", 1), "'start' skal have en tekst, fx start: {label: Underretning modtaget}.")

    questions = _questions(raw.get("questions"), child_node(node, "questions"), lines.get("questions", 1), report)
    steps = _steps(raw.get("steps"), child_node(node, "steps"), lines.get("steps", 1), questions, report)
    after_hours = _after_hours(raw, lines, {q.id: q for q in questions}, report)
    if problems:
        return None, problems
    if onboarding is True:  # a new employee's steps never fall due on a weekend or a holiday
        steps = [replace(step, due=working_day(step.due)) if step.due is not None else step for step in steps]
    return Checklist(
        id=raw["id"],
        title=raw["title"].strip(),
        version=raw["version"],
        guideline=raw["guideline"].strip(),
        start_label=start_label,
        steps=tuple(steps),
        questions=tuple(questions),
        audience=tuple(audience),
        summary=(raw.get("summary") or "").strip(),
        onboarding=bool(onboarding),
        after_hours=after_hours,
        path=path,
        text=text,
    ), []


def working_day(rule: DueRule) -> DueRule:
    """rule with every deadline rolled to the next working day (unless it says how to roll)."""
    if isinstance(rule, Rule):
        return rule if rule.roll else replace(rule, roll=ROLL_WORKING_DAY)
    return replace(rule, options=tuple(working_day(option) for option in rule.options))


def _after_hours(raw: dict, lines: dict[str, int], questions: dict[str, Question], report) -> Conditions | None:
    if "after_hours" not in raw:
        return None
    value, line = raw["after_hours"], lines.get("after_hours", 1)
    if value is True:
        return ()
    if not isinstance(value, dict) or set(value) - {"when"}:
        report(line, "'after_hours' skal være true eller {when: {spørgsmål: svar}}, fx after_hours: {when: {akut: true}}.")
        return None
    return parse_when(value.get("when"), line, questions, report, "'after_hours'") if value.get("when") is not None else ()


def _entries(raw: Any, node: Node | None, line: int, report, *, not_a_list: str, not_a_mapping: str, allowed: tuple[str, ...], where: str) -> Iterator[tuple[dict, int, dict[str, int], MappingNode]]:
    """Each mapping in a YAML list with its line and its keys' lines; every other shape is
    reported once, and unknown keys are reported with a hint."""
    if raw is None:
        return
    if not isinstance(raw, list) or not isinstance(node, SequenceNode):
        report(line, not_a_list)
        return
    for item, item_node in zip(raw, node.value):
        at = item_node.start_mark.line + 1
        if not isinstance(item, dict) or not isinstance(item_node, MappingNode):
            report(at, not_a_mapping)
            continue
        keys = key_lines(item_node)
        unknown_keys(item, allowed, keys, at, where, report)
        yield item, at, keys, item_node


def _questions(raw: Any, node: Node | None, line: int, report) -> list[Question]:
    questions: list[Question] = []
    entries = _entries(raw, node, line, report, not_a_list="'questions' skal være en liste af spørgsmål.",
                       not_a_mapping="Et spørgsmål skal have felterne id, label og type.", allowed=QUESTION_FIELDS, where="spørgsmålet")
    for item, at, keys, _node in entries:
        qid, label, qtype = item.get("id"), item.get("label"), item.get("type")
        if not isinstance(qid, str) or not ITEM_ID.match(qid):
            report(at, "Spørgsmålet mangler et gyldigt 'id' (små bogstaver a-z, tal, bindestreg og understreg, fx 'afgoerelse').")
            continue
        if any(q.id == qid for q in questions):
            report(at, f"Spørgsmålet '{qid}' står to gange.")
        if not isinstance(label, str) or not label.strip():
            report(at, f"Spørgsmålet '{qid}' mangler en 'label' (selve spørgsmålet).")
        if qtype not in QUESTION_TYPES:
            report(keys.get("type", at), f"Spørgsmålet '{qid}' har ukendt type '{qtype}'. Brug 'bool' (ja/nej), 'choice' (med options) eller 'date' (en dato).")
            continue
        options = item.get("options") or []
        if qtype != "choice" and "options" in item:
            report(keys.get("options", at), f"Spørgsmålet '{qid}' har typen {qtype}; 'options' bruges kun ved type: choice.")
            continue
        if qtype == "choice" and (not isinstance(options, list) or len(options) < 2 or not all(isinstance(o, str) for o in options)):
            report(keys.get("options", at), f"Spørgsmålet '{qid}' af typen choice skal have mindst to svarmuligheder i 'options'.")
            continue
        questions.append(Question(qid, str(label).strip(), qtype, tuple(options)))
    return questions


def _steps(raw: Any, node: Node | None, line: int, questions: list[Question], report) -> list[Step]:
    by_question = {q.id: q for q in questions}
    steps: list[Step] = []
    dues: list[tuple[str, Any, int, Node | None]] = []
    entries = _entries(raw, node, line, report, not_a_list="'steps' skal være en liste af trin.",
                       not_a_mapping="Et trin skal have mindst felterne id og title.", allowed=STEP_FIELDS, where="trinnet")
    for item, at, keys, item_node in entries:
        sid, title = item.get("id"), item.get("title")
        if not isinstance(sid, str) or not ITEM_ID.match(sid):
            report(keys.get("id", at), "Trinnet mangler et gyldigt 'id' (små bogstaver a-z, tal, bindestreg og understreg).")
            continue
        if any(s.id == sid for s in steps):
            report(keys.get("id", at), f"Trinnet '{sid}' står to gange; hvert trin skal have sit eget id.")
        if not isinstance(title, str) or not title.strip():
            report(at, f"Trinnet '{sid}' mangler en 'title'.")
        for name in ("phase", "help", "guideline"):
            if item.get(name) is not None and not isinstance(item[name], str):
                report(keys.get(name, at), f"Feltet '{name}' i trinnet '{sid}' skal være tekst.")
        starts = item.get("starts")
        if starts is not None and (not isinstance(starts, str) or not ID_PATTERN.match(starts)):
            report(keys.get("starts", at), f"'starts' i trinnet '{sid}' skal være id'et på en tjekliste (små bogstaver a-z, tal og bindestreg).")
            starts = None
        refs = item.get("legal_refs") or []
        if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
            report(keys.get("legal_refs", at), f"'legal_refs' i trinnet '{sid}' skal være en liste af tekster.")
            refs = []
        when = parse_when(item.get("when"), keys.get("when", at), by_question, report, f"'when' i trinnet '{sid}'")
        dues.append((sid, item.get("due"), keys.get("due", at), child_node(item_node, "due")))
        steps.append(
            Step(
                id=sid,
                title=str(title or "").strip(),
                phase=str(item.get("phase") or "").strip(),
                help=str(item.get("help") or "").strip(),
                legal_refs=tuple(refs),
                guideline=str(item.get("guideline") or "").strip(),
                when=when,
                line=at,
                starts=starts or "",
            )
        )
    step_ids = {s.id for s in steps}
    parsed = {sid: parse_due(raw_due, sid, line, due_node, step_ids, by_question, report) for sid, raw_due, line, due_node in dues if raw_due is not None}
    rules = {sid: rule for sid, rule in parsed.items() if rule is not None}
    report_cycles(steps, rules, report)
    return [replace(s, due=rules.get(s.id)) for s in steps]



def parse_checklist_file(path: Path, config: PortalConfig | None = None) -> tuple[Checklist | None, list[ContentProblem]]:
    text, problems = read_content_file(path, config)
    return parse_checklist_text(text, path, config) if text is not None else (None, problems)


def checklist_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml") and not p.name.startswith((".", "_")))


@dataclass
class ChecklistSet:
    """The bundled checklists that passed validation, and the problems of the rest."""

    checklists: dict[str, Checklist] = field(default_factory=dict)
    problems: list[ContentProblem] = field(default_factory=list)

    def get(self, checklist_id: str) -> Checklist | None:
        return self.checklists.get(checklist_id)

    def all(self) -> list[Checklist]:
        return sorted(self.checklists.values(), key=lambda c: (c.onboarding, c.title))


def load_folder(folder: Path, parse: Callable[[Path], tuple[Any, list[ContentProblem]]], links: Callable[[Any], list[ContentProblem]] | None) -> tuple[dict[str, Any], list[ContentProblem]]:
    """Every YAML file in folder parsed (checklists, tilsyn templates): the valid ones by id, and
    every problem; links (when given) checks a parsed file's links without leaving it out."""
    found: dict[str, Any] = {}
    all_problems: list[ContentProblem] = []
    for path in checklist_files(folder) if folder.exists() else []:
        item, problems = parse(path)
        if item is not None and links is not None:
            problems = links(item)
        all_problems.extend(problems)
        if item is None:
            continue
        if item.id in found:
            all_problems.append(ContentProblem(path, 1, f"Id'et '{item.id}' bruges allerede i {found[item.id].path.name}."))
            continue
        found[item.id] = item
    return found, all_problems


def load_checklists(folder: Path, config: PortalConfig | None = None, guideline_anchors: dict[str, set[str]] | None = None) -> ChecklistSet:
    """Every checklist file in folder; guideline_anchors (id -> heading anchors) checks links."""
    links = (lambda checklist: link_problems(checklist, guideline_anchors)) if guideline_anchors is not None else None
    checklists, problems = load_folder(folder, lambda path: parse_checklist_file(path, config), links)
    return ChecklistSet(checklists, problems + follow_on_problems(checklists))


def follow_on_problems(checklists: dict[str, Checklist]) -> list[ContentProblem]:
    """A step's `starts` must name another checklist that loaded."""
    problems = []
    for checklist in checklists.values():
        for step in checklist.steps:
            if not step.starts:
                continue
            if step.starts == checklist.id:
                problems.append(ContentProblem(checklist.path, step.line, f"Trinnet '{step.id}' starter sin egen tjekliste; 'starts' skal pege på en anden tjekliste."))
            elif step.starts not in checklists:
                problems.append(ContentProblem(checklist.path, step.line, f"Trinnet '{step.id}' starter tjeklisten '{step.starts}', som ikke findes (eller har fejl)."))
    return problems


def link_problems(checklist: Checklist, anchors: dict[str, set[str]]) -> list[ContentProblem]:
    problems = []
    if checklist.guideline not in anchors:
        problems.append(ContentProblem(checklist.path, _line_of(checklist.text, "guideline:"), f"Tjeklisten henviser til retningslinjen '{checklist.guideline}', som ikke findes."))
    for step in checklist.steps:
        if not step.guideline:
            continue
        if step.guideline_id not in anchors:
            problems.append(ContentProblem(checklist.path, step.line, f"Trinnet '{step.id}' linker til retningslinjen '{step.guideline_id}', som ikke findes."))
        elif step.anchor and step.anchor not in anchors[step.guideline_id]:
            known = ", ".join(sorted(anchors[step.guideline_id]))
            problems.append(ContentProblem(checklist.path, step.line, f"Afsnittet '#{step.anchor}' findes ikke i '{step.guideline_id}'. Afsnit: {known}."))
    return problems


def _line_of(text: str, prefix: str) -> int:
    return next((n for n, line in enumerate(text.splitlines(), start=1) if line.startswith(prefix)), 1)


