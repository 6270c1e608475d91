"""The types of a tilsyn template (YAML in tilsyn/): criteria grouped in areas, as parsed by
handbook.tilsyn.schema, and the answers a reviewer gives."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("generelt", "tematisk")
DEFAULT_TARGET = 80  # percent, when a criterion names none (the department's usual target)
# The three answers, as stored and as the import file and the command line spell them.
JA, NEJ, IKKE_RELEVANT = "ja", "nej", "ikke relevant"
ANSWERS = (JA, NEJ, IKKE_RELEVANT)
ANSWER_LABELS = {JA: "Ja", NEJ: "Nej", IKKE_RELEVANT: "Ikke relevant"}


@dataclass(frozen=True)
class Criterion:
    id: str
    area: str
    question: str
    legal_ref: str
    guideline: str  # "id#anchor": the section that sets the requirement
    checklist: str = ""  # "checklist-id#step-id" (optional): the step that supports it
    case_types: tuple[str, ...] = ()  # empty: every case type
    not_relevant_allowed: bool = True
    target: int = DEFAULT_TARGET
    line: int = 0

    @property
    def guideline_id(self) -> str:
        return self.guideline.partition("#")[0]

    @property
    def anchor(self) -> str:
        return self.guideline.partition("#")[2]

    @property
    def checklist_id(self) -> str:
        return self.checklist.partition("#")[0]

    @property
    def checklist_step(self) -> str:
        return self.checklist.partition("#")[2]

    def applies_to(self, case_type: str) -> bool:
        """Whether a case of this type is checked on this criterion (no type: every criterion)."""
        return not case_type or not self.case_types or case_type in self.case_types


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    version: str
    kind: str
    criteria: tuple[Criterion, ...]
    case_types: tuple[str, ...] = ()
    summary: str = ""
    path: Path = Path()
    text: str = field(default="", repr=False, compare=False)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def areas(self) -> list[str]:
        return list(dict.fromkeys(c.area for c in self.criteria))

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    def criteria_for(self, case_type: str) -> list[Criterion]:
        return [c for c in self.criteria if c.applies_to(case_type)]
