"""The group result of a distriktsmøde round on the Trivselslinealen: each participant's placement
(initials only), the median and spread, a flag when the placements lie more than one zone apart,
the ruler and the median zone's guidance. The meeting itself (rounds, reveal, minutes) is
district_meeting.py."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

from handbook.content.library import Library
from handbook.trivsel.charts import Ruler, ruler
from handbook.trivsel.guidance import ZoneGuidance, zone_guidance
from handbook.trivsel.scale import Scale, Zone


@dataclass(frozen=True)
class Placement:
    initials: str
    value: int


@dataclass(frozen=True)
class GroupResult:
    placements: tuple[Placement, ...]
    median: float
    low: int
    high: int
    zones: tuple[Zone, ...]  # the zones the placements fall in, low to high
    median_zone: Zone
    flagged: bool  # the placements lie more than one zone apart

    @property
    def spread(self) -> int:
        return self.high - self.low

    @property
    def zone_span(self) -> str:
        """'rød til gul zone': from the lowest zone placed in to the highest."""
        return f"{self.zones[0].name.lower()} til {self.zones[-1].name.lower()} zone"


def group_result(scale: Scale, placements: list[Placement]) -> GroupResult:
    """Median and spread of several participants' placements; flagged when the placements lie
    more than one zone apart (e.g. one in rød and one in gul), which calls for discussion."""
    if not placements:
        raise ValueError("Der er ingen placeringer endnu.")
    values = [p.value for p in placements]
    for value in values:
        scale.zone_for(value)
    indexes = sorted({scale.zone_index(v) for v in values})
    median = statistics.median(values)
    return GroupResult(
        placements=tuple(placements),
        median=median,
        low=min(values),
        high=max(values),
        zones=tuple(scale.zones[i] for i in indexes),
        median_zone=scale.zone_for(median),
        flagged=indexes[-1] - indexes[0] > 1,
    )


@dataclass(frozen=True)
class Meeting:
    """What the distriktsmøde tab shows for the placements so far."""

    scale: Scale
    result: GroupResult
    ruler: Ruler
    guidance: ZoneGuidance  # for the median's zone
    warning: str | None  # when the placements lie more than one zone apart
    day: date


def meeting(scale: Scale, placements: list[Placement], library: Library, day: date) -> Meeting:
    """The result, the ruler with every placement and the median, and the median zone's guidance."""
    result = group_result(scale, placements)
    markers: list[tuple[str, float]] = [(p.initials, p.value) for p in placements]
    warning = None
    if result.flagged:
        warning = f"Placeringerne spænder fra {result.zone_span} – mere end én zone fra hinanden. Drøft forskellen, før I beslutter næste skridt."
    return Meeting(scale, result, ruler(scale, markers, median=result.median), zone_guidance(scale, result.median, library), warning, day)
