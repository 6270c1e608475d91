"""AppTests of the ledelsestilsyn pages: rounds and a new round, drawing and recording, the
figures, the staff-meeting themes, "Mit tilsyn" and the teams in the user administration."""

from datetime import date

import pytest

from handbook.identity.auth import User, add_user
from handbook.identity.users import set_teams_as_administrator
from handbook.settings import PROJECT_ROOT
from handbook.store.database import Store
from handbook.tilsyn import answers, rounds, sampling
from handbook.tilsyn.schema import load_templates
from tests.app.conftest import texts

LEDER = User("lene", "lene", "leder")
CASES = "\n".join(f"{'mette' if n <= 5 else 'jonas'}, 2026-{n:04d}" for n in range(1, 11))


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "data" / "handbook.db")
    for name, role in (("lene", "leder"), ("mette", "medarbejder"), ("ole", "leder")):
        add_user(store, name, "en-lang-adgangskode", role)
    set_teams_as_administrator(store, "lene", ["Modtageteam"])
    set_teams_as_administrator(store, "ole", ["Rådgivning"])
    return store


def drawn_round(store, answer_with: str | None = None) -> int:
    round_id = rounds.create_round(store, LEDER, load_templates(PROJECT_ROOT / "tilsyn"), "underretninger", "2026-05", "Modtageteam")
    sampling.sample_round(store, LEDER, round_id, CASES, 3, seed=5)
    if answer_with:
        for case in store.round_cases(round_id, drawn_only=True):
            for criterion in ("underretning-24-timer", "kvittering"):
                answers.record_answer(store, LEDER, round_id, case["id"], criterion, answer_with if criterion == "kvittering" else "ja", today=date(2026, 6, 1))
    return round_id


def test_a_leder_creates_a_round_for_their_team(make_app, store):
    app = make_app(page="views/tilsyn.py", user="lene:leder")
    assert app.title[0].value == "Ledelsestilsyn"
    [template] = [s for s in app.selectbox if s.label == "Tilsynsskema"]
    template.set_value("underretninger")
    [team] = [s for s in app.selectbox if s.label == "Team"]
    assert team.options == ["Modtageteam"]
    [create] = [b for b in app.button if b.label == "Opret runde"]
    create.click().run()
    [row] = store.tilsyn_rounds()
    assert (row["template_id"], row["team"], row["reviewer"]) == ("underretninger", "Modtageteam", "lene")


def test_a_leder_without_a_team_is_told_so_and_a_caseworker_has_no_access(make_app, store):
    set_teams_as_administrator(store, "lene", [])
    app = make_app(page="views/tilsyn.py", user="lene:leder")
    assert "Du er ikke leder for et team endnu" in app.info[0].value
    app = make_app(user="mette:medarbejder")
    assert "Tilsynsrunder" not in texts(app) and "Tilsyn – tal" not in texts(app)
    assert "Mit tilsyn" in texts(app)


def test_drawing_refuses_a_cpr_number_and_then_draws_three_per_caseworker(make_app, store):
    round_id = rounds.create_round(store, LEDER, load_templates(PROJECT_ROOT / "tilsyn"), "underretninger", "2026-05", "Modtageteam")
    app = make_app(page="views/tilsyn_runde.py", user="lene:leder", runde=str(round_id))
    app.text_area[0].input(CASES + "\njonas, 010203-1234")
    [draw] = [b for b in app.button if b.label == "Træk sager"]
    draw.click().run()
    assert "Linje 11\\: ser ud til at indeholde et CPR" in app.error[0].value and store.round_cases(round_id) == []
    app.text_area[0].input(CASES)
    app.text_input[0].input("42")
    [draw] = [b for b in app.button if b.label == "Træk sager"]
    draw.click().run()
    assert rounds.get_round(store, round_id).seed == 42
    assert "frø **42**" in app.info[0].value
    assert sum("· mette" in e.label for e in app.expander) == 3 and sum("· jonas" in e.label for e in app.expander) == 3


def test_an_answer_is_saved_as_it_is_given_and_nej_gets_a_fix_by_date(make_app, store):
    round_id = drawn_round(store)
    app = make_app(page="views/tilsyn_runde.py", user="lene:leder", runde=str(round_id))
    case = store.round_cases(round_id, drawn_only=True)[0]
    app.radio(key=f"svar-{case['id']}-kvittering").set_value("nej").run()
    saved = answers.round_answers(store, round_id)[(case["id"], "kvittering")]
    assert saved.answer == "nej" and saved.status == "åben"
    assert app.date_input(key=f"frist-{case['id']}-kvittering").value == date.fromisoformat(saved.fix_by)
    app.radio(key=f"svar-{case['id']}-genvurdering").set_value("ikke relevant").run()
    assert (case["id"], "genvurdering") not in answers.round_answers(store, round_id)
    assert any("Skriv begrundelsen" in e.value for e in app.error)
    app.text_input(key=f"grund-{case['id']}-genvurdering").input("Ingen åben sag").run()
    assert answers.round_answers(store, round_id)[(case["id"], "genvurdering")].reason == "Ingen åben sag"
    app.text_input(key=f"note-{case['id']}-kvittering").input("CPR 010203-1234").run()
    assert any("CPR-nummer" in e.value for e in app.error)
    assert answers.round_answers(store, round_id)[(case["id"], "kvittering")].note == ""


def test_the_round_page_refuses_another_teams_leder(make_app, store):
    round_id = drawn_round(store)
    app = make_app(page="views/tilsyn_runde.py", user="ole:leder", runde=str(round_id))
    assert "ikke leder for teamet 'Modtageteam'" in app.error[0].value
    assert not app.expander


def test_the_figures_show_x_af_y_sager_and_per_caseworker_for_the_leder(make_app, store):
    drawn_round(store, answer_with="nej")
    app = make_app(page="views/tilsyn_tal.py", user="lene:leder")
    table = app.dataframe[0].value
    assert list(table["Sager i orden"]) == ["6 af 6 sager", "0 af 6 sager"] and list(table["Andel"]) == ["100 %", "0 %"]
    assert any("Tal pr. rådgiver" in e.label for e in app.expander)
    assert [b.label for b in app.get("download_button")] == ["Hent som CSV", "Hent som Excel"]
    assert app.get("arrow_vega_lite_chart") or app.get("vega_lite_chart")
    other = make_app(page="views/tilsyn_tal.py", user="ole:leder")
    assert "Teamet har ingen tilsynsrunder endnu." in other.info[0].value and not other.dataframe


def test_the_themes_name_the_weakest_criterion_with_its_section(make_app, store):
    drawn_round(store, answer_with="nej")
    app = make_app(page="views/tilsyn_temaer.py", user="lene:leder")
    shown = texts(app)
    assert "1. Er der sendt kvittering til underretteren" in shown and "0 af 6 sager (0 %)" in shown
    assert "retningslinje?id=underretninger#underretningspligt-og-tilbagemelding" in shown
    assert "mette" not in shown and "jonas" not in shown
    assert [b.label for b in app.get("download_button")] == ["Hent dagsorden til print"]


def test_mit_tilsyn_shows_nothing_until_the_round_is_opened_then_acknowledges(make_app, store):
    round_id = drawn_round(store, answer_with="nej")
    app = make_app(page="views/mit_tilsyn.py", user="mette:medarbejder")
    assert "ingen tilbagemeldinger" in app.info[0].value
    rounds.open_round(store, LEDER, round_id)
    app = make_app(page="views/mit_tilsyn.py", user="mette:medarbejder")
    assert "Det skal rettes:" in texts(app) and texts(app).count("Er der sendt kvittering til underretteren") == 3
    [done] = [b for b in app.button if b.label == "Markér som rettet"][:1]
    done.click().run()
    assert sum(c.status == "rettet" for c in answers.corrections(store, [rounds.get_round(store, round_id)], caseworker="mette")) == 1
    [ack] = [b for b in app.button if b.label == "Jeg har læst tilbagemeldingen"]
    ack.click().run()
    assert store.feedback_row(round_id, "mette")["acknowledged_at"]
    assert "Du kvitterede" in texts(app)


def test_an_admin_sets_a_users_teams(make_app, store):
    app = make_app(page="views/administration.py", user="ada:admin")
    app.selectbox(key="admin-user").set_value("mette").run()
    app.text_input(key="teams-mette").input("Modtageteam, Rådgivning").run()
    [save] = [b for b in app.button if b.label == "Gem teams"]
    save.click().run()
    assert store.teams_of("mette") == ["Modtageteam", "Rådgivning"]
    assert "Teams for mette er gemt." in app.success[0].value
