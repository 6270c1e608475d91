"""Altair charts of the Trivselslinealen: the ruler with coloured zones and placements, a child's
progression over time on the zone bands, and the leaders' distribution of zones by month."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import altair as alt
import pandas as pd

from handbook.content.render import format_number
from handbook.dates.deadlines import format_moment
from handbook.trivsel.scale import Scale

PICK = "pick"


def _bands(scale: Scale) -> pd.DataFrame:
    return pd.DataFrame(
        [{"zone": z.name, "start": z.min - 0.5, "end": z.max + 0.5, "middle": (z.min + z.max) / 2, "color": z.color, "action": z.action} for z in scale.zones]
    )


@dataclass(frozen=True)
class Ruler:
    """The drawn ruler as a Vega-Lite spec (for st.vega_lite_chart) and the same in words."""

    spec: dict[str, Any]
    text: str


def ruler(scale: Scale, markers: list[tuple[str, float]], median: float | None = None, clickable: bool = False) -> Ruler:
    """The ruler with a triangle per placement (label, position) and the median, if any."""
    return Ruler(ruler_spec(scale, markers, median, clickable), ruler_text(scale, markers, median))


def picked_position(selection: Mapping[str, Any] | None) -> int | None:
    """The position a click on a clickable ruler chose, from the chart's selection state."""
    points = (selection or {}).get(PICK) or [{}]
    position = points[0].get("position")
    return None if position is None else int(position)


_SPECS: dict[tuple, dict[str, Any]] = {}
_SPECS_MAX = 256


def ruler_spec(scale: Scale, markers: list[tuple[str, float]], median: float | None = None, clickable: bool = False) -> dict[str, Any]:
    """The ruler as a Vega-Lite spec for st.vega_lite_chart, made and validated once per process
    for each scale and set of markers, and copied for each call. (st.altair_chart turns the
    chart into a spec on every run, and Altair's schema validation costs more than the rest of
    the page.)"""
    key = (repr(scale), tuple(markers), median, clickable)
    spec = _SPECS.get(key)
    if spec is None:
        spec = chart_spec(_build_ruler_chart(scale, markers, median, clickable))
        if len(_SPECS) >= _SPECS_MAX:
            _SPECS.clear()
        _SPECS[key] = spec
    return copy.deepcopy(spec)


# Numbers and dates in the charts the Danish way (4,5; 1.250; "dec." / "december"): Vega-Lite's
# locale, given to every chart the portal draws.
DANISH_LOCALE: dict[str, Any] = {
    "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " kr."]},
    "time": {
        "dateTime": "%A den %d. %B %Y %X", "date": "%d.%m.%Y", "time": "%H:%M:%S", "periods": ["", ""],
        "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
        "shortDays": ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
        "months": ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"],
        "shortMonths": ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    },
}


def danish(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """chart with the Danish locale (call before configure_view: configure() replaces the config)."""
    return chart.configure(locale=DANISH_LOCALE)


def chart_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """chart as a Vega-Lite spec, as st.altair_chart makes it with Altair's "none" theme (no
    default width and height). Streamlit switches Altair's process-wide theme and data
    transformer under its own lock while other sessions draw; this uses neither: the chart's
    data is given as values (see _values), and the chart is turned into a dict as a nested
    chart, which no theme touches."""
    datasets: dict[str, Any] = {}  # to_dict fills it, as it does for a top-level chart
    spec: dict[str, Any] = chart.to_dict(context={"top_level": False, "datasets": datasets})
    spec.setdefault("$schema", alt.SCHEMA_URL)
    if datasets:
        spec.setdefault("datasets", {}).update(datasets)
    spec.setdefault("config", {})["locale"] = DANISH_LOCALE
    return spec


def _values(frame: pd.DataFrame) -> dict[str, Any]:
    """frame as the values Altair's default data transformer makes of it, without the transformer."""
    return dict(alt.to_values(frame))


def _build_ruler_chart(scale: Scale, markers: list[tuple[str, float]], median: float | None = None, clickable: bool = False) -> alt.TopLevelMixin:
    """The ruler: zone bands with names, the positions as ticks, a triangle per placement with
    its label, and the median as a line. clickable adds a point selection named 'pick' over the
    positions, so a click on the ruler places the child."""
    x = alt.X("start:Q", scale=alt.Scale(domain=[scale.min - 0.5, scale.max + 0.5]), axis=None)
    bands = alt.Chart(_values(_bands(scale))).mark_rect(stroke="white", strokeWidth=2).encode(
        x=x, x2="end:Q", y=alt.value(22), y2=alt.value(78), color=alt.Color("color:N", scale=None), tooltip=["zone:N", "action:N"]
    )
    names = alt.Chart(_values(_bands(scale))).mark_text(fontSize=13, fontWeight="bold", color="#1f1f1f").encode(
        x=alt.X("middle:Q", scale=alt.Scale(domain=[scale.min - 0.5, scale.max + 0.5]), axis=None), y=alt.value(10), text="zone:N"
    )
    positions = pd.DataFrame({"position": scale.positions})
    position_x = alt.X("position:Q", scale=alt.Scale(domain=[scale.min - 0.5, scale.max + 0.5]), axis=None)
    numbers = alt.Chart(_values(positions)).mark_text(fontSize=14, color="#1f1f1f").encode(x=position_x, y=alt.value(50), text="position:Q")
    layers: list[alt.Chart] = [bands, names, numbers]
    if clickable:
        pick = alt.selection_point(name=PICK, fields=["position"], on="click", clear=False)
        targets = alt.Chart(_values(positions)).mark_rect(opacity=0.001, cursor="pointer").encode(
            x=alt.X("left:Q", scale=alt.Scale(domain=[scale.min - 0.5, scale.max + 0.5]), axis=None), x2="right:Q", y=alt.value(22), y2=alt.value(78),
            tooltip=[alt.Tooltip("position:Q", title="Placér her")],
        ).transform_calculate(left="datum.position - 0.5", right="datum.position + 0.5").add_params(pick)
        layers.append(targets)
    if markers:
        placed = pd.DataFrame([{"label": label, "value": value} for label, value in markers])
        placed["row"] = placed.groupby("value").cumcount()
        marker_x = alt.X("value:Q", scale=alt.Scale(domain=[scale.min - 0.5, scale.max + 0.5]), axis=None)
        layers.append(alt.Chart(_values(placed)).mark_point(shape="triangle-up", size=260, filled=True, color="#1f2937").encode(x=marker_x, y=alt.value(92), tooltip=["label:N", "value:Q"]))
        layers.append(alt.Chart(_values(placed)).transform_calculate(ypix="114 + datum.row * 15").mark_text(fontSize=12, fontWeight="bold", color="#1f2937").encode(x=marker_x, y=alt.Y("ypix:Q", scale=None), text="label:N"))
    if median is not None:
        layers.append(alt.Chart(_values(pd.DataFrame({"median": [median]}))).mark_rule(color="#111827", strokeWidth=3, strokeDash=[6, 3]).encode(
            x=alt.X("median:Q", scale=alt.Scale(domain=[scale.min - 0.5, scale.max + 0.5]), axis=None), y=alt.value(16), y2=alt.value(84), tooltip=[alt.Tooltip("median:Q", title="Median")]
        ))
    height = 110 + 14 * (max((pd.Series([v for _, v in markers]).value_counts().max() if markers else 0), 1))
    return alt.layer(*layers).properties(height=height, description=ruler_text(scale, markers, median)).configure_view(strokeWidth=0)


def _value(value: float) -> str:
    return format_number(value)


def ruler_text(scale: Scale, markers: list[tuple[str, float]], median: float | None = None) -> str:
    """The ruler in words (its text alternative): the zones with their positions, every
    placement with its zone, and the median."""
    zones = ", ".join(f"{z.name} {z.min}–{z.max}" for z in scale.zones)
    parts = [f"Trivselslinealen {scale.min}–{scale.max} i {len(scale.zones)} zoner: {zones}."]
    if markers:
        parts.append("Placeret: " + "; ".join(f"{label} på {_value(value)} ({scale.zone_for(value).name.lower()} zone)" for label, value in markers) + ".")
    if median is not None:
        parts.append(f"Median {_value(median)} ({scale.zone_for(median).name.lower()} zone).")
    return " ".join(parts)


def progression_text(scale: Scale, rows: list[dict]) -> str:
    """A child's saved placements in words (the progression chart's text alternative)."""
    points = "; ".join(
        f"{format_moment(datetime.fromisoformat(r['created_at']))}: {r['value']} ({scale.zone_for(r['value']).name.lower()} zone)" for r in rows
    )
    return f"Udvikling over tid på Trivselslinealen ({len(rows)} vurderinger): {points}."


def progression_chart(scale: Scale, rows: list[dict]) -> alt.TopLevelMixin:
    """Saved placements under one reference over time, drawn on the zone bands."""
    bands = alt.Chart(_bands(scale)).mark_rect(opacity=0.55).encode(
        y=alt.Y("start:Q", scale=alt.Scale(domain=[scale.min - 0.5, scale.max + 0.5]), title="Placering"), y2="end:Q", color=alt.Color("color:N", scale=None), tooltip=["zone:N"]
    )
    data = pd.DataFrame([{"tid": pd.Timestamp(r["created_at"]).tz_convert("Europe/Copenhagen").tz_localize(None), "placering": r["value"], "zone": r["zone"]} for r in rows])
    line = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=90, filled=True, color="#111827"), color="#111827", strokeWidth=2.5).encode(
        x=alt.X("tid:T", title="Dato"), y=alt.Y("placering:Q", scale=alt.Scale(domain=[scale.min - 0.5, scale.max + 0.5])), tooltip=["tid:T", "placering:Q", "zone:N"]
    )
    return danish(alt.layer(bands, line).properties(height=320, description=progression_text(scale, rows)))


def distribution_chart(scale: Scale, rows: list[dict]) -> alt.TopLevelMixin:
    """Leaders: saved assessments per month stacked by zone, in the zones' colours."""
    data = pd.DataFrame(rows)
    order = [z.name for z in scale.zones]
    colours = [z.color for z in scale.zones]
    return danish(alt.Chart(data).mark_bar().encode(
        x=alt.X("month:N", title="Måned"),
        y=alt.Y("count:Q", title="Antal vurderinger"),
        color=alt.Color("zone:N", title="Zone", scale=alt.Scale(domain=order, range=colours)),
        order=alt.Order("zone_rank:Q"),
        tooltip=["month:N", "zone:N", "count:Q"],
    ).transform_calculate(zone_rank=f"indexof({order!r}, datum.zone)").properties(height=320))


def scaling_chart(scalings: list[tuple[str, int]], low: int = 0, high: int = 10) -> alt.TopLevelMixin:
    """The Signs of Safety scaling: a 0-10 line with each participant's mark and the median."""
    domain = [low - 0.5, high + 0.5]
    scale = alt.Scale(domain=domain)
    axis = pd.DataFrame({"value": list(range(low, high + 1))})
    gradient = alt.Chart(pd.DataFrame({"start": [low], "end": [high]})).mark_rule(strokeWidth=6, color="#94a3b8").encode(
        x=alt.X("start:Q", scale=scale, axis=None), x2="end:Q", y=alt.value(40)
    )
    ticks = alt.Chart(axis).mark_text(fontSize=13, color="#1f1f1f").encode(x=alt.X("value:Q", scale=scale, axis=None), y=alt.value(18), text="value:Q")
    layers: list[alt.Chart] = [gradient, ticks]
    if scalings:
        data = pd.DataFrame([{"label": i, "value": v} for i, v in scalings])
        data["row"] = data.groupby("value").cumcount()
        x = alt.X("value:Q", scale=scale, axis=None)
        layers.append(alt.Chart(data).mark_point(shape="triangle-up", size=260, filled=True, color="#1f2937").encode(x=x, y=alt.value(56), tooltip=["label:N", "value:Q"]))
        layers.append(alt.Chart(data).transform_calculate(ypix="78 + datum.row * 15").mark_text(fontSize=12, fontWeight="bold", color="#1f2937").encode(x=x, y=alt.Y("ypix:Q", scale=None), text="label:N"))
        median = float(pd.Series([v for _, v in scalings]).median())
        layers.append(alt.Chart(pd.DataFrame({"median": [median]})).mark_rule(color="#111827", strokeWidth=3, strokeDash=[6, 3]).encode(x=alt.X("median:Q", scale=scale, axis=None), y=alt.value(28), y2=alt.value(52)))
    rows = max((pd.Series([v for _, v in scalings]).value_counts().max() if scalings else 0), 1)
    return danish(alt.layer(*layers).properties(height=80 + 15 * rows)).configure_view(strokeWidth=0)
