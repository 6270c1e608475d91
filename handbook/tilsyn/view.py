"""What the tilsyn pages show, each as one value built by one call (a page gathers input and
renders the value): the leader's rounds and corrections, one round to record, the figures of a
team, and the caseworker's own feedback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from handbook.content.library import Library
from handbook.identity.auth import User
from handbook.store.database import Store
from handbook.tilsyn import answers, feedback, figures, rounds
from handbook.tilsyn.answers import Answer, Correction
from handbook.tilsyn.figures import CriterionFigure, TrendPoint
from handbook.tilsyn.model import Criterion
from handbook.tilsyn.reference import Reference
from handbook.tilsyn.rounds import Round


@dataclass(frozen=True)
class Overview:
    teams: list[str]
    rounds: list[Round]
    corrections: list[Correction]
    overdue: int


def overview(store: Store, user: User | None, today: date) -> Overview:
    """The leader's teams, their rounds (newest first) and the open corrections."""
    mine = rounds.rounds_for(store, user)
    open_ones = [c for c in answers.corrections(store, mine) if c.status != answers.CONFIRMED]
    return Overview(rounds.leader_teams(store, user), mine, open_ones, sum(c.overdue(today) for c in open_ones))


@dataclass(frozen=True)
class CaseToReview:
    id: int
    case_ref: str
    caseworker: str
    case_type: str
    criteria: list[tuple[Criterion, Answer | None]]

    @property
    def answered(self) -> int:
        return sum(a is not None for _, a in self.criteria)


@dataclass(frozen=True)
class RoundView:
    round: Round
    pasted: int
    cases: list[CaseToReview]
    corrections: list[Correction]
    feedback: list[feedback.Feedback]
    titles: dict[str, str]

    @property
    def answered(self) -> int:
        return sum(c.answered for c in self.cases)

    @property
    def questions(self) -> int:
        return sum(len(c.criteria) for c in self.cases)


def round_view(store: Store, user: User | None, round_id: int, library: Library) -> RoundView:
    """One round for its leader: the drawn cases with the criteria that apply and their answers."""
    found = rounds.round_for_leader(store, user, round_id)
    given = answers.round_answers(store, round_id)
    all_cases = store.round_cases(round_id)
    cases = [
        CaseToReview(c["id"], c["case_ref"] or "(slettet)", c["caseworker"], c["case_type"] or "",
                     [(k, given.get((c["id"], k.id))) for k in found.template.criteria_for(c["case_type"] or "")])
        for c in all_cases if c["drawn"]
    ]
    titles = {g.id: g.title for g in library.all()}
    return RoundView(found, len(all_cases), cases, answers.corrections(store, [found]),
                     [feedback.build_feedback(store, found, name) for name in feedback.caseworkers(store, found)], titles)


@dataclass(frozen=True)
class FigureRow:
    figure: CriterionFigure
    reference: str = ""


@dataclass(frozen=True)
class TeamFigures:
    team: str
    scope: str  # a round's label or a quarter
    rows: list[FigureRow]
    trend: list[TrendPoint]
    per_caseworker: dict[str, list[CriterionFigure]]
    reference_source: str = ""


def team_figures(store: Store, user: User | None, team: str, round_id: int | None, quarter: str | None, reference: Reference | None) -> TeamFigures:
    """A team's figures for one round (with the figures per caseworker, for its leader only) or
    for a quarter, the team's trend and the reference row, if configured."""
    rounds.require_lead(store, user, team)
    per_caseworker: dict[str, list[CriterionFigure]] = {}
    if round_id is not None:
        found = rounds.get_round(store, round_id)
        if found.team != team:
            raise rounds.TilsynError("Runden hører ikke til teamet.")
        result, scope = figures.round_figures(store, found), found.label
        per_caseworker = figures.caseworker_figures(store, user, found)
    else:
        result, scope = figures.quarter_figures(store, team, quarter or ""), f"{team} · {quarter}"
    rows = []
    for f in result:
        ref = reference.get(f.criterion.id) if reference else None
        rows.append(FigureRow(f, f"{ref.figure.text}{' – ' + ref.note if ref.note else ''}" if ref else ""))
    return TeamFigures(team, scope, rows, figures.trend(store, team), per_caseworker, reference.source if reference else "")


def team_choices(store: Store, user: User | None, team: str) -> tuple[list[Round], list[str]]:
    """A team's rounds (newest first) and quarters, to choose figures from."""
    rounds.require_lead(store, user, team)
    return list(reversed(rounds.team_rounds(store, team))), figures.quarters(store, team)
