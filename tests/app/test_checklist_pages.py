"""AppTest of the checklist pages: preview, starting a run, answers switching steps, CPR refusal,
ticking, export, and the leaders' overview."""

LIST_PAGE = "views/tjeklister.py"
RUN_PAGE = "views/tjekliste.py"


def start_underretning(make_app, reference: str = "Sag 17", akut: str = "Nej"):
    app = make_app(page=RUN_PAGE, user="mads:medarbejder", id="underretning")
    app.text_input[0].input(reference)
    [question] = [r for r in app.radio if r.label == "Er underretningen akut?"]
    question.set_value({"Ja": True, "Nej": False}[akut])
    [submit] = [b for b in app.button if b.label == "Start forløb"]
    return submit.click().run()


def test_anonymous_readers_see_the_steps_and_are_asked_to_log_in(make_app):
    app = make_app(page=RUN_PAGE, id="underretning")
    assert app.title[0].value == "Modtagelse af underretning"
    assert "Log ind for at starte et forløb." in [i.value for i in app.info]
    assert any("Vurdér inden for 24 timer" in e.label for e in app.expander)


def test_starting_a_run_with_a_cpr_number_in_the_reference_is_refused(make_app):
    app = start_underretning(make_app, reference="Barn 010203-1234")
    assert "CPR-nummer" in app.error[0].value
    assert "forloeb" not in app.query_params


def test_a_run_shows_the_steps_for_the_answers_and_ticks_are_kept(make_app):
    app = start_underretning(make_app)
    assert app.query_params["forloeb"]
    labels = [c.label for c in app.checkbox]
    assert "Vurdér inden for 24 timer, om barnet er i fare" in labels
    assert not any(label.startswith("Handl straks") for label in labels)
    [akut] = [r for r in app.radio if r.label == "Er underretningen akut?"]
    akut.set_value(True).run()
    assert any(c.label.startswith("Handl straks") for c in app.checkbox)
    [vurdering] = [c for c in app.checkbox if c.label.startswith("Vurdér")]
    vurdering.check().run()
    journal = app.code[0].value
    assert "Reference: Sag 17" in journal and "[x] Vurdér inden for 24 timer, om barnet er i fare – udført" in journal


def test_leaders_see_overdue_counts_without_references(make_app):
    start_underretning(make_app)
    app = make_app(page="views/tjeklister_overblik.py", user="lise:redaktør")
    table = app.dataframe[0].value
    assert list(table["Tjekliste"]) == ["Modtagelse af underretning"]
    assert list(table["Igangværende forløb"]) == [1]
    assert "Sag 17" not in table.to_string()


def test_bundled_checklists_are_all_valid_and_listed(make_app):
    app = make_app(page=LIST_PAGE)
    links = [link.proto.label for link in app.main.get("page_link")]
    for title in ("Modtagelse af underretning", "Introduktion for nye medarbejdere"):
        assert title in links
    assert not [e for e in app.expander if "fejl i tjeklisterne" in e.label]


def test_an_abuse_underretning_starts_the_abuse_checklist_for_the_same_case(make_app):
    app = start_underretning(make_app, reference="Sag 31")
    first = app.query_params["forloeb"]
    [abuse] = [r for r in app.radio if r.label.startswith("Handler underretningen om vold eller overgreb")]
    abuse.set_value(True).run()
    [button] = [b for b in app.button if b.label.startswith("Start tjeklisten »")]
    app = button.click().run()
    assert app.query_params["forloeb"] != first
    assert app.title[0].value == "Vold eller overgreb mod et barn"
    assert "reference Sag 31" in app.caption[0].value


def test_a_leder_sees_the_introduction_of_the_new_staff_in_their_own_teams_only(make_app, tmp_path):
    from handbook.store.database import Store

    for name in ("nina", "otto"):  # two new employees, in two teams, each starting their introduction
        app = make_app(page=RUN_PAGE, user=f"{name}:medarbejder", id="introduktion")
        [submit] = [b for b in app.button if b.label == "Start forløb"]
        submit.click().run()
    make_app(user="lene:leder")
    store = Store(tmp_path / "data" / "handbook.db")
    store.set_teams("lene", ["Modtageteam"])
    store.set_teams("nina", ["Modtageteam"])
    store.set_teams("otto", ["Distrikt Nord"])
    app = make_app(page="views/tjeklister_overblik.py", user="lene:leder")
    shown = " ".join(m.value for m in app.markdown)
    assert "**nina**" in shown and "otto" not in shown
    assert not app.dataframe  # the department's counts are for editors and admins
    assert not app.error
