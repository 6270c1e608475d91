"""Ledelsesinformation: a criterion's compliance is Ja / (Ja + Nej), shown as "x af y sager"
and a percentage; "ikke relevant" is left out, and a figure resting on fewer than 3 cases says
"for få sager" instead of a percentage. Figures per round, team, quarter and criterion, a trend
with the first round as baseline and the criterion's target, and the exports.

Figures per caseworker are employees' personal data: only a leader of the team (or an admin)
gets them (`caseworker_figures` checks it).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

from handbook.identity.auth import User
from handbook.privacy.csvsafe import SafeWriter
from handbook.store.database import Store
from handbook.tilsyn.model import IKKE_RELEVANT, JA, NEJ, Criterion
from handbook.tilsyn.rounds import Round, require_lead, team_rounds

MIN_CASES = 3
TOO_FEW = "for få sager"


@dataclass(frozen=True)
class Figure:
    ja: int = 0
    nej: int = 0
    ikke_relevant: int = 0

    @property
    def cases(self) -> int:
        """The cases the figure rests on (ikke relevant left out)."""
        return self.ja + self.nej

    @property
    def percent(self) -> int | None:
        """Ja / (Ja + Nej) in whole percent; None under MIN_CASES cases."""
        return round(100 * self.ja / self.cases) if self.cases >= MIN_CASES else None

    @property
    def count_text(self) -> str:
        return f"{self.ja} af {self.cases} {'sag' if self.cases == 1 else 'sager'}"

    @property
    def percent_text(self) -> str:
        return TOO_FEW if self.percent is None else f"{self.percent} %"

    @property
    def text(self) -> str:
        return f"{self.count_text} ({self.percent_text})"

    def __add__(self, other: Figure) -> Figure:
        return Figure(self.ja + other.ja, self.nej + other.nej, self.ikke_relevant + other.ikke_relevant)


def count(answers: Iterable[str]) -> Figure:
    """The figure of a list of answers ('ja', 'nej', 'ikke relevant')."""
    values = list(answers)
    return Figure(values.count(JA), values.count(NEJ), values.count(IKKE_RELEVANT))


@dataclass(frozen=True)
class CriterionFigure:
    criterion: Criterion
    figure: Figure

    @property
    def under_target(self) -> bool:
        return self.figure.percent is not None and self.figure.percent < self.criterion.target


def _by_criterion(criteria: Iterable[Criterion], rows: list[dict]) -> list[CriterionFigure]:
    answers: dict[str, list[str]] = {}
    for row in rows:
        answers.setdefault(row["criterion_id"], []).append(row["answer"])
    return [CriterionFigure(c, count(answers.get(c.id, []))) for c in criteria]


def round_figures(store: Store, found: Round) -> list[CriterionFigure]:
    """One round's figure per criterion of its template."""
    return _by_criterion(found.template.criteria, store.round_answers([found.id]))


def caseworker_figures(store: Store, user: User | None, found: Round) -> dict[str, list[CriterionFigure]]:
    """One round's figures per caseworker: only for a leader of the round's team (or an admin)."""
    require_lead(store, user, found.team)
    rows = store.round_answers([found.id])
    names = sorted({row["caseworker"] for row in rows})
    return {name: _by_criterion(found.template.criteria, [r for r in rows if r["caseworker"] == name]) for name in names}


def combined_figures(store: Store, rounds: list[Round]) -> list[CriterionFigure]:
    """Several rounds' figures together, per criterion id (the newest round's wording)."""
    criteria: dict[str, Criterion] = {}
    for found in sorted(rounds, key=lambda r: (r.period, r.id)):
        criteria.update({c.id: c for c in found.template.criteria})
    return _by_criterion(criteria.values(), store.round_answers([r.id for r in rounds]))


def quarter_figures(store: Store, team: str, quarter: str) -> list[CriterionFigure]:
    """A team's figures for a quarter ('2026 K2'): every round of its periods together."""
    return combined_figures(store, [r for r in team_rounds(store, team) if r.quarter == quarter])


def quarters(store: Store, team: str) -> list[str]:
    """The quarters a team has rounds in, newest first."""
    return sorted({r.quarter for r in team_rounds(store, team)}, reverse=True)


@dataclass(frozen=True)
class TrendPoint:
    round_id: int
    period: str
    criterion_id: str
    question: str
    figure: Figure
    baseline: int | None
    target: int


def trend(store: Store, team: str) -> list[TrendPoint]:
    """Per round (oldest first) and criterion: the figure, the baseline (the criterion's first
    round with a percentage) and the target."""
    points: list[TrendPoint] = []
    baselines: dict[str, int | None] = {}
    for found in team_rounds(store, team):
        for cf in round_figures(store, found):
            if cf.figure.cases == 0 and cf.figure.ikke_relevant == 0:
                continue
            if baselines.get(cf.criterion.id) is None:
                baselines[cf.criterion.id] = cf.figure.percent
            points.append(TrendPoint(found.id, found.period, cf.criterion.id, cf.criterion.question, cf.figure, baselines[cf.criterion.id], cf.criterion.target))
    return points


# -- exports --------------------------------------------------------------------------------------

REPORT_COLUMNS = ("criterion", "area", "question", "ja", "nej", "ikke_relevant", "percent")


def report_rows(figures: list[CriterionFigure]) -> list[dict]:
    """Per criterion id the counts and the percentage (None under 3 cases), as the command line
    and the exports give them."""
    return [
        {"criterion": f.criterion.id, "area": f.criterion.area, "question": f.criterion.question, "ja": f.figure.ja, "nej": f.figure.nej,
         "ikke_relevant": f.figure.ikke_relevant, "percent": f.figure.percent}
        for f in figures
    ]


def report_csv(figures: list[CriterionFigure]) -> str:
    """Semicolon-separated, as Danish Excel opens it; cells starting with =, +, - or @ are made safe."""
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(list(REPORT_COLUMNS))
    writer.writerows([["" if row[c] is None else row[c] for c in REPORT_COLUMNS] for row in report_rows(figures)])
    return out.getvalue()


def report_excel(figures: list[CriterionFigure], sheet: str = "Tilsyn") -> bytes:
    """The same table as an Excel workbook (openpyxl through pandas)."""
    import pandas as pd

    frame = pd.DataFrame(report_rows(figures), columns=list(REPORT_COLUMNS))
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet[:31])
    return out.getvalue()


def trend_rows(points: list[TrendPoint]) -> list[dict]:
    return [
        {"round": p.round_id, "period": p.period, "criterion": p.criterion_id, "ja": p.figure.ja, "nej": p.figure.nej, "ikke_relevant": p.figure.ikke_relevant,
         "percent": p.figure.percent, "baseline": p.baseline, "target": p.target}
        for p in points
    ]
