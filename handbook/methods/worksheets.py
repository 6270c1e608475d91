"""Method worksheets: Signs of Safety mapping, the ICS worksheet for the børnefaglig undersøgelse
and De tre huse for a børnesamtale. Every text is refused if it contains a CPR number; a worksheet
is only stored when the user saves it under a reference. Exports are Markdown (which reads as
plain text in the journal) and a printable HTML page.
"""

from __future__ import annotations

import html
import json
import statistics
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta

from handbook.content.render import format_date, format_number, render_body
from handbook.identity.auth import User, require
from handbook.privacy.cpr import check_initials, ensure_no_cpr
from handbook.store.database import Store, utc_now

SOS_COLUMNS = ("Hvad bekymrer os?", "Hvad fungerer godt?", "Hvad skal der ske?")
SOS_SCALE = (0, 10)
SOS_SCALE_MEANING = "0 = situationen er så alvorlig, at barnet må anbringes uden for hjemmet · 10 = alle er enige om, at barnet er sikkert nok til, at sagen kan lukkes"
HOUSES = (
    ("Bekymringernes hus", "det, der er svært"),
    ("Det godes hus", "det, der fungerer"),
    ("Drømmenes hus", "hvordan det ville være, hvis problemerne var løst"),
)

# The simplified ICS triangle (2019): ten dimensions. The four under Barnets udvikling are the
# official names; the names under the two other sides are the department's working names for the
# three dimensions each (DOMAIN.md: verify against "Håndbog om ICS og udredningsværktøjet").
ICS_SIDES: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Barnets udvikling",
        (
            ("Sundhedsforhold", "Fysisk og psykisk helbred, udvikling i forhold til alder, søvn, kost, tandsundhed, kontakt til læge og sundhedspleje."),
            ("Udvikling og adfærd", "Sproglig, motorisk, følelsesmæssig og social udvikling; adfærd hjemme og ude; barnets egne ord om, hvordan det har det."),
            ("Dagtilbud, skoleforhold og læring", "Fremmøde, trivsel og læring i dagtilbud eller skole; samarbejde mellem hjem og skole; PPR."),
            ("Fritidsforhold og venskaber", "Fritidsaktiviteter, venner, relationer til jævnaldrende, digitalt liv."),
        ),
    ),
    (
        "Forældrekompetencer",
        (
            ("Trygt omsorgsmiljø", "Grundlæggende omsorg og sikkerhed: mad, hygiejne, tilsyn, beskyttelse mod vold, overgreb og omsorgssvigt."),
            ("Følelsesmæssig kontakt, guidning og grænser", "Varme og kontakt, forståelse af barnets behov, støtte, guidning og alderssvarende grænser."),
            ("Stabilitet i hverdagen", "Forudsigelig hverdag og stabile relationer; forældrenes egne udfordringer (misbrug, psykisk sygdom, konflikter) og betydningen for barnet."),
        ),
    ),
    (
        "Familie og netværk",
        (
            ("Familiens historie og relationer", "Familiens historie, søskende, samvær, konflikter og betydningsfulde voksne."),
            ("Netværk", "Det private netværk: familie, venner, naboer – hvem kan hjælpe, og hvordan?"),
            ("Familiens ydre rammer", "Bolig, økonomi, tilknytning til arbejde og uddannelse, og familiens tilknytning til lokalsamfundet."),
        ),
    ),
)
ICS_DIMENSIONS = tuple(f"{side} – {name}" for side, dimensions in ICS_SIDES for name, _ in dimensions)
# What Barnets lov asks the undersøgelse to cover (a helhedsbetragtning, § 22) and to include.
ICS_COVERAGE: tuple[tuple[str, str], ...] = (
    ("barn", "Barnets udfordringer og ressourcer (Barnets lov § 22)"),
    ("familie", "Familiens udfordringer og ressourcer (Barnets lov § 22)"),
    ("netvaerk", "Netværkets udfordringer og ressourcer (Barnets lov § 22)"),
    ("fagpersoner", "Oplysninger fra fagpersoner, der kender barnet – dagtilbud, skole, sundhedspleje, PPR, læge (Barnets lov § 22)"),
    ("boernesamtale", "Barnets egne synspunkter fra en børnesamtale før afgørelsen (Barnets lov § 5, stk. 3)"),
)
FUNNEL = (
    ("Bekymring", "Hvad er set eller hørt, af hvem, hvor ofte og siden hvornår – og hvad fungerer?"),
    ("Hypotesedannelse", "Få faglige hypoteser om, hvad der ligger bag – og mindst én alternativ forklaring."),
    ("Tragtning", "De dimensioner og de personer, der skal belyse hypoteserne; fravalg begrundes."),
)
COMBINATION = """\
**ICS er rammen, SOS er samtalen.** ICS-trekanten og tragtmodellen strukturerer hele sagen – fra
screening og afdækning til den børnefaglige undersøgelse, målene i barnets plan og opfølgningen.
Signs of Safety bruger vi, når vi taler med barnet, forældrene og netværket:

- **Børnesamtalen:** De tre huse og et skalaspørgsmål tilpasset barnets alder – barnets egne ord
  skrives ind i de relevante ICS-dimensioner.
- **Netværksmødet:** kortlægning i tre kolonner, skalering 0–10, farebeskrivelse og
  sikkerhedsmål. Sikkerhedsmålet bliver til målbare mål i barnets plan, knyttet til den
  ICS-dimension, de handler om.
- **Analysen** skrives altid i ICS-sprog med din egen faglige vurdering; SOS erstatter den ikke.
"""


class WorksheetError(ValueError):
    """Something in a worksheet that cannot be used, with a Danish message."""


def _text(value: str, label: str) -> str:
    return ensure_no_cpr(value.strip(), label)


def _add(groups: dict[str, list[str]], group: str, text: str) -> None:
    """Append a CPR-checked, non-empty item to one of a worksheet's lists."""
    if group not in groups:
        raise WorksheetError(f"Ukendt felt '{group}'.")
    item = _text(text, f"Punktet i »{group}«")
    if not item:
        raise WorksheetError("Skriv punktet, før du tilføjer det.")
    groups[group].append(item)


def _initials(value: str) -> str:
    try:
        return check_initials(value)
    except ValueError as exc:
        raise WorksheetError(str(exc)) from None


# -- Signs of Safety --------------------------------------------------------------------------------


@dataclass
class SosWorksheet:
    """The three columns, danger statement, safety goal and each participant's 0-10 scaling."""

    columns: dict[str, list[str]] = field(default_factory=lambda: {c: [] for c in SOS_COLUMNS})
    danger_statement: str = ""
    safety_goal: str = ""
    scalings: list[tuple[str, int]] = field(default_factory=list)
    reference: str = ""

    def add_item(self, column: str, text: str) -> None:
        _add(self.columns, column, text)

    def remove_item(self, column: str, index: int) -> None:
        del self.columns[column][index]

    def set_statements(self, danger_statement: str, safety_goal: str) -> None:
        self.danger_statement = _text(danger_statement, "Farebeskrivelsen")
        self.safety_goal = _text(safety_goal, "Sikkerhedsmålet")

    def add_scaling(self, initials: str, value: int) -> None:
        low, high = SOS_SCALE
        if not isinstance(value, int) or not low <= value <= high:
            raise WorksheetError(f"Skalaen går fra {low} til {high}.")
        self.scalings.append((_initials(initials), value))

    def scaling_summary(self) -> str:
        if not self.scalings:
            return ""
        values = [v for _, v in self.scalings]
        return f"Median {format_number(statistics.median(values))}; spredning {min(values)}–{max(values)}"


def sos_markdown(sheet: SosWorksheet, day: date) -> str:
    """The mapping as Markdown for the journal (reads as plain text too)."""
    lines = ["# Signs of Safety – kortlægning", ""]
    lines += _header(sheet.reference, day)
    for column in SOS_COLUMNS:
        lines += [f"## {column}", ""]
        lines += [f"- {item}" for item in sheet.columns.get(column, [])] or ["- (intet skrevet)"]
        lines.append("")
    lines += ["## Farebeskrivelse", "", sheet.danger_statement or "(ikke formuleret)", ""]
    lines += ["## Sikkerhedsmål", "", sheet.safety_goal or "(ikke formuleret)", ""]
    lines += [f"## Skalering ({SOS_SCALE[0]}–{SOS_SCALE[1]})", "", SOS_SCALE_MEANING, ""]
    lines += [f"- {initials}: {value}" for initials, value in sheet.scalings] or ["- (ingen skalering)"]
    if sheet.scalings:
        lines += ["", sheet.scaling_summary()]
    return "\n".join(lines).rstrip() + "\n"


# -- ICS worksheet --------------------------------------------------------------------------------------


@dataclass
class IcsWorksheet:
    """Notes per ICS dimension and the coverage check for the børnefaglig undersøgelse."""

    notes: dict[str, str] = field(default_factory=dict)
    coverage: dict[str, bool] = field(default_factory=dict)
    reference: str = ""

    def set_note(self, dimension: str, text: str) -> None:
        if dimension not in ICS_DIMENSIONS:
            raise WorksheetError(f"Ukendt dimension '{dimension}'.")
        self.notes[dimension] = _text(text, f"Noten til »{dimension}«")

    def missing_coverage(self) -> list[str]:
        return [label for key, label in ICS_COVERAGE if not self.coverage.get(key)]

    def coverage_status(self) -> tuple[bool, str]:
        """Whether the undersøgelse covers every area the law requires, and what is missing."""
        missing = self.missing_coverage()
        if missing:
            return False, f"Mangler {len(missing)} af {len(ICS_COVERAGE)}: " + "; ".join(missing)
        return True, "Alle områder er belyst."


def ics_markdown(sheet: IcsWorksheet, day: date) -> str:
    lines = ["# ICS – børnefaglig undersøgelse", ""]
    lines += _header(sheet.reference, day)
    for side, dimensions in ICS_SIDES:
        lines += [f"## {side}", ""]
        for name, _ in dimensions:
            note = sheet.notes.get(f"{side} – {name}", "").strip()
            lines += [f"### {name}", "", note or "(ikke belyst)", ""]
    lines += ["## Dækning af lovens krav", ""]
    lines += [f"- [{'x' if sheet.coverage.get(key) else ' '}] {label}" for key, label in ICS_COVERAGE]
    missing = sheet.missing_coverage()
    lines += ["", f"Mangler: {len(missing)} af {len(ICS_COVERAGE)} områder." if missing else "Alle områder er belyst."]
    return "\n".join(lines).rstrip() + "\n"


# -- De tre huse ------------------------------------------------------------------------------------------


@dataclass
class ThreeHouses:
    houses: dict[str, list[str]] = field(default_factory=lambda: {name: [] for name, _ in HOUSES})
    shared_with_parents: bool = False
    reference: str = ""

    def add_item(self, house: str, text: str) -> None:
        _add(self.houses, house, text)

    def remove_item(self, house: str, index: int) -> None:
        del self.houses[house][index]


def three_houses_markdown(sheet: ThreeHouses, day: date) -> str:
    lines = ["# De tre huse – børnesamtale", ""]
    lines += _header(sheet.reference, day)
    lines += ["Barnets egne ord.", ""]
    for name, meaning in HOUSES:
        lines += [f"## {name} ({meaning})", ""]
        lines += [f"- {item}" for item in sheet.houses.get(name, [])] or ["- (intet)"]
        lines.append("")
    lines.append("Aftalt med barnet, hvad forældrene må se: " + ("ja" if sheet.shared_with_parents else "nej / ikke aftalt"))
    return "\n".join(lines).rstrip() + "\n"


def _header(reference: str, day: date) -> list[str]:
    lines = [f"Dato: {format_date(day)}"]
    if reference:
        lines.append(f"Reference: {reference}")
    return lines + [""]


def printable_html(markdown_text: str, title: str) -> str:
    """A stand-alone page for printing, rendered by the handbook's own (safe) renderer."""
    body = render_body(markdown_text).html
    return (
        "<!doctype html><html lang='da'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;line-height:1.5}"
        "h1{font-size:1.6rem}h2{font-size:1.2rem;border-bottom:1px solid #ccc;margin-top:1.5rem}"
        "@media print{body{margin:0}}</style></head>"
        f"<body>{body}</body></html>"
    )


# -- saving under a reference (only on request) ---------------------------------------------------------

Worksheet = SosWorksheet | IcsWorksheet | ThreeHouses
KINDS: dict[str, type[Worksheet]] = {"sos": SosWorksheet, "ics": IcsWorksheet, "tre-huse": ThreeHouses}


def save_worksheet(store: Store, user: User | None, kind: str, sheet: Worksheet, reference: str) -> int:
    """Store a worksheet under a reference chosen by the user (no CPR numbers)."""
    actor = require(user, "casework")
    reference = ensure_no_cpr(reference.strip(), "Referencen")
    if not reference:
        raise WorksheetError("Skriv en reference (fx sagsnummeret), før du gemmer.")
    sheet.reference = reference
    return store.insert_worksheet({"kind": kind, "reference": reference, "data": json.dumps(asdict(sheet), ensure_ascii=False), "owner": actor.name, "created_at": utc_now()})


def load_worksheet(store: Store, user: User | None, kind: str, reference: str) -> Worksheet | None:
    """The newest worksheet of this kind the user saved under reference, or None."""
    actor = require(user, "casework")
    row = store.latest_worksheet(kind, reference.strip(), actor.name)
    if row is None:
        return None
    data = json.loads(row["data"])
    if kind == "sos":
        data["scalings"] = [tuple(s) for s in data.get("scalings", [])]
    return KINDS[kind](**data)


def purge_worksheets(store: Store, retention_days: int, now: datetime | None = None) -> int:
    limit = ((now or datetime.now(UTC)) - timedelta(days=retention_days)).astimezone(UTC).isoformat()
    return store.delete_worksheets_before(limit)
