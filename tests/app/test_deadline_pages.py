"""AppTest of the deadline features: no form around the start (Enter cannot start a run),
start-time correction with a reason, closing refused while steering questions are open, date
questions during the run, the after-hours box, and the "Mine frister" page."""

from datetime import date, datetime

from tests.app.conftest import texts

RUN_PAGE = "views/tjekliste.py"


def start(make_app, checklist_id: str, day: date, hour: int, answers: dict[str, object], reference: str = "Sag 7"):
    app = make_app(page=RUN_PAGE, user="mads:medarbejder", id=checklist_id)
    assert not app.main.get("form"), "the start must not be a form: Enter in a field would submit it"
    app.text_input(key="start-reference").input(reference)
    app.date_input(key="start-day").set_value(day)
    app.time_input(key="start-time").set_value(datetime(2000, 1, 1, hour, 0).time())
    for question_id, value in answers.items():
        widget = app.date_input(key=f"q-{question_id}") if isinstance(value, date) else app.radio(key=f"q-{question_id}")
        widget.set_value(value)
    app.run()
    return app


def run_id_of(app) -> str:
    value = app.query_params["forloeb"]
    return str(value[0] if isinstance(value, list) else value)


def click(app, label: str):
    [button] = [b for b in app.button if b.label == label]
    return button.click().run()



def test_correcting_the_start_time_needs_a_reason_and_moves_the_deadlines(make_app):
    app = click(start(make_app, "underretning", date(2026, 12, 7), 10, {"akut": False}), "Start forløb")
    assert app.query_params["forloeb"]
    assert any("Frist tirs. 8. december 2026 kl. 10.00" in m.value for m in app.markdown)
    run_id = run_id_of(app)
    app.date_input(key=f"run{run_id}-new-day").set_value(date(2026, 12, 4))
    app.time_input(key=f"run{run_id}-new-time").set_value(datetime(2000, 1, 1, 15, 0).time())
    app = click(app, "Ret starttidspunkt")
    assert "Skriv en begrundelse" in app.error[0].value
    app.text_input(key=f"run{run_id}-reason").input("Underretningen kom fredag kl. 15")
    app = click(app, "Ret starttidspunkt")
    shown = texts(app)
    assert "**Underretning modtaget:** fre. 4. december 2026 kl. 15.00" in shown
    assert "Underretningen kom fredag kl\\. 15" in shown  # shown as plain text (the full stop escaped for Markdown)
    assert any("Frist lør. 5. december 2026 kl. 15.00" in m.value and "weekend (lørdag)" in m.value for m in app.markdown)
    assert "Begrundelse: Underretningen kom fredag kl. 15" in app.code[0].value


def test_closing_is_refused_until_steering_questions_are_answered_or_not_relevant(make_app):
    app = click(start(make_app, "underretning", date(2026, 12, 7), 10, {"akut": False}), "Start forløb")
    app = click(app, "Afslut forløbet")
    assert "Forløbet kan ikke afsluttes" in app.error[0].value and "»Hvem har underrettet?«" in app.error[0].value
    assert not app.success
    run_id = run_id_of(app)
    for question_id, value in (("aaben-sag", False), ("overgreb", False), ("underretter", "<ikke relevant>")):
        app.radio(key=f"run{run_id}-q-{question_id}").set_value(value).run()
    assert "- Hvem har underrettet? Ikke relevant" in app.code[0].value
    app = click(app, "Afslut forløbet")
    assert "Forløbet er afsluttet" in app.success[0].value


def test_an_akut_underretning_after_hours_shows_who_acts_now(make_app):
    app = start(make_app, "underretning", date(2026, 12, 4), 15, {"akut": True})  # Friday after closing
    assert any("Uden for åbningstid" in w.value for w in app.warning)
    assert "Den sociale vagt (socialvagten)" in texts(app) and "Nummeret er ikke angivet – spørg din leder" in texts(app) and "config/portal.yaml" not in texts(app)
    daytime = start(make_app, "underretning", date(2026, 12, 3), 10, {"akut": True})
    assert not any("Uden for åbningstid" in w.value for w in daytime.warning)


def test_the_trivsel_intake_tab_shows_the_after_hours_guidance_for_the_acute_path(make_app):
    app = make_app(page="views/trivsel.py")
    app.date_input(key="in-day").set_value(date(2026, 12, 5))
    app.checkbox(key="in-violence").check().run()
    assert any("Uden for åbningstid" in w.value for w in app.warning)


def test_date_questions_are_answered_during_the_run_and_mine_frister_lists_the_deadline(make_app):
    app = click(start(make_app, "barnets-plan", date(2027, 2, 1), 9, {"anbringelse": True, "samtykke": False}), "Start forløb")
    run_id = run_id_of(app)
    assert any("Frist: 0 dage efter »Dato for afgørelsen om indsatsen (eller den planlagte dato)«" in c.value for c in app.caption)
    app.date_input(key=f"run{run_id}-q-afgoerelse").set_value(date(2027, 2, 10)).run()
    assert any("Frist ons. 10. februar 2027 (senest denne dag)" in m.value for m in app.markdown)
    app.radio(key=f"run{run_id}-q-samtykke").set_value(True).run()
    assert any("Frist man. 10. maj 2027 (senest denne dag)" in m.value for m in app.markdown)
    overview = make_app(page="views/mine_frister.py", user="mads:medarbejder")
    assert "Færdiggør planen" in [link.proto.label for link in overview.get("page_link")]
    assert any("man. 10. maj 2027 (senest denne dag)" in m.value for m in overview.markdown)
    assert [b for b in overview.get("download_button") if "kalenderfil" in b.proto.label]


def test_administrators_are_warned_on_the_front_page_until_the_after_hours_numbers_are_filled_in(make_app):
    admin = make_app(user="alma:admin")
    [warning] = [w.value for w in admin.warning if "numrene til vagten" in w.value]
    assert "Telefonnummeret til »Den sociale vagt (socialvagten)« er ikke udfyldt" in warning and "Politiet" not in warning
    caseworker = make_app(user="mads:medarbejder")
    assert not [w for w in caseworker.warning if "numrene til vagten" in w.value]
