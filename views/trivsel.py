"""Trivselslinealen: individual assessment, modtageteam mode, distriktsmøde with several
participants, and progression over time. The scale comes from config/trivselslinealen.yaml."""

import streamlit as st

from handbook.identity.auth import AuthError
from handbook.privacy.cpr import PersonalDataError, ensure_no_cpr
from handbook.privacy.textsafe import markdown_literal
from handbook.trivsel.assessments import assess, progression
from handbook.trivsel.guidance import zone_guidance
from handbook.trivsel.intake import intake
from portal import navigation, resources, session, widgets
from portal.parts import district_meeting
from portal.parts.trivsel import place, zone_box

st.title("Trivselslinealen")
scale = resources.scale()
if scale is None:
    st.error("Trivselslinealens konfiguration (config/trivselslinealen.yaml) har fejl og kan ikke bruges. Kør `python -m handbook validate` for at se dem.")
    st.stop()
user = session.current_user()
lib = resources.library()
guide = lib.get("trivselslinealen")
st.caption(f"Skala {scale.min}–{scale.max} ({scale.low_label or 'lavest'} → {scale.high_label or 'højest'}) i {len(scale.zones)} zoner. En placering beskriver barnets situation nu – ikke barnet.")
if guide is not None:
    widgets.guideline_link(guide, "Retningslinjen for Trivselslinealen")


def checked_text(text: str, label: str) -> str | None:
    try:
        return ensure_no_cpr(text, label)
    except PersonalDataError as exc:
        st.error(str(exc))
        return None


individual, intake_tab, meeting_tab, progression_tab = st.tabs(["Vurdering", "Modtageteam", "Distriktsmøde", "Udvikling over tid"])

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
    other_protective = checked_text(left.text_area("Andre beskyttende faktorer (én pr. linje)", key="ind-extra-p", height=80), "Feltet med andre beskyttende faktorer")
    other_risk = checked_text(right.text_area("Andre risikofaktorer (én pr. linje)", key="ind-extra-r", height=80), "Feltet med andre risikofaktorer")
    st.markdown("**Placér barnet på linealen**")
    value = place(scale, "ind")
    if value is not None:
        assessment = assess(scale, lib, value, age_group, protective, risk, other_protective or "", other_risk or "")
        zone_box(assessment.guidance)
        note = checked_text(st.text_area("Din faglige vurdering (valgfri; ingen navne eller CPR-numre)", key="ind-note", height=90), "Den faglige vurdering")
        reference = st.text_input("Reference (valgfri, fx sagsnummer)", key="ind-ref", max_chars=80)
        st.markdown("**Til journalen**")
        st.code(assessment.journal_text(reference, note or ""), language=None, wrap_lines=True)
        st.caption("Intet gemmes, medmindre du vælger at gemme vurderingen under en reference (så kan udviklingen følges).")
        if user is None:
            st.caption("Log ind for at gemme vurderingen.")
        elif st.button("Gem vurderingen", icon=":material/save:", disabled=not reference.strip()):
            try:
                assessment.save(resources.store(), user, reference)
                st.success(f"Vurderingen er gemt under »{markdown_literal(reference.strip())}«.")
            except (PersonalDataError, AuthError) as exc:
                st.error(str(exc))

with intake_tab:
    st.markdown("Modtageteamet screener underretninger med linealen. Vurderingen af, om barnet er i fare, skal ske inden for 24 timer.")
    now = resources.now()
    left, right = st.columns(2)
    received_day = left.date_input("Underretningen modtaget (dato)", value=now.date(), format="DD.MM.YYYY", key="in-day")
    received_time = right.time_input("Klokkeslæt", value=now.time().replace(second=0, microsecond=0), step=300, key="in-time")
    violence = st.checkbox("Underretningen indeholder tegn på vold eller overgreb (eller mistanke om det)", key="in-violence")
    screening = intake(received_day, received_time, violence, now, resources.checklists(), lib)
    if screening.status.acute:
        with st.container(border=True, key="acute-path"):
            st.error("**Akut spor: vold eller overgreb.** Kontakt faglig leder nu, vurdér om barnet skal sikres straks, og tal med barnet – uden forældrenes samtykke og tilstedeværelse, hvis mistanken retter sig mod dem. Politi og børnehus inddrages efter beredskabet.", icon=":material/emergency:")
            if screening.checklist is not None:
                st.page_link(navigation.page_ref(navigation.RUN_PAGE_FILE), label="Tjekliste: Modtagelse af underretning", icon=":material/checklist:", query_params={"id": screening.checklist.id})
            if screening.guideline is not None:
                widgets.guideline_link(screening.guideline)
        widgets.after_hours_box(screening.received)
    st.markdown(f"**Vurdering senest {screening.due_text}** · :{screening.status.colour}[{screening.status.remaining_text}]")
    st.markdown("**Placering i screeningen**")
    intake_value = place(scale, "in")
    if intake_value is not None:
        zone_box(zone_guidance(scale, intake_value, lib))

with meeting_tab:
    district_meeting.entry(user)

with progression_tab:
    if user is None:
        widgets.login_hint("se udviklingen for en gemt reference")
    else:
        reference = st.text_input("Reference", key="prog-ref", placeholder="Den reference, vurderingerne er gemt under")
        if reference.strip():
            followed = progression(resources.store(), user, scale, reference, lib.config.retention_days)
            if followed is None:
                st.info(f"Der er ingen gemte vurderinger under »{markdown_literal(reference.strip())}«.")
            else:
                st.altair_chart(followed.chart, width="stretch")
                st.caption(followed.text)
                st.caption(followed.summary)
