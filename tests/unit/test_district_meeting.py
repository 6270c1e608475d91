"""The distriktsmøde as a meeting: blind placements per participant, a reveal only the
facilitator can make, a second round that keeps the first, the minutes with the movement,
CPR-guarded texts, persistence across store handles, and the retention."""

from datetime import UTC, datetime, timedelta

import pytest

from handbook.content.library import load_library
from handbook.identity import auth
from handbook.identity.auth import PermissionDenied
from handbook.privacy.cpr import PersonalDataError
from handbook.retention import purge
from handbook.settings import PROJECT_ROOT, paths_from_env
from handbook.store.database import Store
from handbook.trivsel import district_meeting as dm
from handbook.trivsel.scale import load_scale

SCALE = load_scale(PROJECT_ROOT / "config" / "trivselslinealen.yaml")
LIBRARY = load_library(paths_from_env({}))


@pytest.fixture
def people(tmp_path):
    store = Store(tmp_path / "h.db")
    users = {name: auth.add_user(store, name, "en-lang-adgangskode", "medarbejder", display_name=full) for name, full in
             (("lene", "Lene Holm"), ("anna", "Anna Berg"), ("carl", "Carl Dahl"))}
    return store, users


def test_placements_stay_blind_until_the_facilitator_reveals_them(people):
    store, u = people
    started = dm.start_meeting(store, u["lene"], "Sag 17")
    assert len(started.code) == dm.CODE_LENGTH and set(started.code) <= set(dm.CODE_ALPHABET)
    joined = dm.meeting_for_code(store, u["anna"], started.code.lower())
    dm.place(store, u["anna"], joined, "AB", 3, SCALE)
    dm.place(store, u["carl"], dm.load_meeting(store, joined.id), "CD", 6, SCALE)
    state = dm.load_meeting(store, joined.id)
    facilitator_view = dm.screen(state, u["lene"], SCALE, LIBRARY)
    assert state.placed_initials() == ["AB", "CD"] and facilitator_view.rounds == ()
    assert "Placeringerne er ikke vist endnu." in facilitator_view.minutes and "AB" not in facilitator_view.minutes
    assert dm.screen(state, u["anna"], SCALE, LIBRARY).own.value == 3
    with pytest.raises(PermissionDenied):
        dm.reveal(store, u["anna"], state)
    dm.reveal(store, u["lene"], state)
    shown = dm.screen(dm.load_meeting(store, state.id), u["carl"], SCALE, LIBRARY)
    assert shown.latest.shown.result.median == 4.5
    assert "Median: 4,5 (Orange) · spredning 3–6" in shown.minutes and "- AB: 3 (Orange)" in shown.minutes


def test_a_second_round_keeps_the_first_and_the_minutes_show_the_movement(people):
    store, u = people
    state = dm.start_meeting(store, u["lene"])
    dm.place(store, u["anna"], state, "AB", 2, SCALE)
    dm.place(store, u["carl"], state, "CD", 6, SCALE)
    dm.reveal(store, u["lene"], dm.load_meeting(store, state.id))
    with pytest.raises(dm.MeetingError, match="vist"):
        dm.place(store, u["anna"], dm.load_meeting(store, state.id), "AB", 4, SCALE)
    dm.new_round(store, u["lene"], dm.load_meeting(store, state.id))
    second = dm.load_meeting(store, state.id)
    assert second.round == 2 and not second.revealed and second.placed_initials() == []
    assert [r.number for r in dm.screen(second, u["anna"], SCALE, LIBRARY).rounds] == [1]  # round 1 stays visible
    dm.place(store, u["anna"], second, "AB", 4, SCALE)
    dm.place(store, u["carl"], second, "CD", 5, SCALE)
    dm.reveal(store, u["lene"], dm.load_meeting(store, state.id))
    dm.record_outcome(store, u["lene"], dm.load_meeting(store, state.id), "Familien inviteres til UTM.", "PPR indkalder – AB\n\n- Skolen følger op – CD")
    final = dm.screen(dm.load_meeting(store, state.id), u["lene"], SCALE, LIBRARY)
    assert final.movement == ("AB: 2 → 4", "CD: 6 → 5")
    text = final.minutes
    assert "Runde 1:" in text and "Runde 2:" in text and "Bemærk: Placeringerne spænder fra rød til gul zone" in text
    assert "Bevægelse fra runde 1 til runde 2: AB: 2 → 4; CD: 6 → 5" in text
    assert text.endswith("Konklusion: Familien inviteres til UTM.\n\nHandlinger:\n- PPR indkalder – AB\n- Skolen følger op – CD\n")
    page = final.minutes_html()
    assert page.startswith("<!doctype html><html lang='da'>") and "<h1>Distriktsmøde" in page and "Median: 4,5" in page


def test_placing_again_replaces_ones_own_placement_and_initials_cannot_be_borrowed(people):
    store, u = people
    state = dm.start_meeting(store, u["lene"])
    assert dm.default_initials(u["anna"]) == "AB"
    dm.place(store, u["anna"], state, "AB", 2, SCALE)
    dm.place(store, u["anna"], dm.load_meeting(store, state.id), "AB", 5, SCALE)
    assert [(p.initials, p.value) for p in dm.load_meeting(store, state.id).placements] == [("AB", 5)]
    with pytest.raises(dm.MeetingError, match="allerede brugt"):
        dm.place(store, u["carl"], dm.load_meeting(store, state.id), "ab", 3, SCALE)
    with pytest.raises(ValueError, match="initialer"):
        dm.place(store, u["carl"], state, "Carl Dahl", 3, SCALE)
    with pytest.raises(dm.MeetingError, match="Vælg en placering"):
        dm.place(store, u["carl"], state, "CD", None, SCALE)
    with pytest.raises(ValueError, match="uden for skalaen"):
        dm.place(store, u["carl"], state, "CD", 11, SCALE)
    with pytest.raises(dm.MeetingError, match="Ingen har placeret"):
        dm.reveal(store, u["lene"], dm.start_meeting(store, u["lene"]))


def test_cpr_numbers_are_refused_in_the_reference_and_the_outcome_and_nothing_is_stored(people):
    store, u = people
    with pytest.raises(PersonalDataError, match="Referencen"):
        dm.start_meeting(store, u["lene"], "Barn 010203-1234")
    assert dm.my_meetings(store, u["lene"]) == []
    state = dm.start_meeting(store, u["lene"])
    with pytest.raises(PersonalDataError, match="Handlingerne"):
        dm.record_outcome(store, u["lene"], state, "UTM", "Ring til 0102031234")
    with pytest.raises(PersonalDataError):  # the database's own guard, whatever path writes
        store.update_meeting(state.id, {"conclusion": "0102031234"})
    assert dm.load_meeting(store, state.id).actions == ""
    with pytest.raises(PermissionDenied):
        dm.start_meeting(store, None)


def test_a_meeting_survives_a_new_store_handle_can_be_closed_reopened_and_is_purged(people, tmp_path):
    store, u = people
    state = dm.start_meeting(store, u["lene"], "Sag 9")
    dm.place(store, u["anna"], state, "AB", 7, SCALE)
    reopened = Store(tmp_path / "h.db")  # as after a server restart
    again = dm.meeting_for_code(reopened, u["lene"], f" {state.code} ")
    assert again.placed_initials() == ["AB"] and again.reference == "Sag 9"
    assert [m.code for m in dm.my_meetings(reopened, u["lene"])] == [state.code]
    before = reopened.meeting_revision(state.id)
    dm.set_closed(reopened, u["lene"], again, True)
    assert reopened.meeting_revision(state.id) == before + 1
    with pytest.raises(dm.MeetingError, match="afsluttet"):
        dm.place(reopened, u["carl"], dm.load_meeting(reopened, state.id), "CD", 3, SCALE)
    dm.set_closed(reopened, u["lene"], dm.load_meeting(reopened, state.id), False)
    dm.place(reopened, u["carl"], dm.load_meeting(reopened, state.id), "CD", 3, SCALE)
    with pytest.raises(dm.MeetingError, match="intet møde"):
        dm.meeting_for_code(reopened, u["anna"], "ZZZZZZ")
    config = load_library(paths_from_env({})).config
    assert purge(reopened, config, now=datetime.now(UTC) + timedelta(days=config.retention_days - 1)).meetings == 0
    report = purge(reopened, config, now=datetime.now(UTC) + timedelta(days=config.retention_days + 1))
    assert report.meetings == 1 and "1 distriktsmøder" in report.text()
    assert reopened.meeting_placements(state.id) == [] and reopened.meeting_revision(state.id) == 0


def test_the_join_link_is_drawn_as_a_qr_code():
    svg = dm.qr_svg("https://haandbog.example.dk/distriktsmoede?kode=K7QM2X")
    assert svg.startswith("<svg") and "QR-kode til mødet" in svg
    assert dm.join_path("K7QM2X") == "distriktsmoede?kode=K7QM2X"
