"""AppTest of the Metoder page: method guides, figures, and the worksheets (sos, ics, tre huse)."""

from tests.app.conftest import texts

PAGE = "views/metoder.py"


def test_overview_lists_the_method_guides_and_draws_the_figures(make_app):
    app = make_app(page=PAGE)
    shown = texts(app)
    for title in ("ICS som fælles faglig metode", "Signs of Safety i sagsbehandlingen", "Trivselslinealen"):
        assert title in shown
    assert "ICS er rammen, SOS er samtalen." in shown
    images = [child for child in app.main.children.values() if child.type == "image"]
    captions = [image.proto.imgs[0].caption for image in images]
    assert [c.split(":")[0] for c in captions] == ["ICS-trekanten", "Tragtmodellen"]


def test_sos_worksheet_adds_items_and_scalings_and_exports(make_app):
    app = make_app(page=PAGE, ark="sos")
    assert any(link.proto.label.startswith("Retningslinjen: Signs of Safety") for link in app.get("page_link"))
    [new_item] = [t for t in app.text_area if t.key == "sos-col-0-new"]
    new_item.input("Far råber om aftenen")
    [add] = [b for b in app.button if b.label == "Tilføj"][:1]
    add.click().run()
    form_initials = [t for t in app.text_input if t.label == "Initialer"][0]
    form_initials.input("AB")
    app.session_state["sos-scale-value"] = 4
    [add_scaling] = [b for b in app.button if b.label == "Tilføj skalering"]
    add_scaling.click().run()
    exported = app.code[0].value
    assert "## Hvad bekymrer os?\n\n- Far råber om aftenen" in exported
    assert "- AB: 4" in exported


def test_sos_item_with_a_cpr_number_is_refused(make_app):
    app = make_app(page=PAGE, ark="sos")
    [new_item] = [t for t in app.text_area if t.key == "sos-col-1-new"]
    new_item.input("Barnet 010203-1234 har det godt")
    [add] = [b for b in app.button if b.label == "Tilføj"][1:2]
    add.click().run()
    assert "CPR-nummer" in app.error[0].value
    assert "010203-1234" not in app.code[0].value


def test_ics_worksheet_checks_coverage_and_links_its_guideline(make_app):
    app = make_app(page=PAGE, ark="ics")
    assert "Mangler 5 af 5" in app.warning[0].value
    for checkbox in app.checkbox:
        checkbox.check()
    app.run()
    assert app.success[0].value == "Alle områder er belyst."
    assert any("Den børnefaglige undersøgelse" in link.proto.label for link in app.get("page_link"))
