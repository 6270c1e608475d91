"""The `when` conditions and `due` rules of a checklist's steps, checked with file:line problems
(for handbook.checklists.schema), and the YAML-node helpers the two share.
"""

from __future__ import annotations

import difflib
from typing import Any

from handbook.checklists.model import Conditions, DueRule, Earliest, FirstOf, Question, Rule, Step, rule_sources
from handbook.content.guideline import ID_PATTERN
from handbook.dates.deadlines import ROLL_WORKING_DAY, DurationError, parse_duration
from handbook.yamltext import MappingNode, Node, SequenceNode

RULE_FIELDS = ("from", "within", "before", "roll", "when")
EARLIEST_FIELDS = ("earliest", "when")

def parse_when(raw: Any, line: int, questions: dict[str, Question], report, where: str) -> Conditions:
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


def parse_due(raw: Any, sid: str, line: int, node: Node | None, steps: set[str], questions: dict[str, Question], report, *, nested: str = "") -> DueRule | None:
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
            option = parse_due(item, sid, at, item_node, steps, questions, report, nested="list")
            if option is not None:
                options.append(option)
                if not option.when and always is None:
                    always = at
        return FirstOf(tuple(options), line) if len(options) == len(raw) else None
    if not isinstance(raw, dict):
        report(line, f"'due' i trinnet '{sid}' skal være {DUE_FORMS}.")
        return None
    keys = key_lines(node) if isinstance(node, MappingNode) else {}
    when = parse_when(raw.get("when"), keys.get("when", line), questions, report, f"'when' i fristen for '{sid}'") if "when" in raw else ()
    if "earliest" in raw:
        unknown_keys(raw, EARLIEST_FIELDS, keys, line, f"fristen for '{sid}' ('earliest' kan kun have 'when' ved siden af sig)", report)
        items, items_node = raw["earliest"], child_node(node, "earliest") if isinstance(node, MappingNode) else None
        at = keys.get("earliest", line)
        if not isinstance(items, list) or len(items) < 2:
            report(at, f"'earliest' i fristen for '{sid}' skal være en liste med mindst to regler, fx earliest: [{{from: start, within: \"3 måneder\"}}, {{from: slutdato, within: \"0 dage\"}}].")
            return None
        options = []
        for item, item_node in zip(items, items_node.value if isinstance(items_node, SequenceNode) else [None] * len(items)):
            option = parse_due(item, sid, item_node.start_mark.line + 1 if item_node is not None else at, item_node, steps, questions, report, nested="earliest")
            if option is not None:
                options.append(option)
        return Earliest(tuple(options), when, line) if len(options) == len(items) else None
    unknown_keys(raw, RULE_FIELDS, keys, line, f"fristen for '{sid}'", report)
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


def report_cycles(steps: list[Step], rules: dict[str, DueRule], report) -> None:
    """Steps whose deadlines count from each other in a ring can never get a deadline."""
    graph = {sid: sorted(rule_sources(rule) & set(rules) - {"start"}) for sid, rule in rules.items()}
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


def key_lines(node: MappingNode) -> dict[str, int]:
    return {str(key.value): key.start_mark.line + 1 for key, _ in node.value}


def child_node(node: MappingNode, name: str) -> Node | None:
    return next((value for key, value in node.value if key.value == name), None)


def check_header(raw: dict, lines: dict[str, int], allowed: tuple[str, ...], required: tuple[str, ...], texts: tuple[str, ...], where: str, report) -> None:
    """The fields every YAML content file shares: no unknown field, the required ones filled,
    text fields as text, the version quoted and a valid id."""
    unknown_keys(raw, allowed, lines, 1, where, report)
    for name in required:
        if raw.get(name) in (None, "", [], {}):
            report(lines.get(name, 1), f"Det obligatoriske felt '{name}' mangler eller er tomt.")
    for name in texts:
        if raw.get(name) is not None and not isinstance(raw[name], str):
            report(lines.get(name, 1), f"Feltet '{name}' skal være tekst.")
    version = raw.get("version")
    if version is not None and not isinstance(version, str):
        report(lines.get("version", 1), f"'version' skal stå i anførselstegn, fx version: \"{version}\".")
    if isinstance(raw.get("id"), str) and not ID_PATTERN.match(raw["id"]):
        report(lines.get("id", 1), f"Ugyldigt id '{raw['id']}': brug små bogstaver a-z, tal og bindestreg.")


def unknown_keys(raw: dict, allowed: tuple[str, ...], lines: dict[str, int], fallback: int, where: str, report) -> None:
    for key in raw:
        if str(key) not in allowed:
            guess = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" Mente du '{guess[0]}'?" if guess else ""
            report(lines.get(str(key), fallback), f"Ukendt felt '{key}' i {where}.{hint}")

