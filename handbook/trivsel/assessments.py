"""An individual assessment on the Trivselslinealen: the text for the journal, and the assessments
a caseworker chooses to save under a reference (no CPR numbers), to follow a child's progression.
Leaders see only how many fell in each zone per month; the retention deletes old ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import altair as alt

from handbook.content.library import Library
from handbook.dates.danish_time import date_text
from handbook.identity.auth import User, require
from handbook.privacy.cpr import ensure_no_cpr
from handbook.store.database import Store, utc_now
from handbook.trivsel.charts import distribution_chart, progression_chart, progression_text
from handbook.trivsel.guidance import ZoneGuidance, zone_guidance
from handbook.trivsel.scale import Scale


def assessment_text(scale: Scale, value: int, age_group: str | None, protective: list[str], risk: list[str], reference: str = "", note: str = "") -> str:
    """A short summary of an individual assessment to paste into the journal."""
    zone = scale.zone_for(value)
    lines = ["Trivselslinealen – vurdering"]
    if reference:
        lines.append(f"Reference: {reference}")
    if age_group:
        lines.append(f"Aldersgruppe: {age_group}")
    lines.append(f"Placering: {value} på skalaen {scale.min}–{scale.max} ({zone.name}: {zone.meaning})")
    lines.append(f"Zonen kalder på: {zone.action}")
    if protective:
        lines.append("Beskyttende faktorer: " + "; ".join(protective))
    if risk:
        lines.append("Risikofaktorer: " + "; ".join(risk))
    if note:
        lines.append(f"Faglig vurdering: {note}")
    if zone.next_steps:
        lines.append("Næste skridt:")
        lines += [f"- {step}" for step in zone.next_steps]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Assessment:
    """A child placed at value: what the zone calls for, and the text for the journal."""

    scale: Scale
    value: int
    age_group: str | None
    protective: list[str]
    risk: list[str]
    guidance: ZoneGuidance

    def journal_text(self, reference: str = "", note: str = "") -> str:
        return assessment_text(self.scale, self.value, self.age_group, self.protective, self.risk, reference.strip(), note)

    def save(self, store: Store, user: User | None, reference: str) -> int:
        return save_assessment(store, user, self.scale, self.value, reference, self.age_group or "", "individuel")


def assess(scale: Scale, library: Library, value: int, age_group: str | None, protective: list[str], risk: list[str], other_protective: str = "", other_risk: str = "") -> Assessment:
    """The assessment of a child placed at value, with the factors chosen from the scale's lists
    and those written one per line in other_protective and other_risk."""
    protective = protective + _lines(other_protective)
    risk = risk + _lines(other_risk)
    return Assessment(scale, value, age_group, protective, risk, zone_guidance(scale, value, library, age_group))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# -- saved assessments (only when the user chooses to save) -----------------------------------------------


def save_assessment(store: Store, user: User | None, scale: Scale, value: int, reference: str = "", age_group: str = "", kind: str = "individuel") -> int:
    """Keep an assessment under an optional reference (no CPR numbers) for progression."""
    actor = require(user, "casework")
    reference = ensure_no_cpr(reference.strip(), "Referencen")
    zone = scale.zone_for(value)
    return store.insert_assessment({"reference": reference, "value": value, "zone": zone.name, "age_group": age_group, "kind": kind, "created_by": actor.name, "created_at": utc_now()})


def assessments_for(store: Store, user: User | None, reference: str) -> list[dict]:
    """Saved assessments under a reference, oldest first (for the progression chart)."""
    require(user, "casework")
    return store.assessments(reference.strip())


@dataclass(frozen=True)
class Progression:
    chart: alt.TopLevelMixin
    text: str  # the chart in words
    summary: str


def progression(store: Store, user: User | None, scale: Scale, reference: str, retention_days: int) -> Progression | None:
    """The child's saved placements under reference over time; None when there are none."""
    rows = assessments_for(store, user, reference)
    if not rows:
        return None
    summary = f"{len(rows)} vurderinger fra {date_text(rows[0]['created_at'])} til {date_text(rows[-1]['created_at'])}. Vurderinger slettes efter {retention_days} dage."
    return Progression(progression_chart(scale, rows), progression_text(scale, rows), summary)


def zone_distribution(store: Store, actor: User | None) -> list[dict]:
    """For leaders: how many saved assessments fell in each zone per month; no references."""
    require(actor, "reports")
    return store.zone_counts_by_month()


@dataclass(frozen=True)
class Distribution:
    chart: alt.TopLevelMixin
    table: list[dict[str, Any]]  # a row per month and zone, with Danish column names


def distribution(store: Store, actor: User | None, scale: Scale | None) -> Distribution | None:
    """For leaders: the saved assessments per month by zone; None when there are none (or no
    usable scale). PermissionDenied for anyone without the reports permission."""
    rows = zone_distribution(store, actor)
    if not rows or scale is None:
        return None
    table = [{"Måned": r["month"], "Zone": r["zone"], "Antal": r["count"]} for r in rows]
    return Distribution(distribution_chart(scale, rows), table)


def purge_assessments(store: Store, retention_days: int, now: datetime | None = None) -> int:
    """Delete saved assessments older than the retention; return how many."""
    limit = ((now or datetime.now(UTC)) - timedelta(days=retention_days)).astimezone(UTC).isoformat()
    return store.delete_assessments_before(limit)
