"""Step checklists (YAML in checklists/): parsing with file:line problems, conditional steps and
deadlines for a case.

A step's `when` is data ({question: answer}), never evaluated as code. A step's `due` counts from
the start or from the completion of another step, with the durations of handbook.deadlines.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from handbook.content import ID_PATTERN, guard_problems, load_yaml_with_nodes, oversized
from handbook.deadlines import Duration, DurationError, due_at, parse_duration
from handbook.problems import ContentProblem, yaml_problem
from handbook.settings import PortalConfig
from handbook.yamltext import MappingNode, Node, SequenceNode, YAMLError

CHECKLIST_FIELDS = ("id", "title", "version", "guideline", "audience", "summary", "onboarding", "start", "questions", "steps")
REQUIRED = ("id", "title", "version", "guideline", "start", "steps")
STEP_FIELDS = ("id", "title", "phase", "help", "legal_refs", "guideline", "when", "due")
QUESTION_FIELDS = ("id", "label", "type", "options")
QUESTION_TYPES = ("bool", "choice")


@dataclass(frozen=True)
class Question:
    id: str
    label: str
    type: str
    options: tuple[str, ...] = ()

    @property
    def choices(self) -> list[Any]:
        """The possible answers, 'not answered' (None) first."""
        return [None, True, False] if self.type == "bool" else [None, *self.options]


@dataclass(frozen=True)
class Due:
    source: str  # "start" or a step id
    within: Duration


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    phase: str = ""
    help: str = ""
    legal_refs: tuple[str, ...] = ()
    guideline: str = ""  # "id" or "id#anchor"
    when: tuple[tuple[str, Any], ...] = ()
    due: Due | None = None
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
    path: Path = Path()
    text: str = field(default="", repr=False, compare=False)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


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
        path=path,
        text=text,
    ), []


def _entries(raw: Any, node: Node | None, line: int, report, *, not_a_list: str, not_a_mapping: str, allowed: tuple[str, ...], where: str) -> Iterator[tuple[dict, int, dict[str, int]]]:
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
        yield item, at, keys


def _questions(raw: Any, node: Node | None, line: int, report) -> list[Question]:
    questions: list[Question] = []
    entries = _entries(raw, node, line, report, not_a_list="'questions' skal være en liste af spørgsmål.",
                       not_a_mapping="Et spørgsmål skal have felterne id, label og type.", allowed=QUESTION_FIELDS, where="spørgsmålet")
    for item, at, keys in entries:
        qid, label, qtype = item.get("id"), item.get("label"), item.get("type")
        if not isinstance(qid, str) or not ID_PATTERN.match(qid):
            report(at, "Spørgsmålet mangler et gyldigt 'id' (små bogstaver og bindestreg).")
            continue
        if any(q.id == qid for q in questions):
            report(at, f"Spørgsmålet '{qid}' står to gange.")
        if not isinstance(label, str) or not label.strip():
            report(at, f"Spørgsmålet '{qid}' mangler en 'label' (selve spørgsmålet).")
        if qtype not in QUESTION_TYPES:
            report(keys.get("type", at), f"Spørgsmålet '{qid}' har ukendt type '{qtype}'. Brug 'bool' (ja/nej) eller 'choice' (med options).")
            continue
        options = item.get("options") or []
        if qtype == "choice" and (not isinstance(options, list) or len(options) < 2 or not all(isinstance(o, str) for o in options)):
            report(keys.get("options", at), f"Spørgsmålet '{qid}' af typen choice skal have mindst to svarmuligheder i 'options'.")
            continue
        questions.append(Question(qid, str(label).strip(), qtype, tuple(options)))
    return questions


def _steps(raw: Any, node: Node | None, line: int, questions: list[Question], report) -> list[Step]:
    by_question = {q.id: q for q in questions}
    steps: list[Step] = []
    entries = _entries(raw, node, line, report, not_a_list="'steps' skal være en liste af trin.",
                       not_a_mapping="Et trin skal have mindst felterne id og title.", allowed=STEP_FIELDS, where="trinnet")
    for item, at, keys in entries:
        sid, title = item.get("id"), item.get("title")
        if not isinstance(sid, str) or not ID_PATTERN.match(sid):
            report(keys.get("id", at), "Trinnet mangler et gyldigt 'id' (små bogstaver, tal og bindestreg).")
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
        when = _when(item.get("when"), sid, keys.get("when", at), by_question, report)
        due = _due(item.get("due"), sid, keys.get("due", at), steps, report)
        steps.append(
            Step(
                id=sid,
                title=str(title or "").strip(),
                phase=str(item.get("phase") or "").strip(),
                help=str(item.get("help") or "").strip(),
                legal_refs=tuple(refs),
                guideline=str(item.get("guideline") or "").strip(),
                when=when,
                due=due,
                line=at,
            )
        )
    return steps


def _when(raw: Any, sid: str, line: int, questions: dict[str, Question], report) -> tuple[tuple[str, Any], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not raw:
        report(line, f"'when' i trinnet '{sid}' skal være på formen {{spørgsmål: svar}}, fx when: {{akut: true}}.")
        return ()
    conditions = []
    for qid, answer in raw.items():
        question = questions.get(str(qid))
        if question is None:
            guess = difflib.get_close_matches(str(qid), list(questions), n=1)
            hint = f" Mente du '{guess[0]}'?" if guess else ""
            report(line, f"'when' i trinnet '{sid}' henviser til spørgsmålet '{qid}', som ikke findes.{hint}")
        elif question.type == "bool" and not isinstance(answer, bool):
            report(line, f"Spørgsmålet '{qid}' besvares med true eller false, ikke '{answer}'.")
        elif question.type == "choice" and answer not in question.options:
            report(line, f"'{answer}' er ikke en af svarmulighederne for '{qid}': {', '.join(question.options)}.")
        else:
            conditions.append((str(qid), answer))
    return tuple(conditions)


def _due(raw: Any, sid: str, line: int, earlier: list[Step], report) -> Due | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) - {"from", "within"} or "within" not in raw:
        report(line, f"'due' i trinnet '{sid}' skal være på formen {{from: start, within: \"24 timer\"}}.")
        return None
    source = str(raw.get("from", "start"))
    if source != "start" and not any(s.id == source for s in earlier):
        report(line, f"Fristen for '{sid}' regnes fra '{source}', som ikke er 'start' eller et tidligere trin.")
        return None
    try:
        return Due(source, parse_duration(str(raw["within"])))
    except DurationError as exc:
        report(line, str(exc))
        return None


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
    """How an answer reads in Danish: Ja / Nej / the chosen option / Ikke besvaret."""
    if value is None:
        return "Ikke besvaret"
    if question.type == "bool":
        return "Ja" if value else "Nej"
    return str(value)


def condition_text(checklist: Checklist, step: Step) -> str:
    """The step's condition in words, e.g. 'Er underretningen akut? Ja' ('' when it always applies)."""
    return ", ".join(f"{checklist.question(qid).label} {answer_label(checklist.question(qid), value)}" for qid, value in step.when)


def due_rule_text(checklist: Checklist, step: Step) -> str:
    """The step's deadline rule in words, e.g. 'Frist: 24 timer efter underretning modtaget'."""
    if step.due is None:
        return ""
    source = checklist.start_label.lower() if step.due.source == "start" else f"»{checklist.step(step.due.source).title}« er udført"
    return f"Frist: {step.due.within} efter {source}"


def phase_headings(steps: list[Step]) -> list[str]:
    """For each step, the phase heading to show before it ('' while the phase continues)."""
    headings, current = [], None
    for step in steps:
        headings.append(step.phase if step.phase and step.phase != current else "")
        current = step.phase or current
    return headings


def applies(step: Step, answers: dict[str, Any]) -> bool:
    """Whether a step applies given the answers so far (an unanswered condition does not hold)."""
    return all(qid in answers and answers[qid] == value for qid, value in step.when)


@dataclass(frozen=True)
class StepDue:
    step: Step
    due: datetime | None  # None: no deadline, or it counts from a step not yet done


def steps_with_deadlines(checklist: Checklist, start: datetime, answers: dict[str, Any], completed: dict[str, datetime] | None = None) -> list[StepDue]:
    """The steps that apply, in order, each with its deadline for a case started at start."""
    completed = completed or {}
    result = []
    for step in checklist.steps:
        if not applies(step, answers):
            continue
        due = None
        if step.due is not None:
            base = start if step.due.source == "start" else completed.get(step.due.source)
            due = due_at(base, step.due.within) if base is not None else None
        result.append(StepDue(step, due))
    return result


def parse_answers(text: str, checklist: Checklist) -> dict[str, Any]:
    """'akut=true,underretter=borger' -> {'akut': True, 'underretter': 'borger'}, checked against
    the checklist's questions; ValueError with a Danish message otherwise."""
    answers: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        qid, sep, value = part.partition("=")
        question = checklist.question(qid.strip())
        if not sep or question is None:
            known = ", ".join(q.id for q in checklist.questions) or "ingen"
            raise ValueError(f"Ukendt svar '{part}'. Spørgsmål i '{checklist.id}': {known}.")
        value = value.strip()
        if question.type == "bool":
            truth = {"true": True, "ja": True, "false": False, "nej": False}
            if value.casefold() not in truth:
                raise ValueError(f"'{qid}' besvares med true/false (eller ja/nej), ikke '{value}'.")
            answers[question.id] = truth[value.casefold()]
        else:
            if value not in question.options:
                raise ValueError(f"'{value}' er ikke en svarmulighed for '{qid}': {', '.join(question.options)}.")
            answers[question.id] = value
    return answers
