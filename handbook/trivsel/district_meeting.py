"""A distriktsmøde held on everyone's own device: the facilitator starts it and gets a short
code; logged-in participants open it and place the child blind; the facilitator sees who has
placed (not where) and reveals all placements at once; after the discussion a new round keeps
the earlier one, so the minutes show the movement. Participants are named by initials only;
the optional child reference is CPR-checked. Everything is stored (survives reloads and
restarts) and deleted after the retention, counted from the meeting's last activity.

Every change counts a new revision of the meeting (Store.meeting_revision), so an open screen
polls one integer and redraws only when something happened.
"""

from __future__ import annotations

import html
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from handbook.content.library import Library
from handbook.content.render import format_date, format_number
from handbook.identity.auth import PermissionDenied, User, require
from handbook.privacy.cpr import check_initials, ensure_no_cpr
from handbook.store.database import Store
from handbook.trivsel.meeting import Meeting, Placement, meeting
from handbook.trivsel.scale import Scale

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on a phone
CODE_LENGTH = 6
MAX_TEXT = 2000


class MeetingError(ValueError):
    """A meeting action that cannot be done now, with a Danish message."""


@dataclass(frozen=True)
class RoundPlacement:
    participant: str  # the login name (to let the same person place again); never shown
    initials: str
    value: int
    round: int


@dataclass(frozen=True)
class MeetingState:
    id: int
    code: str
    facilitator: str
    reference: str
    round: int
    revealed: bool  # the current round's placements are shown to everyone
    revision: int
    conclusion: str
    actions: str
    created: date
    closed: bool
    placements: tuple[RoundPlacement, ...]

    def in_round(self, number: int) -> list[RoundPlacement]:
        return [p for p in self.placements if p.round == number]

    def placed_initials(self) -> list[str]:
        """Who has placed in the current round (initials, in the order they placed)."""
        return [p.initials for p in self.in_round(self.round)]

    def own(self, user: User) -> RoundPlacement | None:
        return next((p for p in self.in_round(self.round) if p.participant == user.name), None)

    def revealed_rounds(self) -> list[int]:
        """The rounds whose placements everyone may see: every earlier round, and this one once revealed."""
        last = self.round if self.revealed else self.round - 1
        return [n for n in range(1, last + 1) if self.in_round(n)]


def normalise_code(code: str) -> str:
    return "".join(code.split()).upper()[:CODE_LENGTH * 2]


def start_meeting(store: Store, user: User | None, reference: str = "") -> MeetingState:
    """A new meeting with a fresh short code; the starting user facilitates it."""
    actor = require(user, "casework")
    reference = ensure_no_cpr(reference.strip(), "Referencen")[:80]
    for _ in range(10):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            meeting_id = store.insert_meeting({"code": code, "facilitator": actor.name, "reference": reference})
        except sqlite3.IntegrityError:  # the code is taken (one in a billion); draw another
            continue
        return load_meeting(store, meeting_id)
    raise MeetingError("Der kunne ikke laves en mødekode. Prøv igen.")


def load_meeting(store: Store, meeting_id: int) -> MeetingState:
    row = store.meeting_row(meeting_id)
    if row is None:
        raise MeetingError("Mødet findes ikke længere (møder slettes efter opbevaringsperioden).")
    placements = tuple(RoundPlacement(p["participant"], p["initials"], int(p["value"]), int(p["round"])) for p in store.meeting_placements(meeting_id))
    return MeetingState(
        id=int(row["id"]), code=row["code"], facilitator=row["facilitator"], reference=row["reference"] or "", round=int(row["round"]),
        revealed=bool(row["revealed"]), revision=int(row["revision"]), conclusion=row["conclusion"] or "", actions=row["actions"] or "",
        created=datetime.fromisoformat(row["created_at"]).date(), closed=bool(row["closed_at"]), placements=placements,
    )


def meeting_for_code(store: Store, user: User | None, code: str) -> MeetingState:
    """The meeting with this code, for a logged-in user; MeetingError (Danish) if there is none."""
    require(user, "casework")
    cleaned = normalise_code(code)
    meeting_id = store.meeting_id_for_code(cleaned) if cleaned else None
    if meeting_id is None:
        raise MeetingError(f"Der er intet møde med koden »{cleaned or code.strip()}«. Tjek koden, eller spørg mødelederen.")
    return load_meeting(store, meeting_id)


def my_meetings(store: Store, user: User | None) -> list[MeetingState]:
    """The meetings the user facilitated, most recently active first (to reopen one)."""
    actor = require(user, "casework")
    return [load_meeting(store, int(row["id"])) for row in store.meetings_of(actor.name)]


def default_initials(user: User) -> str:
    """The initials a participant is offered: the first letter of each part of the display name
    (the first two letters of a one-word name)."""
    parts = [part for part in user.display_name.replace("-", " ").split() if part[:1].isalpha()]
    letters = "".join(part[0] for part in parts) if len(parts) > 1 else "".join(c for c in (parts or [user.name])[0] if c.isalpha())[:2]
    return letters.upper()[:5]


def place(store: Store, user: User | None, state: MeetingState, initials: str, value: int | None, scale: Scale) -> None:
    """Place (or place again) the child in the current round, blind until the reveal."""
    actor = require(user, "casework")
    if state.closed:
        raise MeetingError("Mødet er afsluttet; der kan ikke placeres mere.")
    if state.revealed:
        raise MeetingError("Placeringerne i denne runde er vist. Mødelederen kan starte en ny runde.")
    if value is None:
        raise MeetingError("Vælg en placering på linealen.")
    scale.zone_for(value)
    initials = check_initials(initials)
    clash = next((p for p in state.in_round(state.round) if p.initials == initials and p.participant != actor.name), None)
    if clash is not None:
        raise MeetingError(f"Initialerne {initials} er allerede brugt af en anden deltager. Tilføj et bogstav.")
    store.update_meeting(state.id, {}, placement={"round": state.round, "participant": actor.name, "initials": initials, "value": int(value)})


def _facilitator(user: User | None, state: MeetingState) -> User:
    actor = require(user, "casework")
    if actor.name != state.facilitator:
        raise PermissionDenied("Kun mødelederen kan gøre det.")
    return actor


def reveal(store: Store, user: User | None, state: MeetingState) -> None:
    """Show the current round's placements on every screen."""
    _facilitator(user, state)
    if not state.in_round(state.round):
        raise MeetingError("Ingen har placeret barnet endnu.")
    store.update_meeting(state.id, {"revealed": 1})


def new_round(store: Store, user: User | None, state: MeetingState) -> None:
    """A re-placement after the discussion: a new, blind round; the earlier ones are kept."""
    _facilitator(user, state)
    if not state.revealed:
        raise MeetingError("Vis placeringerne i denne runde, før I placerer igen.")
    store.update_meeting(state.id, {"round": state.round + 1, "revealed": 0})


def record_outcome(store: Store, user: User | None, state: MeetingState, conclusion: str, actions: str) -> None:
    """The agreed conclusion and actions (no names or CPR numbers)."""
    _facilitator(user, state)
    conclusion = ensure_no_cpr(conclusion.strip(), "Konklusionen")
    actions = ensure_no_cpr(actions.strip(), "Handlingerne")
    if len(conclusion) > MAX_TEXT or len(actions) > MAX_TEXT:
        raise MeetingError(f"Konklusion og handlinger må højst være {MAX_TEXT} tegn hver.")
    store.update_meeting(state.id, {"conclusion": conclusion, "actions": actions})


def set_closed(store: Store, user: User | None, state: MeetingState, closed: bool) -> None:
    """Close the meeting (no more placements) or reopen it."""
    _facilitator(user, state)
    store.update_meeting(state.id, {"closed_at": datetime.now(UTC).isoformat() if closed else None})


def purge_meetings(store: Store, retention_days: int, now: datetime | None = None) -> int:
    """Delete meetings with no activity for the retention period; return how many."""
    limit = ((now or datetime.now(UTC)) - timedelta(days=retention_days)).astimezone(UTC).isoformat(timespec="microseconds")
    return store.delete_meetings_inactive_since(limit)


# -- what the meeting page shows --------------------------------------------------------------


@dataclass(frozen=True)
class RevealedRound:
    number: int
    shown: Meeting  # the ruler, median, spread, zone guidance and warning of this round


@dataclass(frozen=True)
class MeetingScreen:
    """Everything the meeting page shows one user."""

    state: MeetingState
    is_facilitator: bool
    own: RoundPlacement | None
    rounds: tuple[RevealedRound, ...]  # the revealed rounds, first to last
    movement: tuple[str, ...]  # "AB: 3 → 5" per participant who placed in the last two revealed rounds
    minutes: str

    @property
    def latest(self) -> RevealedRound | None:
        return self.rounds[-1] if self.rounds else None

    @property
    def minutes_file(self) -> str:
        return f"distriktsmoede-{self.state.code}-{self.state.created.isoformat()}"

    def minutes_html(self) -> str:
        return minutes_html(self.minutes, f"Distriktsmøde {format_date(self.state.created)}")


def screen(state: MeetingState, user: User, scale: Scale, library: Library) -> MeetingScreen:
    rounds = tuple(RevealedRound(n, meeting(scale, [Placement(p.initials, p.value) for p in state.in_round(n)], library, state.created)) for n in state.revealed_rounds())
    movement: tuple[str, ...] = ()
    if len(rounds) >= 2:
        before = {p.participant: p for p in state.in_round(rounds[-2].number)}
        movement = tuple(f"{p.initials}: {before[p.participant].value} → {p.value}" for p in state.in_round(rounds[-1].number) if p.participant in before)
    return MeetingScreen(state, user.name == state.facilitator, state.own(user), rounds, movement, minutes_text(state, scale, rounds, movement))


def minutes_text(state: MeetingState, scale: Scale, rounds: tuple[RevealedRound, ...], movement: tuple[str, ...]) -> str:
    """The minutes: every revealed round with its placements, median and spread, the movement
    between the last two rounds, what the zone calls for, the conclusion and the actions."""
    lines = [f"Distriktsmøde {format_date(state.created)} – Trivselslinealen", f"Mødekode: {state.code}"]
    if state.reference:
        lines.append(f"Reference: {state.reference}")
    if not rounds:
        lines.append("Placeringerne er ikke vist endnu.")
    for revealed in rounds:
        result = revealed.shown.result
        lines += ["", f"Runde {revealed.number}:"]
        lines += [f"- {p.initials}: {p.value} ({scale.zone_for(p.value).name})" for p in result.placements]
        lines.append(f"Median: {format_number(result.median)} ({result.median_zone.name}) · spredning {result.low}–{result.high}")
        if revealed.shown.warning:
            lines.append(f"Bemærk: {revealed.shown.warning}")
    if movement:
        lines += ["", f"Bevægelse fra runde {rounds[-2].number} til runde {rounds[-1].number}: " + "; ".join(movement)]
    if rounds:
        lines += ["", f"Zonen kalder på: {rounds[-1].shown.result.median_zone.action}"]
    if state.conclusion:
        lines += ["", f"Konklusion: {state.conclusion}"]
    if state.actions:
        lines += ["", "Handlinger:"] + [f"- {line.strip().lstrip('-• ').strip()}" for line in state.actions.splitlines() if line.strip()]
    return "\n".join(lines) + "\n"


def minutes_html(text: str, title: str) -> str:
    """The minutes as a stand-alone page for printing (every line escaped)."""
    body = "".join(f"<p>{html.escape(line)}</p>" if line else "" for line in text.splitlines()[1:])
    return (
        "<!doctype html><html lang='da'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;line-height:1.4}p{margin:.2rem 0}"
        "@media print{body{margin:0}}</style></head>"
        f"<body><h1>{html.escape(text.splitlines()[0])}</h1>{body}</body></html>"
    )


def join_path(code: str) -> str:
    """The portal path participants open (after logging in)."""
    return f"distriktsmoede?kode={code}"


def qr_svg(url: str) -> str:
    """The join link as a QR code (SVG), for participants to scan with their phone."""
    import segno  # imported here: only the facilitator's screen draws one

    return str(segno.make(url, error="m").svg_inline(scale=6, border=2, title="QR-kode til mødet", omitsize=False))
