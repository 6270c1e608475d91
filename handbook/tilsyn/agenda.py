"""The learning loop: "Temaer til personalemødet" picks a quarter's weakest criteria for a team
(team figures only, never a person's), links each to its guideline section and the checklist
step that supports it, and makes a printable agenda. When a criterion stays under its target
for two rounds in a row, the guideline's owner is notified: either the guideline is unclear or
practice needs training."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from handbook.content.library import Library
from handbook.content.render import guideline_url
from handbook.identity.auth import User
from handbook.publishing.notifications import notify
from handbook.publishing.ownership import owner_names
from handbook.store.database import Store
from handbook.tilsyn.figures import CriterionFigure, quarter_figures, round_figures
from handbook.tilsyn.rounds import require_lead, team_rounds

THEMES = 3


@dataclass(frozen=True)
class Theme:
    figure: CriterionFigure
    guideline_title: str
    guideline_link: str
    checklist_title: str = ""
    checklist_link: str = ""


@dataclass(frozen=True)
class Agenda:
    team: str
    quarter: str
    themes: tuple[Theme, ...]
    figures: tuple[CriterionFigure, ...]


def weakest(figures: list[CriterionFigure], limit: int = THEMES) -> list[CriterionFigure]:
    """The criteria with the lowest percentage (those under target first); a figure resting on
    too few cases is never a theme."""
    rated = [f for f in figures if f.figure.percent is not None]
    return sorted(rated, key=lambda f: (not f.under_target, f.figure.percent, f.criterion.id))[:limit]


def agenda(store: Store, user: User | None, library: Library, checklist_titles: dict[str, str], team: str, quarter: str) -> Agenda:
    """The quarter's themes for a team's staff meeting (a leader of the team or an admin)."""
    require_lead(store, user, team)
    figures = quarter_figures(store, team, quarter)
    themes = []
    for f in weakest(figures):
        c = f.criterion
        guideline = library.get(c.guideline_id)
        themes.append(Theme(
            f, guideline.title if guideline else c.guideline_id, guideline_url(c.guideline_id, c.anchor),
            checklist_titles.get(c.checklist_id, "") if c.checklist else "", f"tjekliste?id={c.checklist_id}" if c.checklist and c.checklist_id in checklist_titles else "",
        ))
    return Agenda(team, quarter, tuple(themes), tuple(f for f in figures if f.figure.cases or f.figure.ikke_relevant))


def agenda_html(item: Agenda, organisation: str) -> str:
    """The agenda as a printable HTML page (team figures only)."""
    rows = "".join(
        f"<li><strong>{escape(t.figure.criterion.question)}</strong><br>{escape(t.figure.figure.text)} – mål {t.figure.criterion.target} %."
        f"<br>Retningslinje: {escape(t.guideline_title)} ({escape(t.guideline_link)})"
        + (f"<br>Tjekliste: {escape(t.checklist_title)}" if t.checklist_title else "")
        + "<br>Drøftelse: Er retningslinjen uklar, eller skal vi træne praksis?</li>"
        for t in item.themes
    ) or "<li>Ingen kriterier med nok sager i kvartalet.</li>"
    table = "".join(f"<tr><td>{escape(f.criterion.question)}</td><td>{escape(f.figure.count_text)}</td><td>{escape(f.figure.percent_text)}</td></tr>" for f in item.figures)
    return (
        "<!doctype html><html lang='da'><head><meta charset='utf-8'>"
        f"<title>Temaer til personalemødet – {escape(item.team)} {escape(item.quarter)}</title>"
        "<style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto;line-height:1.5}td,th{border-bottom:1px solid #ccc;padding:.3rem;text-align:left}</style></head><body>"
        f"<h1>Temaer til personalemødet</h1><p>{escape(organisation)} · team {escape(item.team)} · {escape(item.quarter)}. Tendenser fra ledelsestilsynet – aldrig enkeltpersoners resultater.</p>"
        f"<h2>Dagsorden</h2><ol>{rows}</ol><h2>Alle kriterier i kvartalet</h2>"
        f"<table><tr><th>Kriterium</th><th>Sager i orden</th><th>Andel</th></tr>{table}</table></body></html>"
    )


def notify_under_target(store: Store, library: Library, team: str) -> list[str]:
    """Notify the guideline owner of every criterion under target in the team's last two rounds
    that have a percentage for it (once per criterion and latest round); returns the criterion ids."""
    history: dict[str, list[tuple[int, CriterionFigure]]] = {}
    for found in team_rounds(store, team):
        for f in round_figures(store, found):
            if f.figure.percent is not None:
                history.setdefault(f.criterion.id, []).append((found.id, f))
    flagged = []
    for criterion_id, points in history.items():
        if len(points) < 2 or not all(f.under_target for _, f in points[-2:]):
            continue
        flagged.append(criterion_id)
        latest_round, latest = points[-1]
        guideline = library.get(latest.criterion.guideline_id)
        if guideline is None:
            continue
        message = (
            f"Ledelsestilsyn, team {team}: »{latest.criterion.question}« har været under målet på {latest.criterion.target} % i to runder i træk "
            f"(senest {latest.figure.text}). Er »{guideline.title}« uklar, eller skal praksis trænes?"
        )
        notify(store, owner_names(store, guideline), "tilsyn", message, guideline_url(guideline.id, latest.criterion.anchor), guideline.id,
               key=f"tilsyn:{team}:{criterion_id}:{latest_round}")
    return flagged
