"""The random draw of a round's cases: the leader pastes the team's active case references per
caseworker (the case system's case numbers, never CPR numbers), and the portal draws N per
caseworker with a recorded seed, so anyone can repeat the draw and see that it was random.

The pasted list is read like a CSV file with the columns caseworker, case_ref, case_type
(header optional, comma or semicolon); an empty case_type means every criterion applies.
"""

from __future__ import annotations

import csv
import io
import random
import secrets
from dataclasses import dataclass

from handbook.identity.auth import User
from handbook.privacy.cpr import contains_cpr
from handbook.store.database import Store, utc_now
from handbook.tilsyn.model import Template
from handbook.tilsyn.rounds import TilsynError, round_for_leader

DEFAULT_PER_CASEWORKER = 3  # the guideline: 3 cases per caseworker
MAX_SEED = 2**31
MAX_LINES = 5_000
COLUMNS = ("caseworker", "case_ref", "case_type")


@dataclass(frozen=True)
class CaseLine:
    caseworker: str
    case_ref: str
    case_type: str = ""
    line: int = 0


class CaseListError(TilsynError):
    """A pasted or imported case list with problems; every problem names its line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def parse_case_list(text: str, template: Template | None = None) -> list[CaseLine]:
    """The cases of a pasted list or CSV file; CaseListError lists every bad line (a CPR-like
    number, a missing field, a case number twice, a case type the template does not know)."""
    lines = [line for line in text.splitlines()]
    if len(lines) > MAX_LINES:
        raise CaseListError([f"Listen har {len(lines)} linjer; højst {MAX_LINES} kan indsættes ad gangen."])
    problems: list[str] = []
    cases: list[CaseLine] = []
    seen: dict[str, int] = {}
    known_types = set(template.case_types) if template is not None else set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if contains_cpr(line):
            problems.append(f"Linje {number}: ser ud til at indeholde et CPR-nummer. Brug sagsnummeret fra fagsystemet – aldrig CPR-numre.")
            continue
        fields = [f.strip() for f in next(csv.reader(io.StringIO(line), delimiter=";" if ";" in line else ","))]
        if number == 1 and [f.lower() for f in fields[:2]] == list(COLUMNS[:2]):
            continue  # the header
        if len(fields) < 2 or not fields[0] or not fields[1]:
            problems.append(f"Linje {number}: skriv rådgiver og sagsnummer adskilt af komma, fx 'mette, 2026-0413'.")
            continue
        if len(fields) > 3:
            problems.append(f"Linje {number}: for mange felter; brug rådgiver, sagsnummer og eventuelt sagstype.")
            continue
        caseworker, case_ref, case_type = fields[0], fields[1], (fields[2] if len(fields) == 3 else "")
        if len(case_ref) > 60 or len(caseworker) > 64:
            problems.append(f"Linje {number}: rådgiver eller sagsnummer er for langt.")
            continue
        if case_type and template is not None and case_type not in known_types:
            problems.append(f"Linje {number}: ukendt sagstype '{case_type}'. Skemaet '{template.title}' kender: {', '.join(template.case_types) or 'ingen (lad feltet stå tomt)'}.")
            continue
        if case_ref in seen:
            problems.append(f"Linje {number}: sagsnummeret '{case_ref}' står også i linje {seen[case_ref]}.")
            continue
        seen[case_ref] = number
        cases.append(CaseLine(caseworker, case_ref, case_type, number))
    if problems:
        raise CaseListError(problems)
    if not cases:
        raise CaseListError(["Listen er tom: indsæt mindst én linje med rådgiver og sagsnummer."])
    return cases


def draw(cases: list[CaseLine], per_caseworker: int, seed: int) -> list[CaseLine]:
    """At most per_caseworker cases for each caseworker, drawn at random from seed; the same
    list, number and seed always give the same draw (in the list's order)."""
    rng = random.Random(seed)
    by_caseworker: dict[str, list[CaseLine]] = {}
    for case in cases:
        by_caseworker.setdefault(case.caseworker, []).append(case)
    drawn: set[str] = set()
    for caseworker in sorted(by_caseworker):
        pool = by_caseworker[caseworker]
        drawn.update(c.case_ref for c in rng.sample(pool, min(per_caseworker, len(pool))))
    return [c for c in cases if c.case_ref in drawn]


def new_seed() -> int:
    return secrets.randbelow(MAX_SEED)


def sample_round(store: Store, user: User | None, round_id: int, text: str, per_caseworker: int = DEFAULT_PER_CASEWORKER, seed: int | None = None) -> list[CaseLine]:
    """Read the pasted cases, draw per_caseworker per caseworker and record the list, the draw
    and the seed with the round (once: a round is drawn only one time). Returns the drawn cases."""
    found = round_for_leader(store, user, round_id)
    if found.drawn_at is not None:
        raise TilsynError("Sagerne til runden er allerede trukket. Lodtrækningen kan ikke gentages; opret en ny runde, hvis listen var forkert.")
    if not 1 <= per_caseworker <= 20:
        raise TilsynError("Antal sager pr. rådgiver skal være mellem 1 og 20.")
    if seed is not None and not 0 <= seed < MAX_SEED:
        raise TilsynError(f"Frøet skal være et helt tal fra 0 til {MAX_SEED - 1}.")
    cases = parse_case_list(text, found.template)
    seed = new_seed() if seed is None else seed
    drawn = {c.case_ref for c in draw(cases, per_caseworker, seed)}
    rows = [{"caseworker": c.caseworker, "case_ref": c.case_ref, "case_type": c.case_type, "drawn": int(c.case_ref in drawn)} for c in cases]
    try:
        store.insert_cases(round_id, rows, {"seed": seed, "per_caseworker": per_caseworker, "drawn_at": utc_now()})
    except ValueError:
        raise TilsynError("Sagerne til runden er allerede trukket.") from None
    return [c for c in cases if c.case_ref in drawn]
