"""Trivselslinealen: individual assessment, modtageteam mode, distriktsmøde with several
participants, and progression over time. The scale comes from config/trivselslinealen.yaml."""

from datetime import datetime

import streamlit as st

from handbook.content.render import format_date
from handbook.dates.danish_time import date_text
from handbook.dates.deadlines import format_moment
from handbook.identity.auth import AuthError
from handbook.privacy.cpr import PersonalDataError, check_initials, ensure_no_cpr
from handbook.trivsel.charts import PICK, progression_chart, progression_text, ruler_spec, ruler_text
from handbook.trivsel.scale import Placement, Zone, assessment_text, assessments_for, group_result, intake_status, minutes_text, save_assessment
from portal import navigation, resources, session, widgets

st.title("Trivselslinealen")
scale = resources.scale()
if scale is None:
    st.error("Trivselslinealens konfiguration (config/trivselslinealen.yaml) har fejl og kan ikke bruges. Kør `python -m handbook validate` for at se dem.")
    st.stop()
user = session.current_user()
guide = resources.library().get("trivselslinealen")
st.caption(f"Skala {scale.min}–{scale.max} ({scale.low_label or 'lavest'} → {scale.high_label or 'højest'}) i {len(scale.zones)} zoner. En placering beskriver barnets situation nu – ikke barnet.")
if guide is not None:
    widgets.guideline_link(guide, "Retningslinjen for Trivselslinealen")


def place(key: str, label: str = "Placering") -> int | None:
    """The drawn ruler (click a position) and the same choice as buttons below it."""
    state_key = f"{key}-value"
    chosen = st.session_state.get(state_key)
    event = st.vega_lite_chart(spec=ruler_spec(scale, [("Barnet", chosen)] if chosen is not None else [], clickable=True), on_select="rerun", selection_mode=PICK, key=f"{key}-ruler", width="stretch")
    st.caption(ruler_text(scale, [("Barnet", chosen)] if chosen is not None else []))
    picked = (event.selection.get(PICK) or [{}])[0].get("position") if event and event.selection else None
    if picked is not None and picked != chosen:
        st.session_state[state_key] = int(picked)
        st.rerun()
    return st.segmented_control(label, scale.positions, key=state_key, help="Klik på linealen eller vælg et tal.")


def zone_box(zone: Zone, age_group: str | None = None) -> None:
    with st.container(border=True, key=f"zone-{zone.name}"):
        st.html(f'<div class="hb-zone" style="border-left: 10px solid {zone.color}; padding-left: .8rem"><div class="hb-zone-name">{zone.name} zone ({zone.min}–{zone.max})</div><div>{zone.meaning}</div></div>')
        st.markdown(f"**Zonen kalder på:** {zone.action}")
        if zone.next_steps:
            st.markdown("\n".join(f"- {step}" for step in zone.next_steps))
        signs = zone.signs_for(age_group)
        if signs:
            with st.expander("Typiske tegn" + (f" ({age_group})" if age_group else "")):
                st.markdown("\n".join(f"- {sign}" for sign in signs))
        for guideline_id in zone.guidelines:
            guideline = resources.library().get(guideline_id)
            if guideline is not None:
                widgets.guideline_link(guideline)


def checked_text(text: str, label: str) -> str | None:
    try:
        return ensure_no_cpr(text, label)
    except PersonalDataError as exc:
        st.error(str(exc))
        return None


individual, intake, meeting, progression = st.tabs(["Vurdering", "Modtageteam", "Distriktsmøde", "Udvikling over tid"])

with individual:
    age_group = st.selectbox("Aldersgruppe", scale.age_groups, index=None, placeholder="Vælg barnets aldersgruppe", key="ind-age") if scale.age_groups else None
    protective: list[str] = []
    risk: list[str] = []
    if scale.factors:
        st.markdown("**Beskyttende faktorer og risikofaktorer** (ICS-trekantens tre sider)")
        for factors in scale.factors:
            with st.expander(factors.side):
                left, right = st.columns(2)
                protective += left.multiselect("Beskyttende faktorer", factors.protective, key=f"ind-p-{factors.side}")
                risk += right.multiselect("Risikofaktorer", factors.risk, key=f"ind-r-{factors.side}")
    left, right = st.columns(2)
    extra_protective = checked_text(left.text_area("Andre beskyttende faktorer (én pr. linje)", key="ind-extra-p", height=80), "Feltet med andre beskyttende faktorer")
    extra_risk = checked_text(right.text_area("Andre risikofaktorer (én pr. linje)", key="ind-extra-r", height=80), "Feltet med andre risikofaktorer")
    protective += [line.strip() for line in (extra_protective or "").splitlines() if line.strip()]
    risk += [line.strip() for line in (extra_risk or "").splitlines() if line.strip()]
    st.markdown("**Placér barnet på linealen**")
    value = place("ind")
    if value is not None:
        zone = scale.zone_for(value)
        zone_box(zone, age_group)
        note = checked_text(st.text_area("Din faglige vurdering (valgfri; ingen navne eller CPR-numre)", key="ind-note", height=90), "Den faglige vurdering")
        reference = st.text_input("Reference (valgfri, fx sagsnummer)", key="ind-ref", max_chars=80)
        summary = assessment_text(scale, value, age_group, protective, risk, reference.strip(), note or "")
        st.markdown("**Til journalen**")
        st.code(summary, language=None, wrap_lines=True)
        st.caption("Intet gemmes, medmindre du vælger at gemme vurderingen under en reference (så kan udviklingen følges).")
        if user is None:
            st.caption("Log ind for at gemme vurderingen.")
        elif st.button("Gem vurderingen", icon=":material/save:", disabled=not reference.strip()):
            try:
                save_assessment(resources.store(), user, scale, value, reference, age_group or "", "individuel")
                st.success(f"Vurderingen er gemt under »{reference.strip()}«.")
            except (PersonalDataError, AuthError) as exc:
                st.error(str(exc))

with intake:
    st.markdown("Modtageteamet screener underretninger med linealen. Vurderingen af, om barnet er i fare, skal ske inden for 24 timer.")
    now = resources.now()
    left, right = st.columns(2)
    received_day = left.date_input("Underretningen modtaget (dato)", value=now.date(), format="DD.MM.YYYY", key="in-day")
    received_time = right.time_input("Klokkeslæt", value=now.time().replace(second=0, microsecond=0), step=300, key="in-time")
    violence = st.checkbox("Underretningen indeholder tegn på vold eller overgreb (eller mistanke om det)", key="in-violence")
    received = datetime.combine(received_day, received_time)
    status = intake_status(received, violence, now)
    if status.acute:
        with st.container(border=True, key="acute-path"):
            st.error("**Akut spor: vold eller overgreb.** Kontakt faglig leder nu, vurdér om barnet skal sikres straks, og tal med barnet – uden forældrenes samtykke og tilstedeværelse, hvis mistanken retter sig mod dem. Politi og børnehus inddrages efter beredskabet.", icon=":material/emergency:")
            checklist = resources.checklists().get("underretning")
            if checklist is not None:
                st.page_link(navigation.page_ref(navigation.RUN_PAGE_FILE), label="Tjekliste: Modtagelse af underretning", icon=":material/checklist:", query_params={"id": checklist.id})
            underretninger = resources.library().get("underretninger")
            if underretninger is not None:
                widgets.guideline_link(underretninger)
        widgets.after_hours_box(received)
    st.markdown(f"**Vurdering senest {format_moment(status.due)}** · :{status.colour}[{status.remaining_text}]")
    st.markdown("**Placering i screeningen**")
    intake_value = place("in")
    if intake_value is not None:
        zone_box(scale.zone_for(intake_value))

with meeting:
    st.markdown("Hver deltager placerer barnet for sig – skriv initialer, ikke navne. Linealen viser alle placeringer, medianen og spredningen.")
    placements: list[Placement] = st.session_state.setdefault("meeting-placements", [])
    with st.form("add-placement", clear_on_submit=True):
        left, right = st.columns([1, 3])
        initials = left.text_input("Initialer", max_chars=5)
        position = right.segmented_control("Placering", scale.positions, key="meeting-position")
        if st.form_submit_button("Tilføj placering", icon=":material/person_add:"):
            try:
                if position is None:
                    raise ValueError("Vælg en placering på linealen.")
                placements.append(Placement(check_initials(initials), int(position)))
            except ValueError as exc:
                st.error(str(exc))
    if placements:
        result = group_result(scale, placements)
        st.vega_lite_chart(spec=ruler_spec(scale, [(p.initials, p.value) for p in placements], median=result.median), width="stretch")
        st.caption(ruler_text(scale, [(p.initials, p.value) for p in placements], result.median))
        cols = st.columns(len(placements) if len(placements) <= 6 else 6)
        for index, (column, placement) in enumerate(zip(cols * ((len(placements) // 6) + 1), placements)):
            if column.button(f"Fjern {placement.initials} ({placement.value})", key=f"remove-{index}", type="tertiary", icon=":material/close:"):
                placements.pop(index)
                st.rerun()
        st.markdown(f"**Median {result.median:g}** ({result.median_zone.name}) · spredning {result.low}–{result.high}")
        if result.flagged:
            st.warning(f"Placeringerne spænder fra {result.zones[0].name.lower()} til {result.zones[-1].name.lower()} zone – mere end én zone fra hinanden. Drøft forskellen, før I beslutter næste skridt.", icon=":material/forum:")
        zone_box(result.median_zone)
        reference = st.text_input("Reference (valgfri, fx sagsnummer)", key="meeting-ref", max_chars=80)
        conclusion = checked_text(st.text_area("Konklusion og aftaler", key="meeting-conclusion", height=90), "Konklusionen")
        checked_reference = checked_text(reference.strip(), "Referencen")
        if checked_reference is not None and conclusion is not None:
            minutes = minutes_text(scale, result, f"Distriktsmøde {format_date(resources.today())}", checked_reference, conclusion.strip())
            st.markdown("**Referat**")
            st.code(minutes, language=None, wrap_lines=True)
            left, right = st.columns(2)
            left.download_button("Hent referatet", minutes, file_name=f"distriktsmoede-{resources.today().isoformat()}.txt", mime="text/plain", icon=":material/download:")
            if user is not None and checked_reference and right.button("Gem medianen under referencen", icon=":material/save:"):
                save_assessment(resources.store(), user, scale, round(result.median), checked_reference, "", "distriktsmøde")
                st.success("Gemt.")
        if st.button("Start forfra", icon=":material/restart_alt:"):
            st.session_state["meeting-placements"] = []
            st.rerun()

with progression:
    if user is None:
        widgets.login_hint("se udviklingen for en gemt reference")
    else:
        reference = st.text_input("Reference", key="prog-ref", placeholder="Den reference, vurderingerne er gemt under")
        if reference.strip():
            rows = assessments_for(resources.store(), user, reference)
            if not rows:
                st.info(f"Der er ingen gemte vurderinger under »{reference.strip()}«.")
            else:
                st.altair_chart(progression_chart(scale, rows), width="stretch")
                st.caption(progression_text(scale, rows))
                st.caption(f"{len(rows)} vurderinger fra {date_text(rows[0]['created_at'])} til {date_text(rows[-1]['created_at'])}. Vurderinger slettes efter {resources.library().config.retention_days} dage.")
