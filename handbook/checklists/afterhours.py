"""Opening hours and the after-hours contacts (config/portal.yaml: opening_hours, after_hours).

An akut underretning received outside the opening hours (evenings, weekends, public holidays)
shows the guideline "Akut beredskab uden for åbningstid" with the municipality's contacts. The
bundled contacts are placeholders: a value that begins with "UDFYLD" is shown to caseworkers as
"Nummeret er ikke angivet – spørg din leder", and administrators are warned (front page and
`validate`) until every number is filled in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path

from handbook.dates.deadlines import WEEKDAY_NAMES, as_copenhagen, holiday_name
from handbook.problems import ContentProblem, yaml_problem
from handbook.yamltext import MappingNode, YAMLError, load_with_nodes

CONFIG_FILE = "portal.yaml"
PLACEHOLDER = "UDFYLD"
HOURS = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*-\s*(\d{1,2})[:.](\d{2})\s*$")
DEFAULT_GUIDELINE = "akut-beredskab"


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    note: str = ""

    @property
    def placeholder(self) -> bool:
        return self.phone.strip().upper().startswith(PLACEHOLDER) or not self.phone.strip()


@dataclass(frozen=True)
class AfterHours:
    """Opening hours per weekday (0 = Monday) and who to call outside them."""

    hours: dict[int, tuple[time, time]] = field(default_factory=dict)
    contacts: tuple[Contact, ...] = ()
    guideline: str = DEFAULT_GUIDELINE

    @property
    def configured(self) -> bool:
        return bool(self.hours)

    def is_open(self, moment: datetime) -> bool:
        """Whether the department is open at moment (Danish time); closed on public holidays."""
        local = as_copenhagen(moment)
        if holiday_name(local.date()):
            return False
        span = self.hours.get(local.weekday())
        return span is not None and span[0] <= local.time().replace(tzinfo=None) < span[1]

    def outside(self, moment: datetime) -> bool:
        return self.configured and not self.is_open(moment)

    def unfilled_warnings(self) -> list[str]:
        """One Danish warning per contact whose number is still a placeholder (for administrators)."""
        return [f"Telefonnummeret til »{c.name}« er ikke udfyldt (after_hours i config/portal.yaml)." for c in self.contacts if c.placeholder]


NOT_FILLED_IN = "Nummeret er ikke angivet – spørg din leder"


def load_after_hours(config_dir: Path) -> tuple[AfterHours, list[ContentProblem]]:
    """Read opening_hours and after_hours from config/portal.yaml, with file:line problems.
    Without opening_hours nothing is ever 'outside opening hours'."""
    path = config_dir / CONFIG_FILE
    try:
        node, raw = load_with_nodes(path.read_text(encoding="utf-8"))
    except OSError:
        return AfterHours(), []
    except YAMLError as exc:
        return AfterHours(), [yaml_problem(path, exc, line_offset=0)]
    if not isinstance(raw, dict) or not isinstance(node, MappingNode):
        return AfterHours(), []
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    problems: list[ContentProblem] = []

    def report(key: str, message: str) -> None:
        problems.append(ContentProblem(path, lines.get(key, 1), message))

    hours: dict[int, tuple[time, time]] = {}
    opening = raw.get("opening_hours") or {}
    if not isinstance(opening, dict):
        report("opening_hours", "'opening_hours' skal være ugedag: \"08:00-15:00\", fx mandag: \"08:00-15:00\".")
        opening = {}
    for day, span in opening.items():
        if str(day) not in WEEKDAY_NAMES:
            report("opening_hours", f"Ukendt ugedag '{day}' i 'opening_hours'. Brug {', '.join(WEEKDAY_NAMES)}.")
            continue
        match = HOURS.match(str(span or ""))
        parsed = _span(match) if match else None
        if parsed is None:
            report("opening_hours", f"Åbningstiden for {day} skal skrives \"TT:MM-TT:MM\", fx \"08:00-15:00\", ikke '{span}'.")
            continue
        hours[WEEKDAY_NAMES.index(str(day))] = parsed
    section = raw.get("after_hours") or {}
    if not isinstance(section, dict):
        report("after_hours", "'after_hours' skal have felterne guideline og contacts.")
        section = {}
    contacts = []
    for item in section.get("contacts") or []:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not isinstance(item.get("phone"), (str, int)):
            report("after_hours", "Hver kontakt under 'after_hours: contacts' skal have name og phone, fx {name: Socialvagten, phone: \"UDFYLD\"}.")
            continue
        contacts.append(Contact(item["name"].strip(), str(item["phone"]).strip(), str(item.get("note") or "").strip()))
    guideline = section.get("guideline") or DEFAULT_GUIDELINE
    return AfterHours(hours, tuple(contacts), str(guideline)), problems


def _span(match: re.Match) -> tuple[time, time] | None:
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if not (0 <= h1 < 24 and 0 <= h2 <= 24 and m1 < 60 and m2 < 60):
        return None
    begin, end = time(h1, m1), time(23, 59, 59) if h2 == 24 else time(h2, m2)
    return (begin, end) if begin < end else None
