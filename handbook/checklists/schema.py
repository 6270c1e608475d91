"""Step checklists (YAML in checklists/): parsing with file:line problems, conditional steps and
deadlines for a case.

A step's `when` is data ({question: answer}), never evaluated as code. A step's `due` is a rule
({from, within | before, roll, when}), a list of rules (the first whose `when` holds applies) or
{earliest: [...]} (the earliest of those that can be computed). A rule counts from the start,
from when another step was ticked, or from a date question's answer (the whole day: its end),
with the durations of handbook.dates.deadlines. A rule whose `from` is not known yet gives no date.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from handbook.content.guideline import ID_PATTERN, guard_problems, load_yaml_with_nodes, oversized
from handbook.dates.deadlines import EARLIEST_DATE, LATEST_DATE, ROLL_WORKING_DAY, Duration, DurationError, due_at, due_before, end_of_day, format_day, parse_duration
from handbook.problems import ContentProblem, yaml_problem
from handbook.settings import PortalConfig
from handbook.yamltext import MappingNode, Node, SequenceNode, YAMLError

CHECKLIST_FIELDS = ("id", "title", "version", "guideline", "audience", "summary", "onboarding", "start", "questions", "steps", "after_hours")
REQUIRED = ("id", "title", "version", "guideline", "start", "steps")
STEP_FIELDS = ("id", "title", "phase", "help", "legal_refs", "guideline", "when", "due")
QUESTION_FIELDS = ("id", "label", "type", "options")
QUESTION_TYPES = ("bool", "choice", "date")
RULE_FIELDS = ("from", "within", "before", "roll", "when")
EARLIEST_FIELDS = ("earliest", "when")
NOT_RELEVANT = "<ikke relevant>"
# Question and step ids: like guideline ids, and '_' is allowed too (the schema's own examples use it).
ITEM_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")  # stored in a run's answers for a question marked "ikke relevant"


@dataclass(frozen=True)
class Question:
    id: str
    label: str
    type: str
    options: tuple[str, ...] = ()

    @property
    def choices(self) -> list[Any]:
        """The possible answers, 'not answered' (None) first (a date question has none)."""
        return [None, True, False] if self.type == "bool" else [None, *self.options]


Conditions = tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Rule:
    """{from, within | before, roll, when}: a deadline counted from one point."""

    source: str  # "start", a step id or a date question id
    within: Duration
    before: bool = False  # counted back from the source ('before'), not forward ('within')
    roll: str = ""  # "" or "hverdag"
    when: Conditions = ()
    line: int = 0


@dataclass(frozen=True)
class Earliest:
    """{earliest: [...]}: the earliest of the options that can be computed."""

    options: tuple["DueRule", ...]
    when: Conditions = ()
    line: int = 0


@dataclass(frozen=True)
class FirstOf:
    """A list of rules: the first whose `when` holds applies."""

    options: tuple["DueRule", ...]
    line: int = 0

    @property
    def when(self) -> Conditions:
        return ()


DueRule = Rule | Earliest | FirstOf


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    phase: str = ""
    help: str = ""
    legal_refs: tuple[str, ...] = ()
    guideline: str = ""  # "id" or "id#anchor"
    when: Conditions = ()
    due: DueRule | None = None
    line: int = 0

    @property
    def guideline_id(self) -> str:
        return self.guideline.partition("#")[0]

    @property
    def anchor(self) -> str:
        return self.guideline.partition("#")[2]


@dataclass(frozen=True)
class Checklist:
    id: str
    title: str
    version: str
    guideline: str
    start_label: str
    steps: tuple[Step, ...]
    questions: tuple[Question, ...] = ()
    audience: tuple[str, ...] = ()
    summary: str = ""
    onboarding: bool = False
    after_hours: Conditions | None = None  # show the after-hours guidance when these answers hold
    path: Path = Path()
    text: str = field(default="", repr=False, compare=False)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def steering_questions(self) -> list[Question]:
        """The questions whose answers switch steps or change deadlines, in order: those in a
        `when` (of a step, a rule or after_hours) and the date questions a rule counts from."""
        dates = {q.id for q in self.questions if q.type == "date"}
        used = {qid for qid, _ in self.after_hours or ()}
        for step in self.steps:
            used.update(qid for qid, _ in step.when)
            if step.due is not None:
                used |= _rule_conditions(step.due) | (_rule_sources(step.due) & dates)
        return [q for q in self.questions if q.id in used]


def _rule_conditions(rule: DueRule) -> set[str]:
    used = {qid for qid, _ in rule.when}
    for option in getattr(rule, "options", ()):
        used |= _rule_conditions(option)
    return used


def _rule_sources(rule: DueRule) -> set[str]:
    """Everything a rule counts from: 'start', step ids and date question ids."""
    if isinstance(rule, Rule):
        return {rule.source}
    return set().union(*(_rule_sources(option) for option in rule.options))


# -- parsing --------------------------------------------------------------------------------------


def parse_checklist_text(text: str, path: Path, config: PortalConfig | None = None) -> tuple[Checklist | None, list[ContentProblem]]:
    """Parse and check one checklist file; every problem names its line."""
    guarded = guard_problems(text, path, config)
    if guarded:
        return None, guarded
    try:
        node, raw = load_yaml_with_nodes(text)
    except YAMLError as exc:
        return None, [yaml_problem(path, exc, line_offset=0)]
    if not isinstance(raw, dict) or not isinstance(node, MappingNode):
        return None, [ContentProblem(path, 1, "En tjekliste skal bestå af felter på formen 'navn: værdi' (se docs/content-format.md).")]
    lines = _key_lines(node)
    problems: list[ContentProblem] = []

    def report(line: int, message: str) -> None:
        problems.append(ContentProblem(path, line, message))

    _unknown_keys(raw, CHECKLIST_FIELDS, lines, 1, "tjeklisten", report)
    for name in REQUIRED:
        if raw.get(name) in (None, "", [], {}):
            report(lines.get(name, 1), f"Det obligatoriske felt '{name}' mangler eller er tomt.")
    for name in ("id", "title", "guideline", "summary"):
        if raw.get(name) is not None and not isinstance(raw[name], str):
            report(lines.get(name, 1), f"Feltet '{name}' skal være tekst.")
    version = raw.get("version")
    if version is not None and not isinstance(version, str):
        report(lines.get("version", 1), f"'version' skal stå i anførselstegn, fx version: \"{version}\".")
    if isinstance(raw.get("id"), str) and not ID_PATTERN.match(raw["id"]):
        report(lines.get("id", 1), f"Ugyldigt id '{raw['id']}': brug små bogstaver a-z, tal og bindestreg.")
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

    questions = _questions(raw.get("questions"), _child(node, "questions"), lines.get("questions", 1), report)
    steps = _steps(raw.get("steps"), _child(node, "steps"), lines.get("steps", 1), questions, report)
    after_hours = _after_hours(raw, lines, {q.id: q for q in questions}, report)
    if problems:
        return None, problems
    return Checklist(
        id=raw["id"],
        title=raw["title"].strip(),
        version=version,
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


def _after_hours(raw: dict, lines: dict[str, int], questions: dict[str, Question], report) -> Conditions | None:
    if "after_hours" not in raw:
        return None
    value, line = raw["after_hours"], lines.get("after_hours", 1)
    if value is True:
        return ()
    if not isinstance(value, dict) or set(value) - {"when"}:
        report(line, "'after_hours' skal være true eller {when: {spørgsmål: svar}}, fx after_hours: {when: {akut: true}}.")
        return None
    return _when(value.get("when"), line, questions, report, "'after_hours'") if value.get("when") is not None else ()


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
        keys = _key_lines(item_node)
        _unknown_keys(item, allowed, keys, at, where, report)
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
        refs = item.get("legal_refs") or []
        if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
            report(keys.get("legal_refs", at), f"'legal_refs' i trinnet '{sid}' skal være en liste af tekster.")
            refs = []
        when = _when(item.get("when"), keys.get("when", at), by_question, report, f"'when' i trinnet '{sid}'")
        dues.append((sid, item.get("due"), keys.get("due", at), _child(item_node, "due")))
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
            )
        )
    step_ids = {s.id for s in steps}
    parsed = {sid: _due(raw_due, sid, line, due_node, step_ids, by_question, report) for sid, raw_due, line, due_node in dues if raw_due is not None}
    rules = {sid: rule for sid, rule in parsed.items() if rule is not None}
    _report_cycles(steps, rules, report)
    return [replace(s, due=rules.get(s.id)) for s in steps]


def _when(raw: Any, line: int, questions: dict[str, Question], report, where: str) -> Conditions:
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not raw:
        report(line, f"{where} skal være på formen {{spørgsmål: svar}}, fx when: {{akut: true}}.")
        return ()
    conditions = []
    for qid, answer in raw.items():
        question = questions.get(str(qid))
        if question is None:
            guess = difflib.get_close_matches(str(qid), list(questions), n=1)
            hint = f" Mente du '{guess[0]}'?" if guess else ""
            report(line, f"{where} henviser til spørgsmålet '{qid}', som ikke findes.{hint}")
        elif question.type == "date":
            report(line, f"{where} bruger datospørgsmålet '{qid}'; et datospørgsmål kan ikke være en betingelse – brug det i 'from'.")
        elif question.type == "bool" and not isinstance(answer, bool):
            report(line, f"Spørgsmålet '{qid}' besvares med true eller false, ikke '{answer}'.")
        elif question.type == "choice" and answer not in question.options:
            report(line, f"'{answer}' er ikke en af svarmulighederne for '{qid}': {', '.join(question.options)}.")
        else:
            conditions.append((str(qid), answer))
    return tuple(conditions)


DUE_FORMS = "en regel {from: start, within: \"24 timer\"}, en liste af regler eller {earliest: [regel, regel]}"


def _due(raw: Any, sid: str, line: int, node: Node | None, steps: set[str], questions: dict[str, Question], report, *, nested: str = "") -> DueRule | None:
    """One due expression of step sid, checked recursively; every problem names its line."""
    if isinstance(raw, list):
        if nested == "list":
            report(line, f"Fristen for '{sid}': en liste kan ikke stå direkte i en liste; brug {{earliest: [...]}} eller skriv reglerne i samme liste.")
            return None
        if not raw:
            report(line, f"Fristen for '{sid}' er en tom liste; skriv mindst én regel.")
            return None
        options, always = [], None
        for item, item_node in zip(raw, node.value if isinstance(node, SequenceNode) else [None] * len(raw)):
            at = item_node.start_mark.line + 1 if item_node is not None else line
            if always is not None:
                report(at, f"Fristen for '{sid}': reglen i linje {at} bruges aldrig, fordi reglen i linje {always} ikke har nogen 'when' og altid gælder. Sæt reglen uden 'when' sidst.")
            option = _due(item, sid, at, item_node, steps, questions, report, nested="list")
            if option is not None:
                options.append(option)
                if not option.when and always is None:
                    always = at
        return FirstOf(tuple(options), line) if len(options) == len(raw) else None
    if not isinstance(raw, dict):
        report(line, f"'due' i trinnet '{sid}' skal være {DUE_FORMS}.")
        return None
    keys = _key_lines(node) if isinstance(node, MappingNode) else {}
    when = _when(raw.get("when"), keys.get("when", line), questions, report, f"'when' i fristen for '{sid}'") if "when" in raw else ()
    if "earliest" in raw:
        _unknown_keys(raw, EARLIEST_FIELDS, keys, line, f"fristen for '{sid}' ('earliest' kan kun have 'when' ved siden af sig)", report)
        items, items_node = raw["earliest"], _child(node, "earliest") if isinstance(node, MappingNode) else None
        at = keys.get("earliest", line)
        if not isinstance(items, list) or len(items) < 2:
            report(at, f"'earliest' i fristen for '{sid}' skal være en liste med mindst to regler, fx earliest: [{{from: start, within: \"3 måneder\"}}, {{from: slutdato, within: \"0 dage\"}}].")
            return None
        options = []
        for item, item_node in zip(items, items_node.value if isinstance(items_node, SequenceNode) else [None] * len(items)):
            option = _due(item, sid, item_node.start_mark.line + 1 if item_node is not None else at, item_node, steps, questions, report, nested="earliest")
            if option is not None:
                options.append(option)
        return Earliest(tuple(options), when, line) if len(options) == len(items) else None
    _unknown_keys(raw, RULE_FIELDS, keys, line, f"fristen for '{sid}'", report)
    if set(raw) - set(RULE_FIELDS):
        return None
    has_within, has_before = "within" in raw, "before" in raw
    if has_within == has_before:
        what = "både 'within' og 'before'" if has_within else "hverken 'within' eller 'before'"
        report(line, f"Fristen for '{sid}' har {what}. Skriv én af dem, fx {{from: start, within: \"24 timer\"}} eller {{from: moede, before: \"10 hverdage\"}}.")
        return None
    text_key = "within" if has_within else "before"
    source = raw.get("from", "start")
    source_line = keys.get("from", line)
    if not isinstance(source, str) or not _source_ok(source, sid, source_line, steps, questions, report):
        if not isinstance(source, str):
            report(source_line, f"'from' i fristen for '{sid}' skal være tekst: start, et trin-id eller et datospørgsmål.")
        return None
    roll = raw.get("roll", "")
    if roll not in ("", ROLL_WORKING_DAY):
        report(keys.get("roll", line), f"'roll' i fristen for '{sid}' kan kun være '{ROLL_WORKING_DAY}' (en frist på en weekend eller helligdag flyttes til næste hverdag), ikke '{roll}'.")
        return None
    value = raw[text_key]
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        report(keys.get(text_key, line), f"'{text_key}' i fristen for '{sid}' skal være tekst, fx {text_key}: \"3 måneder\".")
        return None
    try:
        duration = parse_duration(str(value))
    except DurationError as exc:
        report(keys.get(text_key, line), f"{exc} (fristen for '{sid}')")
        return None
    return Rule(source, duration, has_before, roll, when, line)


def _source_ok(source: str, sid: str, line: int, steps: set[str], questions: dict[str, Question], report) -> bool:
    question = questions.get(source)
    if source == "start":
        return True
    if source == sid:
        report(line, f"Fristen for '{sid}' kan ikke regnes fra trinnet selv.")
        return False
    if source in steps and question is not None and question.type == "date":
        report(line, f"Fristen for '{sid}' regnes fra '{source}', som både er et trin og et datospørgsmål. Giv dem forskellige id'er.")
        return False
    if source in steps:
        return True
    if question is not None and question.type != "date":
        report(line, f"Fristen for '{sid}' regnes fra '{source}', som er et spørgsmål af typen {question.type}. En frist kan kun regnes fra start, et trin eller et datospørgsmål (type: date).")
        return False
    if question is None:
        known = ["start", *sorted(steps), *sorted(q.id for q in questions.values() if q.type == "date")]
        guess = difflib.get_close_matches(source, known, n=1)
        hint = f" Mente du '{guess[0]}'?" if guess else ""
        report(line, f"Fristen for '{sid}' regnes fra '{source}', som hverken er 'start', et trin eller et datospørgsmål i tjeklisten.{hint}")
        return False
    return True


def _report_cycles(steps: list[Step], rules: dict[str, DueRule], report) -> None:
    """Steps whose deadlines count from each other in a ring can never get a deadline."""
    graph = {sid: sorted(_rule_sources(rule) & set(rules) - {"start"}) for sid, rule in rules.items()}
    lines = {s.id: s.line for s in steps}
    reported: set[frozenset[str]] = set()

    def visit(sid: str, path: list[str]) -> None:
        for target in graph.get(sid, []):
            if target in path:
                ring = path[path.index(target):]
                if frozenset(ring) not in reported:
                    reported.add(frozenset(ring))
                    chain = " → ".join([*ring, target])
                    report(lines.get(ring[0], 1), f"Fristerne regnes fra hinanden i ring: {chain}. Ingen af trinnene kan få en frist; lad mindst ét af dem regne fra start eller et datospørgsmål.")
            elif len(path) < len(graph) + 1:
                visit(target, [*path, target])

    for sid in graph:
        visit(sid, [sid])


def _key_lines(node: MappingNode) -> dict[str, int]:
    return {str(key.value): key.start_mark.line + 1 for key, _ in node.value}


def _child(node: MappingNode, name: str) -> Node | None:
    return next((value for key, value in node.value if key.value == name), None)


def _unknown_keys(raw: dict, allowed: tuple[str, ...], lines: dict[str, int], fallback: int, where: str, report) -> None:
    for key in raw:
        if str(key) not in allowed:
            guess = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" Mente du '{guess[0]}'?" if guess else ""
            report(lines.get(str(key), fallback), f"Ukendt felt '{key}' i {where}.{hint}")


def parse_checklist_file(path: Path, config: PortalConfig | None = None) -> tuple[Checklist | None, list[ContentProblem]]:
    too_large = oversized(path, config)
    if too_large is not None:
        return None, [too_large]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [ContentProblem(path, 1, "Filen er ikke gemt som UTF-8; gem den igen med tegnsæt UTF-8.")]
    except OSError as exc:
        return None, [ContentProblem(path, 1, f"Filen kan ikke læses: {exc.strerror}")]
    return parse_checklist_text(text, path, config)


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


def load_checklists(folder: Path, config: PortalConfig | None = None, guideline_anchors: dict[str, set[str]] | None = None) -> ChecklistSet:
    """Every checklist file in folder; guideline_anchors (id -> heading anchors) checks links."""
    result = ChecklistSet()
    for path in checklist_files(folder) if folder.exists() else []:
        checklist, problems = parse_checklist_file(path, config)
        if checklist is not None and guideline_anchors is not None:
            problems = link_problems(checklist, guideline_anchors)
        result.problems.extend(problems)
        if checklist is None:
            continue
        if checklist.id in result.checklists:
            result.problems.append(ContentProblem(path, 1, f"Id'et '{checklist.id}' bruges allerede i {result.checklists[checklist.id].path.name}."))
            continue
        result.checklists[checklist.id] = checklist
    return result


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


# -- a case ---------------------------------------------------------------------------------------


def answer_label(question: Question, value: Any) -> str:
    """How an answer reads in Danish: Ja / Nej / the chosen option / a date / Ikke besvaret / Ikke relevant."""
    if value is None:
        return "Ikke besvaret"
    if value == NOT_RELEVANT:
        return "Ikke relevant"
    if question.type == "bool":
        return "Ja" if value else "Nej"
    if question.type == "date" and isinstance(value, date):
        return format_day(value)
    return str(value)


def _conditions_text(checklist: Checklist, conditions: Conditions) -> str:
    return ", ".join(f"{checklist.question(qid).label} {answer_label(checklist.question(qid), value)}" for qid, value in conditions)


def condition_text(checklist: Checklist, step: Step) -> str:
    """The step's condition in words, e.g. 'Er underretningen akut? Ja' ('' when it always applies)."""
    return _conditions_text(checklist, step.when)


def source_text(checklist: Checklist, source: str) -> str:
    """Where a rule counts from, in words."""
    if source == "start":
        return checklist.start_label[:1].lower() + checklist.start_label[1:]
    step = checklist.step(source)
    if step is not None:
        return f"»{step.title}« er udført"
    return f"»{checklist.question(source).label.rstrip('?')}«"


def rule_text(checklist: Checklist, rule: DueRule) -> str:
    """A deadline rule in words, e.g. '24 timer efter underretning modtaget'."""
    condition = f" (når {_conditions_text(checklist, rule.when)})" if rule.when else ""
    if isinstance(rule, Rule):
        roll = ", på en weekend eller helligdag flyttet til hverdagen " + ("før" if rule.before else "efter") if rule.roll else ""
        return f"{rule.within} {'før' if rule.before else 'efter'} {source_text(checklist, rule.source)}{roll}{condition}"
    if isinstance(rule, Earliest):
        return "det tidligste af: " + "; ".join(rule_text(checklist, o) for o in rule.options) + condition
    return "; ellers ".join(rule_text(checklist, o) for o in rule.options)


def due_rule_text(checklist: Checklist, step: Step) -> str:
    """The step's deadline rule in words, e.g. 'Frist: 24 timer efter underretning modtaget'."""
    return f"Frist: {rule_text(checklist, step.due)}" if step.due is not None else ""


def phase_headings(steps: list[Step]) -> list[str]:
    """For each step, the phase heading to show before it ('' while the phase continues)."""
    headings, current = [], None
    for step in steps:
        headings.append(step.phase if step.phase and step.phase != current else "")
        current = step.phase or current
    return headings


def holds(conditions: Conditions, answers: dict[str, Any]) -> bool:
    """Whether every condition holds (an unanswered or 'ikke relevant' question does not)."""
    return all(qid in answers and answers[qid] == value for qid, value in conditions)


def applies(step: Step, answers: dict[str, Any]) -> bool:
    """Whether a step applies given the answers so far (an unanswered condition does not hold)."""
    return holds(step.when, answers)


@dataclass(frozen=True)
class Deadline:
    moment: datetime
    all_day: bool  # counted from a date in whole days: the day is what matters, not the time


def compute_due(rule: DueRule, start: datetime, answers: dict[str, Any], completed: dict[str, datetime]) -> Deadline | None:
    """The deadline a rule gives, or None when it does not apply or counts from something not
    known yet (a step not ticked, a date question not answered)."""
    if isinstance(rule, FirstOf):
        chosen = next((o for o in rule.options if holds(o.when, answers)), None)
        return compute_due(chosen, start, answers, completed) if chosen is not None else None
    if not holds(rule.when, answers):
        return None
    if isinstance(rule, Earliest):
        found = [d for d in (compute_due(o, start, answers, completed) for o in rule.options) if d is not None]
        return min(found, key=lambda d: d.moment.astimezone(timezone.utc)) if found else None
    answer = answers.get(rule.source)
    from_date = isinstance(answer, date) and not isinstance(answer, datetime)
    if rule.source == "start":
        base = start
    elif rule.source in completed:
        base = completed[rule.source]
    elif from_date:
        base = end_of_day(answer)
    else:
        return None
    moment = (due_before if rule.before else due_at)(base, rule.within, rule.roll)
    return Deadline(moment, from_date and not rule.within.has_hours)


@dataclass(frozen=True)
class StepDue:
    step: Step
    due: datetime | None  # None: no deadline, or it counts from something not known yet
    all_day: bool = False


def steps_with_deadlines(checklist: Checklist, start: datetime, answers: dict[str, Any], completed: dict[str, datetime] | None = None) -> list[StepDue]:
    """The steps that apply, in order, each with its deadline for a case started at start."""
    completed = completed or {}
    result = []
    for step in checklist.steps:
        if not applies(step, answers):
            continue
        deadline = compute_due(step.due, start, answers, completed) if step.due is not None else None
        result.append(StepDue(step, deadline.moment if deadline else None, deadline.all_day if deadline else False))
    return result


def parse_date_answer(value: str, question: Question) -> date:
    """'2027-02-10' (or '10.02.2027') -> a date; ValueError with a Danish message otherwise."""
    text = value.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            day = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise ValueError(f"Datoen for '{question.id}' skal ligge mellem {EARLIEST_DATE.year} og {LATEST_DATE.year}, ikke '{value}'.")
        return day
    raise ValueError(f"'{question.id}' er et datospørgsmål; skriv datoen som ÅÅÅÅ-MM-DD, fx {question.id}=2027-02-10, ikke '{value}'.")


def decode_answers(checklist: Checklist, stored: dict[str, Any]) -> dict[str, Any]:
    """Answers as stored (JSON: dates as text) -> answers to compute with (dates as date)."""
    decoded = {}
    for qid, value in stored.items():
        question = checklist.question(qid)
        if question is not None and question.type == "date" and isinstance(value, str) and value != NOT_RELEVANT:
            value = date.fromisoformat(value)
        decoded[qid] = value
    return decoded


def encode_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """Answers to store as JSON (dates as ISO text)."""
    return {qid: value.isoformat() if isinstance(value, date) else value for qid, value in answers.items()}


def parse_answers(text: str, checklist: Checklist) -> dict[str, Any]:
    """'akut=true,underretter=borger,afgoerelse=2027-02-10' -> {'akut': True, 'underretter':
    'borger', 'afgoerelse': date(2027, 2, 10)}, checked against the checklist's questions;
    ValueError with a Danish message otherwise."""
    answers: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        qid, sep, value = part.partition("=")
        question = checklist.question(qid.strip())
        if not sep or question is None:
            known = ", ".join(q.id for q in checklist.questions) or "ingen"
            raise ValueError(f"Ukendt svar '{part}'. Spørgsmål i '{checklist.id}': {known}.")
        value = value.strip()
        if value.casefold() in ("ikke-relevant", "ikke relevant"):
            answers[question.id] = NOT_RELEVANT
        elif question.type == "bool":
            truth = {"true": True, "ja": True, "false": False, "nej": False}
            if value.casefold() not in truth:
                raise ValueError(f"'{qid}' besvares med true/false (eller ja/nej), ikke '{value}'.")
            answers[question.id] = truth[value.casefold()]
        elif question.type == "date":
            answers[question.id] = parse_date_answer(value, question)
        else:
            if value not in question.options:
                raise ValueError(f"'{value}' er ikke en svarmulighed for '{qid}': {', '.join(question.options)}.")
            answers[question.id] = value
    return answers
