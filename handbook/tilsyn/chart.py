"""The trend chart of a team's criterion across rounds (Altair): the percentage per round, the
first round as the baseline (grey, dashed) and the target (red, dashed); a round resting on too
few cases has no point. The same in words, for screen readers and print."""

from __future__ import annotations

import altair as alt
import pandas as pd

from handbook.tilsyn.figures import TrendPoint


def trend_chart(points: list[TrendPoint], criterion_id: str) -> alt.TopLevelMixin:
    """The chart for one criterion (points from figures.trend)."""
    mine = [p for p in points if p.criterion_id == criterion_id]
    data = pd.DataFrame([{"Periode": p.period, "Andel": p.figure.percent, "Sager": p.figure.count_text} for p in mine if p.figure.percent is not None],
                        columns=["Periode", "Andel", "Sager"])
    target = mine[0].target if mine else 80
    baseline = next((p.baseline for p in mine if p.baseline is not None), None)
    y = alt.Y("Andel:Q", title="Sager i orden (%)", scale=alt.Scale(domain=[0, 100]))
    line = alt.Chart(data).mark_line(point=True).encode(x=alt.X("Periode:O", title="Runde (periode)"), y=y, tooltip=["Periode", "Andel", "Sager"])
    rules = pd.DataFrame([{"Linje": f"Mål {target} %", "Værdi": target}] + ([{"Linje": f"Udgangspunkt {baseline} %", "Værdi": baseline}] if baseline is not None else []))
    lines = alt.Chart(rules).mark_rule(strokeDash=[6, 4]).encode(
        y="Værdi:Q", color=alt.Color("Linje:N", title="", scale=alt.Scale(range=["#b3261e", "#6b6b6b"])), tooltip=["Linje"],
    )
    return alt.layer(line, lines).properties(height=280)


def trend_text(points: list[TrendPoint], criterion_id: str) -> str:
    """The chart in words."""
    mine = [p for p in points if p.criterion_id == criterion_id]
    if not mine:
        return "Ingen runder med svar på kriteriet endnu."
    parts = [f"{p.period}: {p.figure.text}" for p in mine]
    baseline = next((p.baseline for p in mine if p.baseline is not None), None)
    start = f"udgangspunkt {baseline} %" if baseline is not None else "intet udgangspunkt endnu (for få sager i første runde)"
    return f"Mål {mine[0].target} %, {start}. " + "; ".join(parts) + "."
