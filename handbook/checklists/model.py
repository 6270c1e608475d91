"""The types of a step checklist (YAML in checklists/): questions, steps, the `when` conditions
and the `due` rules, as parsed by handbook.checklists.schema.

A step's `when` is data ({question: answer}), never evaluated as code. A step's `due` is a rule
({from, within | before, roll, when}), a list of rules (the first whose `when` holds applies) or
{earliest: [...]} (the earliest of those that can be computed).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handbook.dates.deadlines import Duration

NOT_RELEVANT = "<ikke relevant>"  # stored in a run's answers for a question marked "ikke relevant"

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

    options: tuple[DueRule, ...]
    when: Conditions = ()
    line: int = 0


@dataclass(frozen=True)
class FirstOf:
    """A list of rules: the first whose `when` holds applies."""

    options: tuple[DueRule, ...]
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
    starts: str = ""  # the id of a checklist this step starts, with the same start time and reference

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
                used |= rule_conditions(step.due) | (rule_sources(step.due) & dates)
        return [q for q in self.questions if q.id in used]


def rule_conditions(rule: DueRule) -> set[str]:
    used = {qid for qid, _ in rule.when}
    for option in getattr(rule, "options", ()):
        used |= rule_conditions(option)
    return used


def rule_sources(rule: DueRule) -> set[str]:
    """Everything a rule counts from: 'start', step ids and date question ids."""
    if isinstance(rule, Rule):
        return {rule.source}
    return set().union(*(rule_sources(option) for option in rule.options))

