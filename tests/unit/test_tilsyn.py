"""Ledelsestilsyn: templates with file:line problems, the random draw, recording, corrections,
feedback, the figures ("ikke relevant" left out, "for få sager" under 3), who may see what,
the import, two reviewers at once, retention and the owner's notice."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handbook.identity.auth import PermissionDenied, User, add_user
from handbook.identity.users import set_teams_as_administrator
from handbook.privacy.cpr import PersonalDataError
from handbook.settings import PROJECT_ROOT
from handbook.store.database import Store
from handbook.tilsyn import agenda, answers, feedback, figures, rounds, sampling
from handbook.tilsyn.figures import Figure
from handbook.tilsyn.retention import months_before, purge_rounds
from handbook.tilsyn.schema import load_templates, parse_template_text
from tests.conftest import write

TODAY = date(2026, 6, 10)
LEDER = User("lene", "Lene Leder", "leder")
OTHER_LEDER = User("ole", "Ole Leder", "leder")
ADMIN = User("ada", "Ada Admin", "admin")
METTE = User("mette", "Mette Rådgiver", "medarbejder")
CASES = "\n".join(f"{'mette' if n <= 5 else 'jonas'}, 2026-{n:04d}" for n in range(1, 11))


@pytest.fixture
def templates():
    return load_templates(PROJECT_ROOT / "tilsyn")


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "data" / "handbook.db")
    for user in (LEDER, OTHER_LEDER, ADMIN, METTE):
        add_user(store, user.name, "en-lang-adgangskode", user.role, user.display_name)
    set_teams_as_administrator(store, "lene", ["Modtageteam"])
    set_teams_as_administrator(store, "ole", ["Rådgivning"])
    return store


def drawn_round(store, templates, seed=7, template="underretninger") -> rounds.Round:
    round_id = rounds.create_round(store, LEDER, templates, template, "2026-05", "Modtageteam")
    sampling.sample_round(store, LEDER, round_id, CASES, 3, seed=seed)
    return rounds.get_round(store, round_id)


def answer_all(store, found, answer="ja", **extra):
    for case in store.round_cases(found.id, drawn_only=True):
        for criterion in found.template.criteria_for(case["case_type"] or ""):
            answers.record_answer(store, LEDER, found.id, case["id"], criterion.id, answer, today=TODAY, **extra)


# -- figures ----------------------------------------------------------------------------------------


def test_ikke_relevant_is_left_out_of_the_figure():
    figure = figures.count(["ja", "ja", "ja", "nej", "ikke relevant", "ikke relevant"])
    assert (figure.ja, figure.nej, figure.ikke_relevant) == (3, 1, 2)
    assert figure.count_text == "3 af 4 sager"
    assert figure.percent == 75 and figure.text == "3 af 4 sager (75 %)"


def test_a_figure_on_fewer_than_three_cases_says_for_faa_sager():
    assert Figure(ja=2, nej=0, ikke_relevant=9).percent is None
    assert Figure(ja=2, nej=0, ikke_relevant=9).text == "2 af 2 sager (for få sager)"
    assert Figure(ja=1, nej=2).percent == 33


def test_the_report_gives_counts_per_criterion_and_no_percent_under_three_cases(store, templates):
    found = drawn_round(store, templates)
    cases = store.round_cases(found.id, drawn_only=True)
    answers.record_answer(store, LEDER, found.id, cases[0]["id"], "kvittering", "ja", today=TODAY)
    answers.record_answer(store, LEDER, found.id, cases[1]["id"], "kvittering", "nej", today=TODAY)
    for case in cases[:4]:
        answers.record_answer(store, LEDER, found.id, case["id"], "genvurdering", "ikke relevant", reason="Ingen åben sag", today=TODAY)
    for case, value in zip(cases, ["ja", "ja", "nej", "ja"]):
        answers.record_answer(store, LEDER, found.id, case["id"], "underretning-24-timer", value, today=TODAY)
    rows = {r["criterion"]: r for r in figures.report_rows(figures.round_figures(store, found))}
    assert rows["underretning-24-timer"] | {"question": ""} == {"criterion": "underretning-24-timer", "area": "Modtagelse", "question": "", "ja": 3, "nej": 1, "ikke_relevant": 0, "percent": 75}
    assert (rows["kvittering"]["ja"], rows["kvittering"]["nej"], rows["kvittering"]["percent"]) == (1, 1, None)
    assert (rows["genvurdering"]["ikke_relevant"], rows["genvurdering"]["percent"]) == (4, None)
    assert figures.report_csv(figures.round_figures(store, found)).splitlines()[0] == "criterion;area;question;ja;nej;ikke_relevant;percent"


def test_trend_takes_the_first_round_as_baseline_and_notifies_the_owner_after_two_rounds_under_target(store, templates):
    add_user(store, "ejer", "en-lang-adgangskode", "redaktør", "Faglig leder, Modtageteamet")  # the owner named in underretninger.md
    from handbook.content.library import load_library
    from handbook.settings import paths_from_env

    library = load_library(paths_from_env())
    for period, pattern in (("2026-04", "jjjnnn"), ("2026-05", "jjnnnn")):
        round_id = rounds.create_round(store, LEDER, templates, "underretninger", period, "Modtageteam")
        sampling.sample_round(store, LEDER, round_id, CASES, 3, seed=1)
        for case, letter in zip(store.round_cases(round_id, drawn_only=True), pattern):
            answers.record_answer(store, LEDER, round_id, case["id"], "kvittering", "ja" if letter == "j" else "nej", today=TODAY)
    points = [p for p in figures.trend(store, "Modtageteam") if p.criterion_id == "kvittering"]
    assert [(p.period, p.figure.percent, p.baseline, p.target) for p in points] == [("2026-04", 50, 50, 80), ("2026-05", 33, 50, 80)]
    assert agenda.notify_under_target(store, library, "Modtageteam") == ["kvittering"]
    notices = store.db.execute("SELECT user, message FROM notifications WHERE kind = 'tilsyn'").fetchall()
    assert [n[0] for n in notices] == ["ejer"] and "to runder i træk" in notices[0][1]
    agenda.notify_under_target(store, library, "Modtageteam")
    assert store.db.execute("SELECT count(*) FROM notifications WHERE kind = 'tilsyn'").fetchone()[0] == 1
    themes = agenda.agenda(store, LEDER, library, {"underretning": "Modtagelse af underretning"}, "Modtageteam", "2026 K2")
    assert [t.figure.criterion.id for t in themes.themes] == ["kvittering"]
    assert themes.themes[0].guideline_link == "retningslinje?id=underretninger#underretningspligt-og-tilbagemelding"
    assert "mette" not in agenda.agenda_html(themes, "Myndighed")


# -- the draw ---------------------------------------------------------------------------------------


def test_the_draw_is_reproducible_from_its_seed(store, templates):
    found = drawn_round(store, templates, seed=12345)
    drawn = [c["case_ref"] for c in store.round_cases(found.id, drawn_only=True)]
    again = [c.case_ref for c in sampling.draw(sampling.parse_case_list(CASES), 3, found.seed)]
    assert found.seed == 12345 and drawn == again
    assert [c["case_ref"] for c in store.round_cases(found.id) if not c["drawn"]] == sorted(set(f"2026-{n:04d}" for n in range(1, 11)) - set(drawn))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 10_000)), unique_by=lambda t: t[1], max_size=40), st.integers(1, 5), st.integers(0, 2**31 - 1))
def test_a_draw_never_takes_more_than_n_per_caseworker(items, n, seed):
    cases = [sampling.CaseLine(worker, f"S-{number}") for worker, number in items]
    drawn = sampling.draw(cases, n, seed)
    for worker in {w for w, _ in items}:
        available = sum(1 for w, _ in items if w == worker)
        assert sum(1 for c in drawn if c.caseworker == worker) == min(n, available)
    assert drawn == sampling.draw(cases, n, seed)


def test_a_round_is_drawn_only_once(store, templates):
    found = drawn_round(store, templates)
    with pytest.raises(rounds.TilsynError, match="allerede trukket"):
        sampling.sample_round(store, LEDER, found.id, CASES, 3)


# -- CPR ----------------------------------------------------------------------------------------


def test_cpr_numbers_are_refused_in_case_references(store, templates):
    round_id = rounds.create_round(store, LEDER, templates, "underretninger", "2026-05", "Modtageteam")
    with pytest.raises(sampling.CaseListError) as refused:
        sampling.sample_round(store, LEDER, round_id, "mette, 2026-0001\nmette, 010203-1234\njonas, 2026-0002, ukendt", 3)
    assert refused.value.problems[0].startswith("Linje 2: ser ud til at indeholde et CPR-nummer")
    assert store.round_cases(round_id) == [] and rounds.get_round(store, round_id).drawn_at is None


def test_cpr_numbers_are_refused_in_notes_and_reasons_and_by_the_database(store, templates):
    found = drawn_round(store, templates)
    case = store.round_cases(found.id, drawn_only=True)[0]
    with pytest.raises(PersonalDataError):
        answers.record_answer(store, LEDER, found.id, case["id"], "kvittering", "nej", note="Barnet 0102031234", today=TODAY)
    with pytest.raises(PersonalDataError):
        answers.record_answer(store, LEDER, found.id, case["id"], "genvurdering", "ikke relevant", reason="CPR 010203-1234", today=TODAY)
    with pytest.raises(PersonalDataError):  # the guard inside SQLite, whatever path writes
        store.upsert_answers([{"case_id": case["id"], "criterion_id": "kvittering", "round_id": found.id, "answer": "ja", "note": "010203-1234", "answered_by": "x", "answered_at": "t"}])
    with pytest.raises(PersonalDataError):
        feedback.write_comment(store, LEDER, found.id, case["caseworker"], "Se 010203-1234")
    assert answers.round_answers(store, found.id) == {}


def test_every_free_text_column_of_the_tilsyn_tables_has_a_cpr_trigger(store):
    from handbook.privacy.triggers import guarded_columns

    columns = guarded_columns(store.db.conn)
    assert {"case_ref", "caseworker", "case_type"} <= set(columns["tilsyn_cases"])
    assert {"note", "reason", "fix_by", "answer"} <= set(columns["tilsyn_answers"])
    assert "comment" in columns["tilsyn_feedback"] and "team" in columns["user_teams"]
    triggers = {row[0] for row in store.db.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'cpr_guard_%'")}
    assert {"tilsyn_rounds", "tilsyn_cases", "tilsyn_answers", "tilsyn_feedback", "user_teams"} <= triggers


def test_an_import_with_a_bad_row_stores_nothing_and_names_the_line(store, templates):
    found = drawn_round(store, templates)
    text = (
        "case_ref,caseworker,criterion,answer,reason,note,fix_by\n"
        "P-1,mette,kvittering,ja,,,\n"
        "P-2,mette,kvittering,nej,,010203-1234,\n"
        "P-3,jonas,genvurdering,ikke relevant,,,\n"
        "P-4,jonas,findes-ikke,ja,,,\n"
    )
    with pytest.raises(sampling.CaseListError) as refused:
        answers.import_answers(store, found.id, text, TODAY)
    assert [p.split(":")[0] for p in refused.value.problems] == ["Linje 3", "Linje 4", "Linje 5"]
    assert "CPR" in refused.value.problems[0] and "begrundelse" in refused.value.problems[1] and "ukendt kriterium" in refused.value.problems[2]
    assert answers.round_answers(store, found.id) == {} and "P-1" not in {c["case_ref"] for c in store.round_cases(found.id)}
    stored = answers.import_answers(store, found.id, "case_ref,caseworker,criterion,answer,reason,note,fix_by\nP-1,mette,kvittering,nej,,Sendt for sent,2026-07-01\n", TODAY)
    assert stored == 1
    [row] = answers.round_answers(store, found.id).values()
    assert (row.answer, row.fix_by, row.status, row.note) == ("nej", "2026-07-01", "åben", "Sendt for sent")


# -- recording and corrections ---------------------------------------------------------------------------


def test_a_nej_gets_a_fix_by_date_fourteen_days_ahead_and_is_overdue_after_it(store, templates):
    found = drawn_round(store, templates)
    case = store.round_cases(found.id, drawn_only=True)[0]
    answers.record_answer(store, LEDER, found.id, case["id"], "kvittering", "nej", today=TODAY)
    [correction] = answers.corrections(store, [found])
    assert correction.fix_by == TODAY + timedelta(days=14) and correction.status == "åben"
    assert not correction.overdue(TODAY + timedelta(days=14)) and correction.overdue(TODAY + timedelta(days=15))
    rounds.open_round(store, LEDER, found.id)
    caseworker = User(case["caseworker"], case["caseworker"], "medarbejder")
    answers.mark_done(store, caseworker, found.id, case["id"], "kvittering")
    [done] = answers.corrections(store, [found])
    assert done.status == "rettet" and not done.overdue(TODAY + timedelta(days=30))
    answers.confirm(store, LEDER, found.id, case["id"], "kvittering")
    assert answers.corrections(store, [found])[0].status == "bekræftet"


def test_ikke_relevant_needs_a_reason_and_is_refused_where_not_allowed(store, templates):
    found = drawn_round(store, templates)
    case = store.round_cases(found.id, drawn_only=True)[0]
    with pytest.raises(rounds.TilsynError, match="begrundelse"):
        answers.record_answer(store, LEDER, found.id, case["id"], "genvurdering", "ikke relevant", today=TODAY)
    with pytest.raises(rounds.TilsynError, match="kan ikke besvares med ikke relevant"):
        answers.record_answer(store, LEDER, found.id, case["id"], "underretning-24-timer", "ikke relevant", reason="x", today=TODAY)


def test_two_reviewers_saving_at_once_lose_nothing(store, templates):
    found = drawn_round(store, templates)
    cases = store.round_cases(found.id, drawn_only=True)
    errors = []

    def review(user, criterion):
        try:
            for case in cases:
                answers.record_answer(store, user, found.id, case["id"], criterion, "ja", today=TODAY)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=review, args=(LEDER, "kvittering")), threading.Thread(target=review, args=(ADMIN, "screening"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(answers.round_answers(store, found.id)) == 2 * len(cases)


# -- who may see what -----------------------------------------------------------------------------------


def test_figures_per_caseworker_only_for_the_teams_leader_and_admin(store, templates):
    found = drawn_round(store, templates)
    answer_all(store, found)
    assert set(figures.caseworker_figures(store, LEDER, found)) == {"mette", "jonas"}
    assert set(figures.caseworker_figures(store, ADMIN, found)) == {"mette", "jonas"}
    for user in (OTHER_LEDER, METTE, None):
        with pytest.raises(PermissionDenied):
            figures.caseworker_figures(store, user, found)
    with pytest.raises(PermissionDenied):
        rounds.create_round(store, OTHER_LEDER, templates, "underretninger", "2026-05", "Modtageteam")
    assert rounds.rounds_for(store, OTHER_LEDER) == [] and [r.id for r in rounds.rounds_for(store, LEDER)] == [found.id]


def test_caseworkers_see_their_drawn_cases_only_once_the_round_is_opened(store, templates):
    found = drawn_round(store, templates)
    answer_all(store, found, "nej")
    assert feedback.my_tilsyn(store, METTE) == []
    with pytest.raises(PermissionDenied):
        feedback.acknowledge(store, METTE, found.id)
    rounds.open_round(store, LEDER, found.id)
    [mine] = feedback.my_tilsyn(store, METTE)
    drawn_for_mette = [c["case_ref"] for c in store.round_cases(found.id, drawn_only=True) if c["caseworker"] == "mette"]
    assert [c.case_ref for c in mine.feedback.cases] == drawn_for_mette and len(drawn_for_mette) == 3
    text = mine.feedback.text({"underretninger": "Modtagelse og behandling af underretninger"})
    assert "Det skal rettes:" in text and f"Sag {drawn_for_mette[0]}" in text and "retningslinje?id=underretninger#frister" in text
    assert "jonas" not in text
    feedback.acknowledge(store, METTE, found.id)
    assert feedback.my_tilsyn(store, METTE)[0].feedback.acknowledged_at is not None


# -- templates ------------------------------------------------------------------------------------------


def test_template_problems_name_file_and_line(tmp_path):
    text = (
        "id: proeve\ntitle: Prøve\nversion: \"1\"\nkind: hemmeligt\ncase_types: [anbringelse]\nareas:\n"
        "  - area: Plan\n    criteria:\n      - id: plan\n        question: Er der en plan?\n        legal_ref: Barnets lov § 91\n"
        "        guideline: barnets-plan\n        case_types: [underretning]\n        target: 120\n"
    )
    path = write(tmp_path / "tilsyn" / "proeve.yaml", text)
    template, problems = parse_template_text(text, path)
    assert template is None
    assert [(p.line, p.message.split(" ")[0]) for p in problems] == [(4, "Ukendt"), (12, "'guideline'"), (13, "Kriteriet"), (14, "'target'")]
    assert "proeve.yaml:13:" in str(problems[2]) and "sagstypen 'underretning'" in problems[2].message


def test_bundled_general_template_covers_every_row_of_det_tjekker_lederen(templates):
    guideline = (PROJECT_ROOT / "guidelines" / "ledelse" / "ledelsestilsyn.md").read_text(encoding="utf-8")
    section = guideline.split("## Det tjekker lederen")[1].split("\n## ")[0]
    rows = [line.split("|")[1:4] for line in section.splitlines() if line.startswith("| ") and not line.startswith("| Punkt")]
    general = templates.get("generelt")
    assert len(rows) == len(general.criteria) == 13
    refs = " ".join(c.legal_ref for c in general.criteria)
    for _, _, basis in rows:
        for paragraph in [p.strip().split(" (")[0].split(",")[0] for p in basis.split("Barnets lov")[1:]]:
            assert f"§ {paragraph.lstrip('§ ').strip()}" in refs


# -- retention ------------------------------------------------------------------------------------------


def test_case_references_and_notes_go_months_after_closing_and_the_counts_stay(store, templates):
    found = drawn_round(store, templates)
    answer_all(store, found, "nej", note="Mangler kvittering")
    feedback.write_comment(store, LEDER, found.id, "mette", "Godt arbejde med screeningen.")
    rounds.close_round(store, LEDER, found.id)
    before = figures.report_rows(figures.round_figures(store, found))
    closed = datetime.fromisoformat(rounds.get_round(store, found.id).closed_at)
    assert purge_rounds(store, 24, now=closed + timedelta(days=700)) == 0
    assert purge_rounds(store, 24, now=closed + timedelta(days=740)) == 1
    assert {c["case_ref"] for c in store.round_cases(found.id)} == {None}
    assert {a.note for a in answers.round_answers(store, found.id).values()} == {""}
    assert store.feedback_row(found.id, "mette")["comment"] is None
    assert figures.report_rows(figures.round_figures(store, found)) == before


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert months_before(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2026, 6, 10, tzinfo=UTC), 24) == datetime(2024, 6, 10, tzinfo=UTC)


def test_the_template_example_in_the_leaders_guide_is_valid(templates):
    """A leader copies from docs/content-format.md: the template example there must parse and
    its section and checklist links must exist."""
    from handbook.checklists.schema import load_checklists
    from handbook.content.library import load_library
    from handbook.settings import paths_from_env
    from handbook.tilsyn.schema import link_problems
    from handbook.validate import guideline_anchors

    guide = (PROJECT_ROOT / "docs" / "content-format.md").read_text(encoding="utf-8")
    section = guide[guide.index("## Tilsynsskemaer"):guide.index("## Links til portalens værktøjer")]
    [example] = [block.split("```", 1)[0] for block in section.split("```yaml\n")[1:]]
    template, problems = parse_template_text(example, PROJECT_ROOT / "tilsyn" / "eksempel.yaml")
    assert problems == [] and template.criteria[0].question.startswith("Er barnet hørt i en børnesamtale før afgørelsen")
    paths = paths_from_env()
    library = load_library(paths)
    assert link_problems(template, guideline_anchors(library), load_checklists(paths.checklists_dir, library.config)) == []


def test_the_purge_run_by_the_portal_and_cron_empties_closed_rounds_after_the_configured_months(store, templates):
    from handbook.retention import purge
    from handbook.settings import PortalConfig

    found = drawn_round(store, templates)
    answer_all(store, found, "nej", note="Mangler kvittering")
    rounds.close_round(store, LEDER, found.id)
    closed = datetime.fromisoformat(rounds.get_round(store, found.id).closed_at)
    assert purge(store, PortalConfig(tilsyn_retention_months=6), now=closed + timedelta(days=150)).tilsyn_rounds == 0
    report = purge(store, PortalConfig(tilsyn_retention_months=6), now=closed + timedelta(days=200))
    assert report.tilsyn_rounds == 1 and "sagsnumre og noter fra 1 tilsynsrunder" in report.text()
    assert len(answers.round_answers(store, found.id)) == 24


def test_the_excel_export_holds_the_same_table_as_the_csv(store, templates):
    import io

    import openpyxl

    found = drawn_round(store, templates)
    answer_all(store, found)
    result = figures.round_figures(store, found)
    sheet = openpyxl.load_workbook(io.BytesIO(figures.report_excel(result))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == list(figures.REPORT_COLUMNS)
    assert rows[1][0] == "underretning-24-timer" and rows[1][3:] == [6, 0, 0, 100]
