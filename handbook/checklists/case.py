"""A checklist applied to one case: which steps apply given the answers, each step's deadline
(from the start, from when another step was ticked, or from a date question's answer: the whole
day, its end) with the durations of handbook.dates.deadlines, and how answers, conditions and
rules read in Danish. A rule whose `from` is not known yet gives no date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from handbook.checklists.model import NOT_RELEVANT, Checklist, Conditions, DueRule, Earliest, FirstOf, Question, Rule, Step
from handbook.dates.deadlines import EARLIEST_DATE, LATEST_DATE, due_at, due_before, end_of_day, format_day


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
    # A parsed checklist's conditions name only its own questions.
    asked = [(question, value) for question, value in ((checklist.question(qid), value) for qid, value in conditions) if question is not None]
    return ", ".join(f"{question.label} {answer_label(question, value)}" for question, value in asked)


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
    question = checklist.question(source)
    return f"»{question.label.rstrip('?') if question is not None else source}«"


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
        return min(found, key=lambda d: d.moment.astimezone(UTC)) if found else None
    answer = answers.get(rule.source)
    from_date = isinstance(answer, date) and not isinstance(answer, datetime)
    if rule.source == "start":
        base = start
    elif rule.source in completed:
        base = completed[rule.source]
    elif isinstance(answer, date) and from_date:
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
