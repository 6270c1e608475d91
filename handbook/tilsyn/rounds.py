"""Tilsyn rounds (tilsynsrunder): a template, a period, a team and a reviewer; who may run and
see them; opening a round to its caseworkers and closing it.

Who sees what: a leder runs rounds for their own teams (user administration sets the teams), an
admin for every team. A caseworker sees the cases drawn for them only once the round is opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from handbook.identity.auth import PermissionDenied, User, require
from handbook.store.database import Store, utc_now
from handbook.tilsyn.model import Template
from handbook.tilsyn.schema import TemplateSet, parse_template_text

PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
STATUS_LABELS = {"ny": "Ny – ingen sager udtrukket", "udtrukket": "Sager udtrukket", "åbnet": "Åbnet for rådgiverne", "lukket": "Lukket"}


class TilsynError(Exception):
    """Something asked of a round that cannot be done, with a Danish message for the user."""


@dataclass(frozen=True)
class Round:
    id: int
    template: Template
    period: str
    team: str
    reviewer: str
    created_by: str
    seed: int | None
    per_caseworker: int | None
    drawn_at: str | None
    opened_at: str | None
    closed_at: str | None
    purged_at: str | None

    @property
    def status(self) -> str:
        if self.closed_at:
            return "lukket"
        if self.opened_at:
            return "åbnet"
        return "udtrukket" if self.drawn_at else "ny"

    @property
    def quarter(self) -> str:
        return quarter_of(self.period)

    @property
    def label(self) -> str:
        return f"{self.template.title} · {self.team} · {self.period}"


def quarter_of(period: str) -> str:
    """'2026-05' -> '2026 K2'."""
    year, month = period.split("-")
    return f"{year} K{(int(month) - 1) // 3 + 1}"


def check_period(period: str) -> str:
    if not PERIOD.match(period.strip()):
        raise TilsynError(f"Perioden '{period}' skal skrives ÅÅÅÅ-MM, fx 2026-05.")
    return period.strip()


def leader_teams(store: Store, user: User | None) -> list[str]:
    """The teams a user may run tilsyn for: an admin every known team, a leder their own."""
    if user is None or not user.can("tilsyn"):
        return []
    return store.all_teams() if user.role == "admin" else store.teams_of(user.name)


def may_lead(store: Store, user: User | None, team: str) -> bool:
    """Whether user runs tilsyn for team (and so may see its figures per caseworker)."""
    return user is not None and user.can("tilsyn") and (user.role == "admin" or team in store.teams_of(user.name))


def require_lead(store: Store, user: User | None, team: str) -> User:
    user = require(user, "tilsyn")
    if not may_lead(store, user, team):
        raise PermissionDenied(f"Du er ikke leder for teamet '{team}'. En administrator kan tilføje dig til teamet under Brugere.")
    return user


def round_from_row(row: dict) -> Round:
    template, problems = parse_template_text(row["template_text"], _path(row))
    if template is None:  # the text passed validation when the round was made
        raise TilsynError(f"Tilsynsskemaet for runde {row['id']} kan ikke læses: {problems[0].message if problems else ''}")
    return Round(
        id=row["id"], template=template, period=row["period"], team=row["team"], reviewer=row["reviewer"], created_by=row["created_by"],
        seed=row["seed"], per_caseworker=row["per_caseworker"], drawn_at=row["drawn_at"], opened_at=row["opened_at"], closed_at=row["closed_at"], purged_at=row["purged_at"],
    )


def _path(row: dict) -> Path:
    return Path(f"tilsyn/{row['template_id']}.yaml")


def create_round(store: Store, user: User | None, templates: TemplateSet, template_id: str, period: str, team: str, reviewer: str = "") -> int:
    """A new round for team; the template's text is kept with it, so a later version of the
    template does not change a round already under way. Returns the round id."""
    team = team.strip()
    user = require_lead(store, user, team)
    template = templates.get(template_id)
    if template is None:
        raise TilsynError(f"Tilsynsskemaet '{template_id}' findes ikke. Skemaer: {', '.join(sorted(templates.templates)) or 'ingen'}.")
    if not team:
        raise TilsynError("Skriv teamet, som runden gælder.")
    return store.insert_round({
        "template_id": template.id, "template_version": template.version, "template_text": template.text, "period": check_period(period),
        "team": team, "reviewer": (reviewer or user.display_name).strip(), "created_by": user.name,
    })


def create_round_as_administrator(store: Store, templates: TemplateSet, template_id: str, period: str, team: str, reviewer: str = "") -> int:
    """The same from the command line, which runs with the server's own rights."""
    admin = User("administrator (kommandolinje)", "Administrator (kommandolinje)", "admin")
    return create_round(store, admin, templates, template_id, period, team, reviewer or "Administrator")


def get_round(store: Store, round_id: int) -> Round:
    row = store.tilsyn_round(round_id)
    if row is None:
        raise TilsynError(f"Tilsynsrunde nr. {round_id} findes ikke.")
    return round_from_row(row)


def round_for_leader(store: Store, user: User | None, round_id: int) -> Round:
    """The round, if user leads its team; PermissionDenied otherwise."""
    found = get_round(store, round_id)
    require_lead(store, user, found.team)
    return found


def rounds_for(store: Store, user: User | None) -> list[Round]:
    """The rounds of the teams user leads, newest period first."""
    teams = leader_teams(store, user)
    if user is not None and user.role == "admin":
        return [round_from_row(row) for row in store.tilsyn_rounds()]
    return [round_from_row(row) for row in store.tilsyn_rounds(teams)] if teams else []


def team_rounds(store: Store, team: str) -> list[Round]:
    """A team's rounds, oldest period first (for trends)."""
    return sorted((round_from_row(row) for row in store.tilsyn_rounds([team])), key=lambda r: (r.period, r.id))


def open_round(store: Store, user: User | None, round_id: int) -> None:
    """Show the drawn cases and the feedback to the caseworkers."""
    found = round_for_leader(store, user, round_id)
    if found.drawn_at is None:
        raise TilsynError("Træk først sagerne, før runden åbnes for rådgiverne.")
    if found.opened_at is None:
        store.update_round(round_id, {"opened_at": utc_now()})


def close_round(store: Store, user: User | None, round_id: int) -> Round:
    """Close the round (retention of its case references counts from now)."""
    found = round_for_leader(store, user, round_id)
    if found.closed_at is None:
        now = utc_now()
        store.update_round(round_id, {"closed_at": now, "opened_at": found.opened_at or now})
    return get_round(store, round_id)
