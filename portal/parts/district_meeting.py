"""The distriktsmøde page's parts: the invitation (code, link, QR code), the watcher that redraws
a screen when the meeting changed, a participant's blind placement, the facilitator's controls,
and the revealed rounds with the minutes.

The watcher is a fragment that runs every POLL_SECONDS and reads one integer (the meeting's
revision); only when it differs from what this screen last drew does it rerun the page. So the
reveal reaches every participant's screen within a few seconds without a reload, and an idle
screen costs one indexed read per tick (measured in bench/meeting_poll_bench.py).
"""

from urllib.parse import urlsplit

import streamlit as st

from handbook.content.render import format_date, format_number
from handbook.identity.auth import PermissionDenied, User
from handbook.privacy.cpr import PersonalDataError
from handbook.privacy.textsafe import markdown_literal
from handbook.trivsel import district_meeting as meetings
from handbook.trivsel.district_meeting import MeetingScreen, MeetingState
from handbook.trivsel.scale import Scale
from portal import navigation, resources
from portal.parts.trivsel import place, zone_box

POLL_SECONDS = 2.0
_SEEN = "meeting-seen-revision"
MEETING_PAGE_FILE = "views/distriktsmoede.py"


def join_url(code: str) -> str:
    """The full address of the meeting, as the browser reached the portal."""
    here = urlsplit(st.context.url or "")
    base = f"{here.scheme}://{here.netloc}" if here.netloc else ""
    prefix = here.path.rsplit("/", 1)[0] if here.path.count("/") > 1 else ""
    return f"{base}{prefix}/{meetings.join_path(code)}"


def invitation(state: MeetingState) -> None:
    """The code, the link and a QR code for participants' phones."""
    url = join_url(state.code)
    with st.container(border=True, key="meeting-invitation"):
        left, right = st.columns([3, 1])
        left.markdown(f"**Mødekode:** <span class='hb-meeting-code'>{state.code}</span>", unsafe_allow_html=True)
        left.markdown("Deltagerne logger ind på Håndbogen på deres egen telefon eller pc og åbner linket, scanner QR-koden eller skriver koden under Trivselslinealen → Distriktsmøde.")
        left.code(url, language=None)
        right.image(meetings.qr_svg(url), alt=f"QR-kode med linket til mødet {state.code}", width=160)


def entry(user: User | None) -> None:
    """On the Trivselslinealen page: start a meeting, join one by its code, or reopen one."""
    st.markdown("Hver deltager placerer barnet for sig på sin egen telefon eller pc, uden at se de andres placeringer. Mødelederen viser alle placeringer på én gang, når alle har placeret. Deltagerne nævnes kun med initialer.")
    if user is None:
        st.caption("Log ind for at starte eller deltage i et distriktsmøde.")
        return
    left, right = st.columns(2)
    with left.form("meeting-start"):
        st.markdown("**Start et distriktsmøde**")
        reference = st.text_input("Reference (valgfri, fx sagsnummer – ingen navne eller CPR-numre)", max_chars=80)
        if st.form_submit_button("Start mødet", type="primary", icon=":material/groups:"):
            try:
                started = meetings.start_meeting(resources.store(), user, reference)
            except (PersonalDataError, meetings.MeetingError) as exc:
                st.error(str(exc))
            else:
                st.switch_page(navigation.page_ref(MEETING_PAGE_FILE), query_params={"kode": started.code})
    with right.form("meeting-join"):
        st.markdown("**Deltag i et møde**")
        code = st.text_input("Mødekode", max_chars=12, placeholder="Fx K7QM2X")
        if st.form_submit_button("Åbn mødet", icon=":material/login:") and code.strip():
            st.switch_page(navigation.page_ref(MEETING_PAGE_FILE), query_params={"kode": meetings.normalise_code(code)})
    own = meetings.my_meetings(resources.store(), user)
    if own:
        st.markdown("**Dine distriktsmøder** (genåbn et møde)")
        for held in own[:10]:
            label = f"{held.code} · {format_date(held.created)}" + (f" · {held.reference}" if held.reference else "") + (" · afsluttet" if held.closed else "")
            st.page_link(navigation.page_ref(MEETING_PAGE_FILE), label=label, icon=":material/history:", query_params={"kode": held.code})


def remember_drawn(state: MeetingState) -> None:
    st.session_state[_SEEN] = (state.id, state.revision)


@st.fragment(run_every=POLL_SECONDS)
def watch(meeting_id: int) -> None:
    """Rerun the page when the meeting changed since this screen drew it (another device
    placed, revealed or started a new round)."""
    if st.session_state.get(_SEEN, (meeting_id, 0))[1] != resources.store().meeting_revision(meeting_id):
        st.rerun()


def _act(action, *args) -> None:
    """Run a meeting action; a Danish message instead of a traceback if it is refused."""
    try:
        action(resources.store(), *args)
    except (meetings.MeetingError, PersonalDataError, PermissionDenied, ValueError) as exc:
        st.session_state["meeting-message"] = str(exc)
    st.rerun()


def show_message() -> None:
    message = st.session_state.pop("meeting-message", None)
    if message:
        st.error(message)


def placement_panel(state: MeetingState, user: User, scale: Scale, own: meetings.RoundPlacement | None) -> None:
    """A participant's own, blind placement in the current round."""
    st.header(f"Din placering – runde {state.round}")
    if own is not None:
        st.success(f"Du har placeret barnet på **{own.value}** ({scale.zone_for(own.value).name.lower()} zone) som {own.initials}. Du kan ændre det, indtil mødelederen viser placeringerne.", icon=":material/check_circle:")
    st.caption("De andre ser ikke din placering, før mødelederen viser alle på én gang.")
    initials = st.text_input("Dine initialer", value=own.initials if own else meetings.default_initials(user), max_chars=5, key=f"meeting-initials-{state.id}")
    value = place(scale, f"meeting-{state.id}-{state.round}")
    if st.button("Gem min placering" if own is None else "Ret min placering", type="primary", icon=":material/how_to_vote:", key="meeting-place"):
        _act(meetings.place, user, state, initials, value, scale)


def facilitator_panel(screen: MeetingScreen, user: User) -> None:
    """Who has placed (not where), and the facilitator's buttons."""
    state = screen.state
    placed = state.placed_initials()
    with st.container(border=True, key="meeting-facilitator"):
        st.markdown(f"**Mødeleder – runde {state.round}.** Har placeret ({len(placed)}): {', '.join(placed) if placed else 'ingen endnu'}")
        left, middle, right = st.columns(3)
        if not state.revealed and not state.closed:
            if left.button("Vis placeringer", type="primary", icon=":material/visibility:", disabled=not placed, key="meeting-reveal"):
                _act(meetings.reveal, user, state)
        elif not state.closed and middle.button(f"Ny placering (runde {state.round + 1})", icon=":material/replay:", key="meeting-round"):
            _act(meetings.new_round, user, state)
        if right.button("Genåbn mødet" if state.closed else "Afslut mødet", icon=":material/lock_open:" if state.closed else ":material/lock:", key="meeting-close"):
            _act(meetings.set_closed, user, state, not state.closed)


def rounds(screen: MeetingScreen, scale: Scale) -> None:
    """The revealed rounds: the latest in full, the earlier ones folded, and the movement."""
    latest = screen.latest
    if latest is None:
        st.info(f"Placeringerne vises, når mødelederen trykker »Vis placeringer«. {len(screen.state.placed_initials())} har placeret indtil nu.", icon=":material/visibility_off:")
        return
    st.header(f"Placeringer – runde {latest.number}")
    _round(latest, scale)
    if screen.movement:
        st.markdown(f"**Bevægelse fra runde {screen.rounds[-2].number}:** " + "; ".join(screen.movement))
    zone_box(latest.shown.guidance)
    for earlier in reversed(screen.rounds[:-1]):
        with st.expander(f"Runde {earlier.number}"):
            _round(earlier, scale)


def _round(revealed: meetings.RevealedRound, scale: Scale) -> None:
    result = revealed.shown.result
    st.vega_lite_chart(spec=revealed.shown.ruler.spec, width="stretch")
    st.caption(revealed.shown.ruler.text)
    st.markdown(f"**Median {format_number(result.median)}** ({result.median_zone.name.lower()} zone) · spredning {result.low}–{result.high} · " + ", ".join(f"{p.initials}: {p.value}" for p in result.placements))
    if revealed.shown.warning:
        st.warning(revealed.shown.warning, icon=":material/forum:")


def outcome(screen: MeetingScreen, user: User) -> None:
    """The agreed conclusion and actions (the facilitator writes them; everyone reads them)."""
    state = screen.state
    st.header("Konklusion og handlinger")
    if screen.is_facilitator and screen.rounds:
        with st.form(f"meeting-outcome-{state.id}"):
            conclusion = st.text_area("Konklusion (ingen navne eller CPR-numre)", value=state.conclusion, height=90)
            actions = st.text_area("Handlinger (én pr. linje, fx »PPR indkalder til UTM – AB«)", value=state.actions, height=90)
            if st.form_submit_button("Gem konklusion og handlinger", icon=":material/save:"):
                _act(meetings.record_outcome, user, state, conclusion, actions)
    elif state.conclusion or state.actions:
        st.markdown(markdown_literal(state.conclusion))
        st.markdown("\n".join(f"- {markdown_literal(line)}" for line in state.actions.splitlines() if line.strip()))
    else:
        st.caption("Mødelederen skriver konklusionen og handlingerne, når placeringerne er vist.")


def minutes(screen: MeetingScreen) -> None:
    st.header("Referat")
    st.code(screen.minutes, language=None, wrap_lines=True)
    left, right = st.columns(2)
    left.download_button("Hent referatet (tekst)", screen.minutes, file_name=f"{screen.minutes_file}.txt", mime="text/plain", icon=":material/download:", key="meeting-minutes-txt", on_click="ignore")
    right.download_button("Udskriftsversion (HTML)", screen.minutes_html, file_name=f"{screen.minutes_file}.html", mime="text/html", icon=":material/print:", key="meeting-minutes-html", on_click="ignore")
