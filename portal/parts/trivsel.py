"""The parts of the Trivselslinealen page used in several of its tabs: the drawn ruler to place a
child on, and the box with what a zone calls for."""

import streamlit as st

from handbook.trivsel.charts import PICK, picked_position, ruler
from handbook.trivsel.guidance import ZoneGuidance
from handbook.trivsel.scale import Scale
from portal import widgets


def place(scale: Scale, key: str, label: str = "Placering") -> int | None:
    """The drawn ruler (click a position) and the same choice as buttons below it."""
    state_key = f"{key}-value"
    chosen = st.session_state.get(state_key)
    drawn = ruler(scale, [("Barnet", chosen)] if chosen is not None else [], clickable=True)
    event = st.vega_lite_chart(spec=drawn.spec, on_select="rerun", selection_mode=PICK, key=f"{key}-ruler", width="stretch")
    st.caption(drawn.text)
    picked = picked_position(event.selection) if event else None
    if picked is not None and picked != chosen:
        st.session_state[state_key] = picked
        st.rerun()
    return st.segmented_control(label, scale.positions, key=state_key, help="Klik på linealen eller vælg et tal.")


def zone_box(guidance: ZoneGuidance) -> None:
    """The zone with its colour and meaning, what it calls for, the typical signs and guidelines."""
    zone = guidance.zone
    with st.container(border=True, key=f"zone-{zone.name}"):
        st.html(f'<div class="hb-zone" style="border-left: 10px solid {zone.color}; padding-left: .8rem"><div class="hb-zone-name">{zone.name} zone ({zone.min}–{zone.max})</div><div>{zone.meaning}</div></div>')
        st.markdown(f"**Zonen kalder på:** {zone.action}")
        if zone.next_steps:
            st.markdown("\n".join(f"- {step}" for step in zone.next_steps))
        if guidance.signs:
            with st.expander(guidance.signs_heading):
                st.markdown("\n".join(f"- {sign}" for sign in guidance.signs))
        for guideline in guidance.guidelines:
            widgets.guideline_link(guideline)
