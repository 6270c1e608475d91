"""AppTest of the Trivselslinealen page (the scale in config drives the whole page) and of the\ndistriktsmøde page."""

import os
from pathlib import Path

from handbook.identity.auth import add_user
from handbook.store.database import Store
from handbook.trivsel import district_meeting as dm
from tests.app.conftest import texts
from tests.conftest import write
from tests.unit.test_trivsel import BUNDLED as SCALE
from tests.unit.test_trivsel import THREE_ZONES

PAGE = "views/trivsel.py"
MEETING_PAGE = "views/distriktsmoede.py"


def app_data(app):
    return Path(os.environ["HANDBOOK_DATA_DIR"])


def test_a_1_to_5_scale_with_three_zones_drives_the_page(make_app, content_root):
    write(content_root / "config" / "trivselslinealen.yaml", THREE_ZONES)
    app = make_app(content_root=content_root, page=PAGE)
    assert "Skala 1–5 (Truet trivsel → I trivsel) i 3 zoner" in app.caption[0].value
    placement = app.get("button_group")[0]
    assert [o.content for o in placement.proto.options] == ["1", "2", "3", "4", "5"]
    app.session_state["ind-value"] = 3
    app.run()
    shown = texts(app)
    assert "Gul zone (3–3)" in shown and "**Zonen kalder på:** Drøftelse på distriktsmøde" in shown
    assert "Placering: 3 på skalaen 1–5 (Gul: Sårbar)" in app.code[0].value


def test_the_acute_path_is_prominent_when_there_are_signs_of_violence(make_app):
    app = make_app(page=PAGE)
    assert not [e for e in app.error if "Akut spor" in e.value]
    app.checkbox(key="in-violence").check().run()
    assert "Akut spor: vold eller overgreb" in app.error[0].value
    assert any(line.startswith("**Vurdering senest") for line in texts(app).splitlines())


def test_a_broken_scale_gives_a_clear_message(make_app, content_root):
    write(content_root / "config" / "trivselslinealen.yaml", THREE_ZONES.replace("min: 3, max: 3", "min: 4, max: 4"))
    app = make_app(content_root=content_root, page=PAGE)
    assert "config/trivselslinealen.yaml) har fejl" in app.error[0].value


def test_the_distriktsmoede_tab_starts_a_meeting_and_refuses_a_cpr_number_as_reference(make_app):
    anonymous = make_app(page=PAGE)
    assert "Log ind for at starte eller deltage i et distriktsmøde." in texts(anonymous)
    app = make_app(page=PAGE, user="lene:medarbejder")
    [reference] = [t for t in app.text_input if t.label.startswith("Reference (valgfri, fx sagsnummer – ingen")]
    reference.input("Barn 010203-1234")
    [start] = [b for b in app.button if b.label == "Start mødet"]
    start.click().run()
    assert any("CPR-nummer" in e.value for e in app.error)
    assert Store(app_data(app) / "handbook.db").meetings_of("lene") == []


def test_a_participant_sees_only_who_has_placed_until_the_reveal(make_app, tmp_path):
    store = Store(tmp_path / "data" / "handbook.db")
    lene = add_user(store, "lene", "en-lang-adgangskode", "medarbejder", display_name="Lene Holm")
    anna = add_user(store, "anna", "en-lang-adgangskode", "medarbejder", display_name="Anna Berg")
    state = dm.start_meeting(store, lene, "Sag 17")
    dm.place(store, anna, state, "AB", 2, SCALE)
    app = make_app(page=MEETING_PAGE, user="carl:medarbejder", kode=state.code.lower())
    shown = texts(app)
    assert f"Mødekode {state.code} · reference Sag 17 · runde 1" in shown and "1 har placeret indtil nu" in app.info[0].value
    assert "AB: 2" not in shown and not app.get("vega_lite_chart")[1:]  # only the ruler to place on
    assert app.text_input[0].value == "CA"  # the default initials (the account has no display name)
    dm.reveal(store, lene, dm.load_meeting(store, state.id))
    app.run()
    assert "**Median 2** (rød zone) · spredning 2–2 · AB: 2" in texts(app)


def test_a_saved_assessment_shows_in_the_progression(make_app):
    app = make_app(page=PAGE, user="mads:medarbejder")
    app.session_state["ind-value"] = 4
    app.run()
    [reference] = [t for t in app.text_input if t.key == "ind-ref"]
    reference.input("Sag 17").run()
    [save] = [b for b in app.button if b.label == "Gem vurderingen"]
    save.click().run()
    assert app.success[0].value == "Vurderingen er gemt under »Sag 17«."
    [follow] = [t for t in app.text_input if t.key == "prog-ref"]
    follow.input("Sag 17").run()
    shown = texts(app)
    assert "Udvikling over tid på Trivselslinealen (1 vurderinger)" in shown and "1 vurderinger fra " in shown
