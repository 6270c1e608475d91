"""AppTest of the Trivselslinealen page: the scale in config drives the whole page."""

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
