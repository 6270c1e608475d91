"""AppTest of the Trivselslinealen page: the scale in config drives the whole page."""

from handbook.trivsel.meeting import Placement
from tests.app.conftest import texts
from tests.conftest import write
from tests.unit.test_trivsel import THREE_ZONES

PAGE = "views/trivsel.py"


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


def test_a_distriktsmoede_far_apart_gives_a_warning_and_minutes_to_download(make_app):
    app = make_app(page=PAGE)
    app.session_state["meeting-placements"] = [Placement("AB", 2), Placement("CD", 5), Placement("EF", 6)]
    app.run()
    assert [w.value for w in app.warning if "mere end én zone fra hinanden" in w.value]
    assert "**Median 5** (Gul) · spredning 2–6" in texts(app)
    [conclusion] = [t for t in app.text_area if t.key == "meeting-conclusion"]
    conclusion.input("UTM inden for fire uger.").run()
    [minutes] = [c.value for c in app.code if c.value.startswith("Distriktsmøde")]
    assert "- AB: 2 (Rød)\n- CD: 5 (Gul)\n- EF: 6 (Gul)\n" in minutes and minutes.rstrip().endswith("Konklusion: UTM inden for fire uger.")


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
