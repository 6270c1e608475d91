"""What a zone calls for, ready to show: its meaning and action, the next steps, the typical signs
for the child's age group and the guidelines the zone points to."""

from __future__ import annotations

from dataclasses import dataclass

from handbook.content.guideline import Guideline
from handbook.content.library import Library
from handbook.trivsel.scale import Scale, Zone


@dataclass(frozen=True)
class ZoneGuidance:
    zone: Zone
    signs: tuple[str, ...]
    signs_heading: str
    guidelines: tuple[Guideline, ...]  # those the zone names that the library has


def zone_guidance(scale: Scale, value: float, library: Library, age_group: str | None = None) -> ZoneGuidance:
    """The guidance for the zone value falls in; ValueError (Danish) outside the scale."""
    zone = scale.zone_for(value)
    guidelines = tuple(g for g in (library.get(guideline_id) for guideline_id in zone.guidelines) if g is not None)
    heading = "Typiske tegn" + (f" ({age_group})" if age_group else "")
    return ZoneGuidance(zone, zone.signs_for(age_group), heading, guidelines)
